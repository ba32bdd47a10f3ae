"""The PySide6 desktop GUI: a thin layer over trustfund_app.core."""

from trustfund_app.gui.pyside_workarounds import protect_singletons

protect_singletons()  # PySide6 6.12 on Python 3.11 leaks references to None/True/False (see the module)
