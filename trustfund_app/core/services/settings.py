"""Fund settings kept in the database (PSC rate, fund name, limits)."""

from __future__ import annotations

from decimal import Decimal

from trustfund_app.core.models import Setting
from trustfund_app.core.money import to_decimal
from trustfund_app.core.services.base import Service

DEFAULTS = {
    "psc_rate_percent": "13",  # UN Secretariat norm for trust funds
    "fund_name": "United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, Especially Women and Children",
    "office": "United Nations Office on Drugs and Crime, Vienna",
    "receipt_prefix": "VTF",
    "demo": "0",
    "backups_keep": "10",
    "import_max_rows": "1000000",
    "import_max_bytes": "104857600",
    "import_max_unpacked_bytes": "1073741824",
    "import_max_ratio": "200",
    "import_max_blank_rows": "100000",
    # open data (issue 17): IATI reporting organisation = UNODC's DAC channel code, a multilateral
    "iati_reporting_org": "XM-DAC-41128",
    "iati_reporting_org_type": "40",
    "giving360_prefix": "",  # registered with 360Giving (e.g. 360G-UNVTF); none until the Fund registers
    "open_data_language": "en",  # the language the Fund's records are written in
}


def read_setting(session, key: str) -> str:
    row = session.get(Setting, key)
    return row.value if row else DEFAULTS[key]


class SettingsService(Service):
    def get(self, key: str) -> str:
        with self.db.reading() as s:
            return read_setting(s, key)

    def all(self) -> dict[str, str]:
        with self.db.reading() as s:
            stored = {row.key: row.value for row in s.query(Setting)}
        return {**DEFAULTS, **stored}

    def set(self, key: str, value: str) -> None:
        with self._write("settings") as s:
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=str(value)))
            else:
                row.value = str(value)
        self._changed("setting", "update", key)

    def psc_rate(self) -> Decimal:
        return to_decimal(self.get("psc_rate_percent"))

    def is_demo(self) -> bool:
        return self.get("demo") == "1"
