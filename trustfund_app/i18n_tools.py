"""Translation catalogs: extract, update, compile and check (babel's Python API).

    python -m trustfund_app.i18n_tools extract   # code -> i18n/trustfund.pot
    python -m trustfund_app.i18n_tools update    # extract, then merge into i18n/<lang>/LC_MESSAGES/trustfund.po
    python -m trustfund_app.i18n_tools compile   # i18n/*.po -> trustfund_app/locale/<lang>/LC_MESSAGES/trustfund.mo
    python -m trustfund_app.i18n_tools check     # stale, untranslated, fuzzy or placeholder-mismatched entries
    python -m trustfund_app.i18n_tools missing fr    # untranslated/fuzzy entries of one language, as JSON
    python -m trustfund_app.i18n_tools fill fr new.json  # put translations from such a JSON into the .po

The .po files under ``i18n/`` are the source of truth; the compiled .mo files are build products
(made by ``pip install`` through setup.py, by the PyInstaller spec, and — in a source checkout — at
first use when missing or older than their .po). English is the source language and needs no
catalog: gettext's NullTranslations already does English plurals.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import string
import sys
from datetime import datetime, timezone
from pathlib import Path

DOMAIN = "trustfund"
ROOT = Path(__file__).resolve().parent.parent
I18N_DIR = ROOT / "i18n"
TEMPLATE = I18N_DIR / f"{DOMAIN}.pot"
MAPPING = ROOT / "babel.cfg"
CATALOG_LANGUAGES = ("ar", "zh", "fr", "ru", "es")  # English is the source language
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pN_": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators:",)
PO_WIDTH = 100


def po_path(lang: str, i18n_dir: Path = I18N_DIR) -> Path:
    return i18n_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def default_locale_dir() -> Path:
    return ROOT / "trustfund_app" / "locale"


def mo_path(lang: str, locale_dir: Path | None = None) -> Path:
    return (locale_dir or default_locale_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


# -- extract -----------------------------------------------------------------------------------
def _new_catalog(locale: str | None = None):
    from babel.messages.catalog import Catalog
    from trustfund_app import __version__

    return Catalog(
        locale=locale, domain=DOMAIN, project="TrustFund Desk", version=__version__,
        copyright_holder="TrustFund Desk contributors", charset="utf-8",
        creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )


def extract_template(root: Path = ROOT):
    """A fresh template catalog of every marked string under ``root`` (as babel.cfg says)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(root / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = _new_catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    ):
        if isinstance(message, tuple) and message[0] is None:
            continue  # e.g. _(variable): nothing to translate here
        catalog.add(message, None, [(filename.replace("\\", "/"), lineno)], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog, template: bool = False) -> bytes:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=PO_WIDTH, include_lineno=False, ignore_obsolete=True, omit_header=False,
             sort_output=False, include_previous=False)
    return buf.getvalue()


