"""The PySide6 desktop GUI: a thin layer over trustfund_app.core."""
