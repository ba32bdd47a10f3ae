"""``trustfund``: the GUI without a command, the same core headless with one (CLI.md).

Each command lives in its own module under ``trustfund_app.cli`` and registers itself through a
``register(subparsers)`` function that sets ``func(ctx, args) -> int`` as the handler.
Exit codes: 0 done, 2 input rejected (nothing changed), 3 audit trail broken, 1 other failure.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from trustfund_app import __version__

# Command modules, in the order they appear in --help.
COMMAND_MODULES = (
    "init", "demo", "position", "users_cmd", "audit_cmd", "backup_cmd",
    "import_cmd", "template_cmd", "export_cmd", "statement_cmd", "letter_cmd", "due_cmd", "documents_cmd",
    "pledge_cmd", "office_cmd", "sync_cmd", "conflicts_cmd",
)

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED, EXIT_AUDIT_BROKEN = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    from trustfund_app.core.i18n import LANGUAGES, _

    parser = argparse.ArgumentParser(prog="trustfund", description=_("TrustFund Desk"))
    parser.add_argument("--version", action="version", version=f"trustfund {__version__}")
    parser.add_argument("--db", help=_("database file or SQLAlchemy URL (default: $TRUSTFUND_DB)"))
    parser.add_argument("--user", help=_("who acts (default: $TRUSTFUND_USER)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and documents"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("check this installation: demo fund, six statements, main window; exit 0 when all work"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"trustfund_app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"trustfund_app.cli.{name}":
                continue  # a command not built yet in this checkout
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from trustfund_app.core import i18n

    previous = i18n.current_language()
    try:
        return _main(argv)
    finally:
        i18n.set_language(previous)  # called in-process (tests, self-test): leave the language as found


def _main(argv: list[str] | None) -> int:
    from trustfund_app.core.i18n import set_language, system_language

    argv = sys.argv[1:] if argv is None else argv
    # the language must be set before the parser's own messages are built
    lang = _peek_option(argv, "--lang") or system_language()
    if lang in ("ar", "zh", "en", "fr", "ru", "es"):
        set_language(lang)
    if not _names_a_command(argv):
        # the GUI: skip importing every command module, the window must appear at once
        return _start_gui(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: bad arguments exit 2, --help/--version exit 0
        return int(exc.code or 0)
    if args.self_test:
        from trustfund_app.selftest import run_self_test

        return run_self_test()
    if not args.command:
        return _start_gui(argv)
    from trustfund_app.cli.context import run_command

    return run_command(args)


_GLOBAL_WITH_VALUE = ("--db", "--user", "--lang")


def _names_a_command(argv: list[str]) -> bool:
    """True unless argv holds only the global options (then the GUI starts)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif arg == "--lang" or arg.startswith("--lang="):
            pass
        elif not any(arg.startswith(opt + "=") for opt in _GLOBAL_WITH_VALUE):
            return True
    lang = _peek_option(argv, "--lang")
    return lang is not None and lang not in ("ar", "zh", "en", "fr", "ru", "es")  # let argparse refuse it


def _start_gui(argv: list[str]) -> int:
    import argparse as _argparse

    from trustfund_app.gui.app import run_gui

    args = _argparse.Namespace(db=_peek_option(argv, "--db"), user=_peek_option(argv, "--user"),
                               lang=_peek_option(argv, "--lang"))
    return run_gui(args)


def _peek_option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None