_VOLATILE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"\n', re.M)


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Rewrite only when more than the header dates changed (keeps git diffs meaningful)."""
    if path.exists() and _VOLATILE.sub(b"", path.read_bytes()) == _VOLATILE.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a compile running meanwhile reads the old or the new file, never half
    return True


def extract(root: Path = ROOT):
    template = extract_template(root)
    _write_if_changed(root / "i18n" / f"{DOMAIN}.pot", _po_bytes(template))
    return template


def read_catalog(path: Path, lang: str | None = None):
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


# -- update ------------------------------------------------------------------------------------
def update(root: Path = ROOT, languages=CATALOG_LANGUAGES) -> dict[str, int]:
    """Extract, then merge the template into every language's .po (new ones created).
    Returns how many entries each language still lacks."""
    template = extract(root)
    todo = {}
    for lang in languages:
        path = po_path(lang, root / "i18n")
        catalog = read_catalog(path, lang) if path.exists() else _new_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.fuzzy = False  # a fuzzy header makes GNU tools ignore Plural-Forms
        catalog.last_translator = catalog.language_team = "TrustFund Desk translators"
        catalog.obsolete.clear()
        _write_if_changed(path, _po_bytes(catalog))
        todo[lang] = len(incomplete_entries(catalog))
    return todo


# -- compile -----------------------------------------------------------------------------------
def compile_catalogs(locale_dir: Path | None = None, i18n_dir: Path = I18N_DIR, only_stale: bool = False) -> list[Path]:
    """Compile every i18n/<lang>/LC_MESSAGES/trustfund.po into ``locale_dir`` (default
    trustfund_app/locale). Fuzzy entries are left out (they fall back to English)."""
    written = []
    for po in sorted(i18n_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        mo = mo_path(lang, locale_dir)
        source_time = po.stat().st_mtime_ns  # read before the .po: a newer .po means compile again
        if only_stale and mo.exists() and mo.stat().st_mtime_ns == source_time:
            continue
        from babel.messages.mofile import write_mo

        catalog = read_catalog(po, lang)
        mo.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        # the .mo carries its .po's time: "stale" is any difference, even if the .po changed while
        # this compile read it (another process writing it)
        os.utime(tmp, ns=(source_time, source_time))
        tmp.replace(mo)  # atomic: a running app never reads half a file
        written.append(mo)
    return written


# -- check -------------------------------------------------------------------------------------
# %-directives without the space flag: "50 % away" is a percentage in prose, not "% a"
_PERCENT = re.compile(r"%(?:\((\w+)\))?[#0+-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The ``{name}`` fields (with conversion and spec) and the %-directives of a message."""
    fields = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            fields.add("{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    percents = tuple(sorted(m.group(0) for m in _PERCENT.finditer(text) if m.group(0) != "%%"))
    return frozenset(fields), percents


def _key(message) -> tuple:
    if isinstance(message.id, (tuple, list)):
        return (message.context, message.id[0], message.id[1])
    return (message.context, message.id, None)


def _label(message) -> str:
    ident = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return (f"[{message.context}] " if message.context else "") + repr(ident)


def _entries(catalog):
    return [m for m in catalog if m.id]


def incomplete_entries(catalog) -> list:
    out = []
    for message in _entries(catalog):
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if message.fuzzy or not all(strings) or len(strings) != (catalog.num_plurals if message.pluralizable else 1):
            out.append(message)
    return out


def placeholder_problems(catalog, lang: str) -> list[str]:
    problems = []
    for message in _entries(catalog):
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        try:
            allowed = {placeholders(i) for i in ids}
        except ValueError as exc:
            problems.append(f"{lang}: {_label(message)}: msgid is not a valid format string ({exc})")
            continue
        for index, text in enumerate(strings):
            if not text:
                continue
            try:
                found = placeholders(text)
            except ValueError as exc:
                problems.append(f"{lang}: {_label(message)}: msgstr[{index}] has unbalanced braces ({exc})")
                continue
            if found not in allowed:
                want = " or ".join(sorted(str(sorted(a[0]) + list(a[1])) for a in allowed))
                problems.append(
                    f"{lang}: {_label(message)}: msgstr[{index}] has placeholders {sorted(found[0]) + list(found[1])}, "
                    f"expected {want}"
                )
    return problems


def check(root: Path = ROOT, languages=CATALOG_LANGUAGES) -> list[str]:
    """Everything wrong with the catalogs, one line each (empty list = all good)."""
    problems = []
    fresh = {_key(m) for m in _entries(extract_template(root))}
    template_path = root / "i18n" / f"{DOMAIN}.pot"
    if not template_path.exists():
        return [f"{template_path} is missing: run `python -m trustfund_app.i18n_tools update`"]
    stored = {_key(m) for m in _entries(read_catalog(template_path))}
    for key in sorted(fresh - stored, key=str):
        problems.append(f"template: new string in the code not in {template_path.name}: {key[1]!r} (run update)")
    for key in sorted(stored - fresh, key=str):
        problems.append(f"template: string no longer in the code: {key[1]!r} (run update)")
    for lang in languages:
        path = po_path(lang, root / "i18n")
        if not path.exists():
            problems.append(f"{lang}: {path} is missing (run update)")
            continue
        catalog = read_catalog(path, lang)
        keys = {_key(m) for m in _entries(catalog)}
        for key in sorted(fresh - keys, key=str):
            problems.append(f"{lang}: not in the catalog (run update): {key[1]!r}")
        for key in sorted(keys - fresh, key=str):
            problems.append(f"{lang}: catalog entry no longer in the code (run update): {key[1]!r}")
        for message in incomplete_entries(catalog):
            problems.append(f"{lang}: {'fuzzy' if message.fuzzy else 'untranslated'}: {_label(message)}")
        problems.extend(placeholder_problems(catalog, lang))
    return problems


# -- translating helpers -----------------------------------------------------------------------
def _json_key(message) -> str:
    ident = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return f"{message.context}\x04{ident}" if message.context else ident


def missing(lang: str, root: Path = ROOT) -> dict:
    """Untranslated or fuzzy entries: {key: {"msgid", "plural", "nplurals", "comments"}}."""
    catalog = read_catalog(po_path(lang, root / "i18n"), lang)
    out = {}
    for message in incomplete_entries(catalog):
        entry = {"msgid": message.id[0] if message.pluralizable else message.id}
        if message.pluralizable:
            entry["plural"], entry["nplurals"] = message.id[1], catalog.num_plurals
        if message.context:
            entry["context"] = message.context
        if message.auto_comments:
            entry["comments"] = list(message.auto_comments)
        out[_json_key(message)] = entry
    return out


def fill(lang: str, translations: dict, root: Path = ROOT) -> int:
    """Set msgstrs from {key: text or [plural forms]} (keys as ``missing`` prints them); clears
    the fuzzy flag. Returns how many entries were set; unknown keys raise KeyError."""
    path = po_path(lang, root / "i18n")
    catalog = read_catalog(path, lang)
    by_key = {_json_key(m): m for m in _entries(catalog)}
    unknown = [k for k in translations if k not in by_key]
    if unknown:
        raise KeyError(f"not in the {lang} catalog: {unknown[:5]}")
    for key, text in translations.items():
        message = by_key[key]
        if message.pluralizable:
            forms = list(text) if isinstance(text, (list, tuple)) else [text] * catalog.num_plurals
            if len(forms) != catalog.num_plurals:
                raise ValueError(f"{lang}: {key!r} needs {catalog.num_plurals} plural forms, got {len(forms)}")
            message.string = tuple(forms)
        else:
            message.string = text
        message.flags.discard("fuzzy")
    _write_if_changed(path, _po_bytes(catalog))
    return len(translations)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trustfund_app.i18n_tools", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write i18n/trustfund.pot from the code")
    sub.add_parser("update", help="extract, then merge new strings into every .po")
    comp = sub.add_parser("compile", help="compile the .po files into .mo files")
    comp.add_argument("--dest", type=Path, help="locale folder (default trustfund_app/locale)")
    sub.add_parser("check", help="fail on stale, untranslated, fuzzy or placeholder-mismatched entries")
    miss = sub.add_parser("missing", help="print one language's untranslated entries as JSON")
    miss.add_argument("lang", choices=CATALOG_LANGUAGES)
    fil = sub.add_parser("fill", help="set translations from a JSON file {key: text or [forms]}")
    fil.add_argument("lang", choices=CATALOG_LANGUAGES)
    fil.add_argument("json_file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "extract":
        template = extract()
        print(f"{TEMPLATE.relative_to(ROOT)}: {len(_entries(template))} strings")
    elif args.command == "update":
        for lang, count in update().items():
            print(f"{po_path(lang).relative_to(ROOT)}: {count} to translate")
    elif args.command == "compile":
        for mo in compile_catalogs(args.dest):
            print(mo)
    elif args.command == "check":
        problems = check()
        for line in problems:
            print(line)
        print(f"{len(problems)} problem(s)" if problems else "catalogs complete and up to date")
        return 1 if problems else 0
    elif args.command == "missing":
        json.dump(missing(args.lang), sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.command == "fill":
        count = fill(args.lang, json.loads(args.json_file.read_text(encoding="utf-8")))
        print(f"{po_path(args.lang).relative_to(ROOT)}: {count} entries set")
    return 0


if __name__ == "__main__":
    sys.exit(main())
