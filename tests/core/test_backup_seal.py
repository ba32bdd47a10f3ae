"""Issue 15, point 3: a backup carries a checksum of its own; restore verifies it, the audit chain
and the books-match-the-trail rule on the backup before replacing anything; a damaged or edited
backup is refused with exit 2 by a message that names the backup, not the live database."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.core.resilience_helpers import cli, sqlite_only
from tests.core.test_backup_restore import fund_file  # noqa: F401  (fixture)
from trustfund_app.core import backup
from trustfund_app.core.backup_seal import Seal, check_seal, write_seal
from trustfund_app.core.restore import RestoreRefused, restore

pytestmark = sqlite_only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_carries_its_own_checksum_and_stays_a_sqlite_file(fund_file, tmp_path):
    copy = backup.backup_sqlite(fund_file, tmp_path / "copy.sqlite3")
    assert check_seal(copy) is Seal.INTACT
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    restore(fund_file, copy)
    conn = sqlite3.connect(fund_file)  # the restored database does not keep the backup's seal
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'backup_seal'").fetchone() == (0,)
    conn.close()


def test_thirty_random_byte_flips_are_all_refused(fund_file, tmp_path, capsys, monkeypatch):
    good = backup.backup_sqlite(fund_file, tmp_path / "good.sqlite3")
    size = good.stat().st_size
    rng = random.Random(15)
    live = digest(fund_file)
    for n in range(30):
        flipped = tmp_path / f"flip-{n}.sqlite3"
        shutil.copyfile(good, flipped)
        data = bytearray(flipped.read_bytes())
        at = rng.randrange(size)
        data[at] ^= rng.randrange(1, 256)
        flipped.write_bytes(bytes(data))
        code, out, err = cli(["--db", str(fund_file), "restore", str(flipped)], capsys, monkeypatch)
        assert code == 2, f"flip at byte {at} was restored: {out}"
        assert err.startswith(f"{flipped.name}: not restored"), err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert digest(fund_file) == live


def test_a_backup_with_edited_amounts_is_refused_naming_the_backup(fund_file, tmp_path, capsys, monkeypatch):
    copy = backup.backup_sqlite(fund_file, tmp_path / "edited.sqlite3")
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE contribution SET amount_minor = amount_minor * 1000")
    conn.commit()
    conn.close()
    code, _out, err = cli(["--db", str(fund_file), "restore", str(copy)], capsys, monkeypatch)
    assert code == 2 and err.startswith("edited.sqlite3: not restored") and "checksum" in err
    # with the checksum made to fit, the books still disagree with the backup's own trail
    write_seal(copy)
    with pytest.raises(RestoreRefused, match=r"edited.sqlite3: not restored: .*contribution .*amount_minor"):
        restore(fund_file, copy)
    code, _out, err = cli(["--db", str(fund_file), "restore", str(copy)], capsys, monkeypatch)
    assert code == 2 and "amount_minor" in err and str(fund_file.name) not in err.split(":")[0]


def test_an_older_backup_without_a_checksum_is_still_checked(fund_file, tmp_path, capsys, monkeypatch):
    old = backup.backup_sqlite(fund_file, tmp_path / "old.sqlite3", seal=False)
    assert check_seal(old) is Seal.MISSING
    code, out, err = cli(["--db", str(fund_file), "restore", str(old)], capsys, monkeypatch)
    assert code == 0, err
    assert "no checksum" in out
    conn = sqlite3.connect(old)
    conn.execute("UPDATE contribution SET amount_minor = 1")
    conn.commit()
    conn.close()
    code, _out, err = cli(["--db", str(fund_file), "restore", str(old)], capsys, monkeypatch)
    assert code == 2 and "amount_minor" in err


def _issue_statement(path: Path, out: Path) -> str:
    from datetime import date

    from trustfund_app.core import anchors
    from trustfund_app.core.db import Database
    from trustfund_app.core.reports.statement import write_statement

    db = Database.open(path)
    try:
        write_statement(db, "Norway", out, start=date(2025, 1, 1), end=date(2025, 12, 31))
        return anchors.read(anchors.anchors_path(db.url))[-1].head
    finally:
        db.dispose()


def test_restoring_an_older_backup_keeps_verify_green_and_the_anchors_with_the_kept_copy(
        fund_file, tmp_path, capsys, monkeypatch):
    from tests.core.test_backup_restore import add_user

    early = _issue_statement(fund_file, tmp_path / "a.pdf")
    copy = backup.backup_sqlite(fund_file, tmp_path / "monday.sqlite3")
    add_user(fund_file, "fiona")
    late = _issue_statement(fund_file, tmp_path / "b.pdf")  # printed after the backup
    result = restore(fund_file, copy)
    here = fund_file.with_name(fund_file.name + ".anchors").read_text()
    assert early in here and late not in here
    assert late in result.kept.with_name(result.kept.name + ".anchors").read_text()
    code, out, err = cli(["--db", str(fund_file), "audit", "verify", "--json"], capsys, monkeypatch)
    assert code == 0, err


def test_a_backup_whose_chain_was_rewritten_is_refused_by_the_anchors(fund_file, tmp_path, capsys, monkeypatch):
    from tests.core.test_tamper_evidence import _rewrite_chain
    from trustfund_app.core.db import Database

    _issue_statement(fund_file, tmp_path / "a.pdf")
    copy = backup.backup_sqlite(fund_file, tmp_path / "forged.sqlite3")
    forged = Database(f"sqlite:///{copy}")
    _rewrite_chain(forged)
    forged.dispose()
    write_seal(copy)
    code, _out, err = cli(["--db", str(fund_file), "restore", str(copy)], capsys, monkeypatch)
    assert code == 2 and err.startswith("forged.sqlite3: not restored") and "rewritten" in err
