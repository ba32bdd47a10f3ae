"""The demo fund: fifteen years of donors, contributions in many currencies, exchange rates and
grants, generated deterministically from a seed (``build_demo_fund``). Qt-free; the GUI runs it in
a background job, ``trustfund demo`` from the command line."""

from trustfund_app.core.demo.build import (
    DEMO_PASSWORD, DEMO_USERS, DemoCancelled, DemoSummary, build_demo_fund, is_demo, is_empty,
)

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoCancelled", "DemoSummary", "build_demo_fund", "is_demo", "is_empty"]
