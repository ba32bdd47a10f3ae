"""Monitoring visits in the demo fund: the running grants were visited in the last months, with
follow-up actions — a few due in the coming days and a few overdue — so the Due screen, the
dashboard's deadlines and the Visits screen have something to show. Each visit's report is
attached to its grant as a document (a short text file), so a grant file has a document to open
and a demo field office receives its region's documents with its first package."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from trustfund_app.core.demo.cycles import PlannedGrant
from trustfund_app.core.models import ActionStatus, Document, FollowUpAction, MonitoringVisit
from trustfund_app.core.services.documents import store_content

VISITORS = ("Programme officer, UNODC Vienna", "UNODC field office, Nairobi", "UNODC field office, Bangkok",
            "UNODC field office, Bogotá", "UNODC regional office, Cairo", "Independent monitor")
FINDINGS = (
    "Shelter at full capacity; case files complete and kept locked. Staff trained on survivor-centred care.",
    "Legal aid desk operating; two cases brought to court this quarter. Receipts for rent missing.",
    "Psychosocial sessions held weekly; attendance sheets kept. Fire exit of the shelter blocked by storage.",
    "Reintegration grants paid to survivors with signed receipts; follow-up visits not yet documented.",
    "Medical referrals working with the district hospital; the referral register is not up to date.",
)
ACTIONS = (
    "Send the updated beneficiary register", "Provide the missing rent receipts", "Clear the shelter's fire exit",
    "Document the follow-up visits to reintegrated survivors", "Send the signed referral agreement with the hospital",
    "Share the revised safeguarding policy",
)


def write_visits(writer, rng: random.Random, grants: list[PlannedGrant], today: date, user: str) -> None:
    running = [g for g in grants if g.start <= today - timedelta(days=45) and g.end >= today]
    visits, actions, documents = [], [], []
    for g in sorted(rng.sample(running, min(12, len(running))), key=lambda g: g.reference):
        visit_date = max(g.start + timedelta(days=30), today - timedelta(days=rng.randint(5, 150)))
        visit_id = writer.new_id()
        visitors, findings = rng.choice(VISITORS), rng.choice(FINDINGS)
        visits.append({"id": visit_id, "grant_id": g.id, "visit_date": visit_date,
                       "visitors": visitors, "findings": findings})
        report = (f"Monitoring visit report\nGrant: {g.reference} ({g.title})\nDate: {visit_date.isoformat()}\n"
                  f"Visited by: {visitors}\n\nFindings:\n{findings}\n").encode("utf-8")
        digest = hashlib.sha256(report).hexdigest()
        store_content(writer.session, digest, report)
        documents.append({"owner_kind": "grant", "owner_id": g.id, "file_name": f"visit-report-{visit_date}.txt",
                          "media_type": "text/plain", "size": len(report), "sha256": digest, "attached_by": user})
        for description in rng.sample(ACTIONS, rng.randint(1, 2)):
            due = visit_date + timedelta(days=rng.randint(14, 180))
            done = due < today and rng.random() < 0.5
            actions.append({"visit_id": visit_id, "description": description, "due_date": due,
                            "responsible": rng.choice(("programme", "admin", None)),
                            "status": ActionStatus.DONE if done else ActionStatus.OPEN,
                            "done_on": due if done else None})
    writer.insert(MonitoringVisit, visits, user)
    writer.insert(FollowUpAction, actions, user)
    writer.insert(Document, documents, user)
