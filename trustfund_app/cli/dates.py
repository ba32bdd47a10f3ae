"""Argument types shared by commands."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(text: str) -> date:
    from trustfund_app.core.i18n import _

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_('"{value}" is not a date (use YYYY-MM-DD)').format(value=text))
