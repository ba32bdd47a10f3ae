"""Where the exchange stands with each office: last package sent and received, packages the other
side has not acknowledged yet, gaps (held packages and the events missing before them), and open
conflicts. Plain values, safe to hand to the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from trustfund_app.core.models import SyncConflict, SyncPackage, SyncPeer
from trustfund_app.core.offices import identity


@dataclass(frozen=True)
class PeerStatus:
    code: str
    regions: tuple[str, ...]
    key_id: str | None
    last_sent: tuple[int, int] | None
    last_sent_at: datetime | None
    last_received: tuple[int, int] | None
    last_received_at: datetime | None
    unacknowledged: int  # packages sent whose events the other side has not confirmed
    gaps: tuple[tuple[int, int], ...]  # their events missing before a held package
    held: int
    open_conflicts: int

    def as_json(self) -> dict:
        def when(value):
            return value.isoformat(timespec="seconds") if value else None

        return {"office": self.code, "regions": list(self.regions), "key_id": self.key_id,
                "last_sent": list(self.last_sent) if self.last_sent else None, "last_sent_at": when(self.last_sent_at),
                "last_received": list(self.last_received) if self.last_received else None,
                "last_received_at": when(self.last_received_at), "unacknowledged": self.unacknowledged,
                "gaps": [list(g) for g in self.gaps], "held": self.held, "open_conflicts": self.open_conflicts}


def exchange_status(session) -> list[PeerStatus]:
    out = []
    for office in identity.offices(session):
        if office.is_self:
            continue
        peer = session.scalars(select(SyncPeer).where(SyncPeer.code == office.code)).first()
        packages = session.scalars(select(SyncPackage).where(SyncPackage.peer == office.code)
                                   .order_by(SyncPackage.created_at)).all()
        sent = [p for p in packages if p.direction == "out"]
        received = [p for p in packages if p.direction == "in" and p.state == "applied"]
        held = sorted((p for p in packages if p.direction == "in" and p.state == "held"), key=lambda p: p.first_seq)
        acked = peer.acked if peer else 0
        upto = peer.received_to if peer else 0
        gaps, cursor = [], upto
        for p in held:
            if p.first_seq > cursor + 1:
                gaps.append((cursor + 1, p.first_seq - 1))
            cursor = max(cursor, p.last_seq)
        conflicts = session.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.peer == office.code, SyncConflict.state == "open")) or 0
        out.append(PeerStatus(
            office.code, office.regions, office.key_id,
            (sent[-1].first_seq, sent[-1].last_seq) if sent else None, peer.last_sent_at if peer else None,
            (received[-1].first_seq, received[-1].last_seq) if received else None,
            peer.last_received_at if peer else None,
            sum(1 for p in sent if p.last_seq > acked and p.last_seq >= p.first_seq), tuple(gaps), len(held), conflicts))
    return out


def dashboard_counts(session) -> tuple[int, int]:
    """(open conflicts, packages sent and not yet acknowledged) for the dashboard."""
    conflicts = session.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.state == "open")) or 0
    return conflicts, sum(p.unacknowledged for p in exchange_status(session))
