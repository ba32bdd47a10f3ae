"""The reminder as plain text in the grantee's language, to paste into an e-mail: the same
wording as the reminder letter, the overdue reports one per line."""

from __future__ import annotations

from datetime import date

from trustfund_app.core.i18n import use_language
from trustfund_app.core.letters.data import reminder_data
from trustfund_app.core.letters.texts import fill, letter_texts
from trustfund_app.core.letters.values import formatted_rows, formatted_values
from trustfund_app.core.reports import bidi
from trustfund_app.core.reports.text import DocText


def reminder_plain_text(db, grantee_id: str, at: date, lang: str | None = None) -> str:
    with db.reading() as session:
        data = reminder_data(session, grantee_id, at)
    lang = lang or data.language
    with use_language(lang):
        dt = DocText(lang)
        texts = letter_texts(lang)
        own, values = texts["reminder"], formatted_values(dt, data.values)
        labels = own["reports"]
        lines = [fill(texts["common"]["salutation"], {"name": data.contact or data.recipient}), ""]
        lines += [fill(p, values) for p in own["body"]]
        for row in formatted_rows(dt, data.tables["reports"]):
            lines.append(f"• {row['grant']} — {row['report']} — {labels['due']}: {row['due']} — "
                         f"{labels['days']}: {row['days']}")
        lines += [""] + [fill(p, values) for p in own["after"]] + ["", texts["common"]["closing"],
                                                                   texts["common"]["signatory"]]
    if dt.rtl:
        # each line opens with a right-to-left mark, so a mail client (or Qt) that guesses the
        # direction from the first letter sets lines starting with a reference right to left too
        return "\n".join("\u200f" + line if line else line for line in lines)
    return bidi.strip_controls("\n".join(lines))
