"""Who publishes, in which language, and the texts both standards share (in the data's language)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trustfund_app.core.i18n import N_, _, use_language
from trustfund_app.core.money import minor_digits
from trustfund_app.core import org_identifiers as ids
from trustfund_app.core.opendata.source import GrantData


@dataclass(frozen=True)
class Publisher:
    org_id: str  # IATI reporting organisation, e.g. XM-DAC-41128
    org_type: str  # IATI OrganisationType code, e.g. 40
    office: str  # the administering office's name (reporting organisation)
    fund_name: str
    fund_code: str  # the receipt prefix, e.g. VTF: the fund's own activity is ORG-VTF
    giving360_prefix: str
    language: str  # of the records, and so of every narrative
    today: date

    @property
    def fund_activity_id(self) -> str:
        return f"{self.org_id}-{ids.slug(self.fund_code)}"

    def grant_activity_id(self, grant: GrantData) -> str:
        return f"{self.org_id}-{ids.slug(grant.reference)}"


def read_publisher(session, today: date | None = None) -> Publisher:
    from trustfund_app.core.services.settings import read_setting

    return Publisher(read_setting(session, ids.REPORTING_ORG), read_setting(session, ids.REPORTING_ORG_TYPE),
                     read_setting(session, "office"), read_setting(session, "fund_name"),
                     read_setting(session, "receipt_prefix"), read_setting(session, ids.GIVING360_PREFIX),
                     read_setting(session, ids.DATA_LANGUAGE), today or date.today())


def decimal_text(minor: int, currency: str) -> str:
    """An amount in minor units as the standards write it: 1234.50, never a float."""
    return str(Decimal(minor).scaleb(-minor_digits(currency)))


def vawg_share(grant: GrantData) -> bool:
    """A grant targets violence against women and girls (DAC 15180) when most of the victims it
    reported assisting are women and girls."""
    female = grant.victims.get("women", 0) + grant.victims.get("girls", 0)
    male = grant.victims.get("men", 0) + grant.victims.get("boys", 0)
    return female > male


class Texts:
    """The generated narratives, translated into the language of the data."""

    def __init__(self, publisher: Publisher):
        self.p = publisher
        self._translated: dict[str, str] = {}

    def _in(self, message: str, **values) -> str:
        text = self._translated.get(message)
        if text is None:  # thousands of narratives, a handful of messages: translate each once
            with use_language(self.p.language):
                text = self._translated[message] = _(message)
        return text.format(**values) if values else text

    def anonymous_donors(self) -> str:
        return self._in(N_("Anonymous individual donors"))

    def withheld_title(self, grant: GrantData) -> str:
        return self._in(N_("Grant {reference} (details withheld)"), reference=grant.reference)

    def withheld_description(self) -> str:
        return self._in(N_("The title, the organisation and the location of this grant are withheld to protect "
                        "victims and partners, under the exclusion policy of the IATI Standard."))

    def withheld_partner(self) -> str:
        return self._in(N_("Implementing partner withheld"))

    def grant_description(self, grant: GrantData) -> str:
        return self._in(N_("Grant {reference} of the {fund}, cycle {cycle} ({cycle_name}), to {grantee}: {title}"),
                        reference=grant.reference, fund=self.p.fund_name, cycle=grant.cycle_number,
                        cycle_name=grant.cycle_name, grantee=grant.grantee_name, title=grant.title)

    def fund_description(self) -> str:
        return self._in(N_("Contributions received by the {fund} and the grants it awards to organisations that "
                        "assist victims of trafficking in persons."), fund=self.p.fund_name)

    def refund(self) -> str:
        return self._in(N_("Refund of an unspent balance"))

    def instalment(self) -> str:
        return self._in(N_("Instalment paid"))

    def commitment(self) -> str:
        return self._in(N_("Grant awarded"))

    def expenditure(self) -> str:
        return self._in(N_("Expenditure accounted for in an approved financial report"))

    def victims_result(self) -> str:
        return self._in(N_("Victims of trafficking assisted"))

    def victims_indicator(self) -> str:
        return self._in(N_("Number of victims assisted, by sex and age group"))

    def gifts(self, count: int) -> str:
        from trustfund_app.core.i18n import ngettext

        with use_language(self.p.language):
            return ngettext("{count} gift summed", "{count} gifts summed", count).format(count=count)
