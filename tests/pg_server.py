"""A private, throw-away PostgreSQL server that a test may stop and start again (outages), made
with the project's own ``.ci/postgres.sh`` on its own port and data folder. Needs Debian's
postgresql binaries; tests skip without them."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def available() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")) and os.name == "posix"


class PrivateServer:
    def __init__(self, port: int):
        self.port = port
        # not under pytest's tmp_path: the server runs as the postgres user, who cannot enter root's
        self.data = Path(f"/tmp/trustfund-private-pg-{port}-{uuid.uuid4().hex[:8]}")
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.server_url = ""

    def _as_pg(self, *cmd: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)

    def start(self) -> str:
        env = dict(os.environ, TRUSTFUND_PG_PORT=str(self.port), TRUSTFUND_PG_DATA=str(self.data))
        self.server_url = subprocess.run(["sh", str(ROOT / ".ci" / "postgres.sh")], env=env, check=True,
                                         capture_output=True, text=True, timeout=120).stdout.strip()
        return self.server_url

    def stop(self, mode: str = "immediate") -> None:
        subprocess.run(self._as_pg(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"),
                       check=True, capture_output=True, timeout=60)

    def database(self) -> str:
        from tests.pg import create_database

        return create_database(self.server_url)

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.data, ignore_errors=True)
