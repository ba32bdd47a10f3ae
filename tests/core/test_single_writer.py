"""One writer per SQLite file: a second instance opens read-only with a message naming who holds
the file, instead of failing later with "database is locked"; a killed holder leaves no stale lock;
a database on a network file system gets a warning."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.core.resilience_helpers import cli, fork, seed_fund, sqlite_only, wait_exit
from trustfund_app.cli.context import WRITER_LOCK_WAIT
from trustfund_app.core import instance_lock
from trustfund_app.core.db import Database, ReadOnlyDatabase

pytestmark = sqlite_only


@pytest.fixture
def fund_path(tmp_path):
    from trustfund_app.core.services.users import UserService

    path = tmp_path / "fund.sqlite3"
    db = Database.open(path)
    admin = UserService(db).create_first_admin("admin", "Quiet-River-42")
    seed_fund(db, admin, donors=1)
    db.dispose()
    return path


def test_a_second_instance_opens_read_only_with_a_clear_message(fund_path):
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.users import UserService

    first = Database.open(fund_path, single_writer=True)
    second = Database.open(fund_path, single_writer=True)
    try:
        assert not first.read_only and second.read_only
        assert "already open for changes" in second.read_only_reason
        assert f"process {os.getpid()}" in second.read_only_reason
        actor = UserService(second).login("admin", "Quiet-River-42")  # logging in still works
        assert len(DonorService(second, actor).list()) == 1  # and so does reading
        with pytest.raises(ReadOnlyDatabase, match="already open for changes"):
            DonorService(second, actor).create("Chile", "member_state", "CHL")
        DonorService(first, actor).create("Chile", "member_state", "CHL")  # the writer writes
        assert len(DonorService(second, actor).list()) == 2  # and the reader sees it
    finally:
        second.dispose()
        first.dispose()
    third = Database.open(fund_path, single_writer=True)  # the lock went with the first
    assert not third.read_only
    third.dispose()


def _hold(path, ready_fd):
    db = Database.open(path, single_writer=True)
    assert not db.read_only
    os.write(ready_fd, b"r")
    signal.pause()


def test_a_killed_holder_leaves_no_stale_lock(fund_path):
    ready_r, ready_w = os.pipe()
    pid = fork(_hold, fund_path, ready_w)
    assert os.read(ready_r, 1) == b"r"
    try:
        blocked = Database.open(fund_path, single_writer=True)
        assert blocked.read_only and f"process {pid}" in blocked.read_only_reason
        blocked.dispose()
    finally:
        os.kill(pid, signal.SIGKILL)
        wait_exit(pid)
    after = Database.open(fund_path, single_writer=True)
    assert not after.read_only
    after.dispose()


def test_while_a_window_holds_the_file_a_command_refuses_to_write_at_once(fund_path, capsys, monkeypatch):
    holder = Database.open(fund_path, single_writer=True)  # a window
    try:
        started = time.monotonic()
        code, _out, err = cli(["--db", str(fund_path), "users", "add", "fiona", "--role", "finance"], capsys,
                              monkeypatch, new_password="Blue-Lantern-9")
        assert time.monotonic() - started < WRITER_LOCK_WAIT  # no pointless waiting for a window
        assert code == 1 and "open for changes in a window of" in err and "database is locked" not in err
        assert "command" not in err
        code, out, err = cli(["--db", str(fund_path), "position", "--json", "--at", "2025-06-30"], capsys, monkeypatch)
        assert code == 0, err  # reading is fine
    finally:
        holder.dispose()
    code, _out, err = cli(["--db", str(fund_path), "users", "add", "fiona", "--role", "finance"], capsys,
                          monkeypatch, new_password="Blue-Lantern-9")
    assert code == 0, err


def test_a_folder_that_cannot_be_written_opens_read_only(fund_path, monkeypatch):
    def refuse(self, wait=0.0):
        raise PermissionError(13, "Permission denied", str(self.path))

    monkeypatch.setattr(instance_lock.WriterLock, "acquire", refuse)
    db = Database.open(fund_path, single_writer=True)
    try:
        assert db.read_only and "cannot be written" in db.read_only_reason
    finally:
        db.dispose()


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/funds /mnt/funds nfs4 rw,relatime,vers=4.2 0 0
//nas/share /media/office\\040share cifs rw,relatime 0 0
/dev/sdb1 /mnt/funds/local ext4 rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize("path, expected", [
    ("/mnt/funds/fund.sqlite3", "nfs4"),
    ("/media/office share/fund.sqlite3", "cifs"),
    ("/mnt/funds/local/fund.sqlite3", None),  # a local disk mounted inside the share
    ("/home/me/fund.sqlite3", None),
    ("/mnt/fundsX/fund.sqlite3", None),
])
def test_network_file_systems_are_recognised(path, expected):
    assert instance_lock.network_filesystem(path, MOUNTS) == expected


def test_a_database_on_a_network_share_gets_a_warning(fund_path, monkeypatch, capsys):
    monkeypatch.setattr(instance_lock, "filesystem_type", lambda path, mounts_text=None: "cifs")
    db = Database.open(fund_path, single_writer=True)
    try:
        assert db.warning and "network file system (cifs)" in db.warning
    finally:
        db.dispose()
    code, _out, err = cli(["--db", str(fund_path), "position", "--at", "2025-06-30"], capsys, monkeypatch)
    assert code == 0 and "network file system" in err


def test_the_local_disk_gets_no_warning(fund_path):
    assert instance_lock.network_warning(fund_path) is None


def test_a_command_waits_for_another_command_to_finish(fund_path, capsys, monkeypatch):
    other = Database.open(fund_path, single_writer=True, holder="command")
    assert not other.read_only
    releaser = threading.Timer(0.5, other.dispose)
    releaser.start()
    try:
        code, _out, err = cli(["--db", str(fund_path), "users", "add", "fiona", "--role", "finance"], capsys,
                              monkeypatch, new_password="Blue-Lantern-9")
    finally:
        releaser.join()
    assert code == 0, err
