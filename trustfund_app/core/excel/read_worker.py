"""Child process of ``parallel_read.rows_in_background``: parses one sheet and writes its rows to
standard output as pickled batches of ``parallel_read.prepared_rows``. Argument: a JSON order {path,
sheet, lang, limits, after_row, kind, columns}."""

from __future__ import annotations

import gc
import json
import pickle
import sys

BATCH = 1000


def main(order_json: str) -> int:
    from trustfund_app.core.excel.kinds.contribution_cells import cell_preparer
    from trustfund_app.core.excel.parallel_read import prepared_rows
    from trustfund_app.core.excel.reader import FileRejected, Limits, open_workbook
    from trustfund_app.core.i18n import _, set_language

    # this process only lives for one sheet and makes no reference cycles: rare collections
    # (each one rescans every live object, such as the workbook's shared strings) save ~5 %
    gc.set_threshold(50_000, 20, 100)
    order = json.loads(order_json)
    set_language(order["lang"])
    out = sys.stdout.buffer

    def send(message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        workbook = open_workbook(order["path"], Limits(**order["limits"]))
        batch: list = []
        kind = order.get("kind")
        rows = prepared_rows(workbook.rows(order["sheet"]), order.get("after_row", 0),
                             cell_preparer(kind) if kind else None, order.get("columns") or {})
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                send(("rows", batch))
                batch = []
        send(("rows", batch))
        send(("end",))
    except FileRejected as exc:
        send(("rejected", exc.message))
    except (BrokenPipeError, OSError):
        return 0  # the importer stopped listening (cancelled, or its process died)
    except Exception as exc:  # noqa: BLE001 — reported to the importer as an unreadable file
        send(("rejected", _("the workbook cannot be read ({reason})").format(reason=type(exc).__name__)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
