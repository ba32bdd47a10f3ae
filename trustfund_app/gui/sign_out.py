"""File ▸ Sign out / switch user: the screens of the user leaving are dropped (they hold that
user's data and rights), and the login dialog asks who works next. Cancelling it closes the window."""

from __future__ import annotations

from trustfund_app.gui.jobs import start_job, wait_for_all


def sign_out(window) -> None:
    from trustfund_app.gui.login import LoginDialog

    ctx = window.ctx
    wait_for_all(10000)  # a job of the user leaving finishes under their name
    ctx.actor = None
    window.session_ended()
    window.login_dialog = dialog = LoginDialog(window, lambda name, password, report: _attempt(window, name, password,
                                                                                                  report),
                                               demo=ctx.is_demo)
    dialog.rejected.connect(lambda: window.close() if ctx.actor is None else None)
    dialog.open()


def _attempt(window, name: str, password: str, report) -> None:
    db = window.ctx.db

    def work(_job):
        from trustfund_app.core.services.users import UserService

        return UserService(db).login(name, password)

    def done(actor):
        window.ctx.actor = actor
        report(None)
        window.session_started()

    start_job(work, on_done=done, on_error=lambda exc: report(str(exc)))
