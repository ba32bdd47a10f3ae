"""The Qt-free core of TrustFund Desk: domain models, services, import, reports, i18n helpers.

Nothing under this package may import Qt (a test enforces it), so the command line, the tests and
background jobs can use it without a QApplication.
"""
