"""A demo build that fails half way removes the file it created (command line and core), so the
next attempt starts from nothing instead of a schema without users."""

from __future__ import annotations

import pytest

from trustfund_app.cli import main


@pytest.fixture
def broken_demo(monkeypatch):
    import trustfund_app.core.demo.build as build

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "write_donors", broken)


def test_create_demo_database_removes_its_file_when_the_build_fails(tmp_path, broken_demo):
    from trustfund_app.core.demo.create import create_demo_database

    target = tmp_path / "demo.sqlite3"
    with pytest.raises(OSError):
        create_demo_database(str(target))
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_trustfund_demo_that_fails_leaves_no_file_and_the_next_one_works(tmp_path, monkeypatch, capsys):
    target = tmp_path / "x.sqlite3"
    import trustfund_app.core.demo.build as build

    original = build.write_donors
    monkeypatch.setattr(build, "write_donors", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    assert main(["--lang", "en", "--db", str(target), "demo"]) == 1
    assert "No space left" in capsys.readouterr().err
    assert not target.exists()
    monkeypatch.setattr(build, "write_donors", original)
    assert main(["--lang", "en", "--db", str(target), "demo"]) == 0
    assert target.exists()


def test_a_failed_build_into_an_existing_empty_database_keeps_that_file(tmp_path, broken_demo):
    from trustfund_app.core.db import Database
    from trustfund_app.core.demo.create import create_demo_database

    target = tmp_path / "given.sqlite3"
    Database.open(str(target)).dispose()
    with pytest.raises(OSError):
        create_demo_database(str(target))
    assert target.exists()  # not ours to delete: it was there before
