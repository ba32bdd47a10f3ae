"""Blocks shared by the statement and the fund report: letterhead, the "how the Fund used its
money" section, a rule, and writing a file so a crash never leaves half a PDF."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.platypus import CondPageBreak, HRFlowable, Spacer

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.reports.styles import RULE, UN_BLUE, make_table, scale_widths


def rule(color=RULE, thickness: float = 0.5):
    return HRFlowable(width="100%", thickness=thickness, color=color, spaceBefore=2, spaceAfter=6)


def heading(dt, st, text: str) -> list:
    """A section heading that never ends a page alone (a new page unless a few rows still fit);
    keepWithNext would push a long table whole onto the next page."""
    return [CondPageBreak(70), dt.para(text, st.h2, bold=True)]


def official_names(head) -> tuple[str, str]:
    """The fund's name and office in the document's language while they are the defaults (an
    office that changed them in the settings gets its own text, as typed)."""
    from trustfund_app.core.services.settings import DEFAULTS

    name, office = head.fund_name, head.office
    if name == DEFAULTS["fund_name"]:
        name = _("United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, Especially Women "
                 "and Children")
    if office == DEFAULTS["office"]:
        office = _("United Nations Office on Drugs and Crime, Vienna")
    return name, office


def letterhead_block(dt, st, head, title: str, meta: list[str]) -> list:
    name, office = official_names(head)
    story = [dt.para(name, st.fund, bold=True), dt.para(office, st.small),
             rule(UN_BLUE, 1.2), dt.para(title, st.title, bold=True)]
    story += [dt.para(line, st.small) for line in meta]
    story.append(Spacer(1, 10))
    return story


def fund_use_section(dt, st, use, title: str) -> list:
    countries = sorted(country_label(c, dt.lang) for c in use.countries)
    v = use.victims
    rows = [
        [ngettext("{n} grant approved", "{n} grants approved", use.grants_approved).format(
            n=dt.number(use.grants_approved)), dt.amount(use.approved)],
        [ngettext("{n} project received payments", "{n} projects received payments", use.projects_paid).format(
            n=dt.number(use.projects_paid)), dt.amount(use.disbursed)],
        [_("Countries of the projects"), _(", ").join(countries) if countries else "—"],
        [_("Victims assisted (reported in the period)"), dt.number(v.total)],
        [_("Women · girls · men · boys"), " · ".join(dt.number(n) for n in (v.women, v.girls, v.men, v.boys))],
    ]
    return [*heading(dt, st, title),
            make_table(dt, st, [_("What the Fund did"), _("Figures")], rows, scale_widths([0.45, 0.55]))]


def atomic_write(path: Path, content: bytes) -> Path:
    """Write next to the target and rename into place: the file is whole or absent."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with_suppressed_unlink(tmp)
        raise
    return path


def with_suppressed_unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
