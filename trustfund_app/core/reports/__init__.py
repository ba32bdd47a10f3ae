"""PDF documents for donors and the Board: donor statements (one donor, one period), batches of
statements, and the annual fund report — in the six UN languages, with every font embedded.

Pipeline: ``data`` reads plain dataclasses from the database in one short session; ``statement`` /
``fund_report`` lay them out with reportlab under ``use_language(lang)``; ``text`` turns each
logical string into drawable text (font fallback per script, Arabic shaping and bidi from
``bidi``). Output is deterministic: reportlab's invariant mode and a fixed issue date.
"""


from trustfund_app.core.reports.fund_report import render_fund_report, write_fund_report
from trustfund_app.core.reports.statement import render_statement, write_statement

__all__ = ["render_statement", "write_statement", "render_fund_report", "write_fund_report"]
