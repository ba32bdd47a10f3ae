"""The translation catalogs: current with the code, complete, placeholders intact, plurals right.

When one of these fails: ``python -m trustfund_app.i18n_tools update``, translate the new entries in
i18n/<lang>/LC_MESSAGES/trustfund.po (``missing``/``fill`` help), then ``check``.
"""

from __future__ import annotations

import gettext

import pytest

from trustfund_app import i18n_tools as tools

# babel/CLDR rules: French and Spanish have a third form for millions ("un million de donateurs")
PLURAL_FORMS = {"ar": 6, "zh": 1, "fr": 3, "ru": 3, "es": 3}


def _keys(catalog) -> set:
    return {tools._key(m) for m in tools._entries(catalog)}


def _show(keys) -> str:
    return "\n".join(sorted(repr(k[1]) for k in keys)[:40])


@pytest.fixture(scope="module")
def fresh_keys():
    return _keys(tools.extract_template())


@pytest.fixture(scope="module")
def catalogs():
    return {lang: tools.read_catalog(tools.po_path(lang), lang) for lang in tools.CATALOG_LANGUAGES}


def test_template_matches_the_code(fresh_keys):
    stored = _keys(tools.read_catalog(tools.TEMPLATE))
    assert not fresh_keys - stored, "strings in the code missing from i18n/trustfund.pot (run update):\n" + _show(fresh_keys - stored)
    assert not stored - fresh_keys, "template strings no longer in the code (run update):\n" + _show(stored - fresh_keys)


@pytest.mark.parametrize("lang", tools.CATALOG_LANGUAGES)
def test_catalog_matches_the_code(lang, fresh_keys, catalogs):
    keys = _keys(catalogs[lang])
    assert not fresh_keys - keys, f"{lang}: strings missing from the catalog (run update):\n" + _show(fresh_keys - keys)
    assert not keys - fresh_keys, f"{lang}: entries no longer in the code (run update):\n" + _show(keys - fresh_keys)


@pytest.mark.parametrize("lang", tools.CATALOG_LANGUAGES)
def test_catalog_is_complete_and_not_fuzzy(lang, catalogs):
    incomplete = tools.incomplete_entries(catalogs[lang])
    listing = "\n".join(("fuzzy: " if m.fuzzy else "untranslated: ") + tools._label(m) for m in incomplete[:40])
    assert not incomplete, f"{lang}: {len(incomplete)} entries need a translation:\n{listing}"


@pytest.mark.parametrize("lang", tools.CATALOG_LANGUAGES)
def test_placeholders_survive_translation(lang, catalogs):
    problems = tools.placeholder_problems(catalogs[lang], lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", tools.CATALOG_LANGUAGES)
def test_plural_forms_of_the_language(lang, catalogs):
    catalog = catalogs[lang]
    assert catalog.num_plurals == PLURAL_FORMS[lang]
    for message in tools._entries(catalog):
        if message.pluralizable:
            assert len(message.string) == PLURAL_FORMS[lang], tools._label(message)


def test_compiled_catalogs_translate_and_pick_plural_forms(tmp_path, catalogs):
    tools.compile_catalogs(tmp_path)
    for lang, catalog in catalogs.items():
        translation = gettext.translation(tools.DOMAIN, localedir=str(tmp_path), languages=[lang])
        done = [m for m in tools._entries(catalog) if not m.pluralizable and m.string and not m.context]
        for message in done[:20]:
            assert translation.gettext(message.id) == message.string
        plurals = [m for m in tools._entries(catalog) if m.pluralizable and all(m.string)]
        for message in plurals[:5]:
            # Russian: 1 ребёнок / 3 ребёнка / 5 детей — each count picks its own form
            counts = {"ar": (0, 1, 2, 5, 11, 100), "ru": (1, 3, 5), "fr": (1, 5, 10**6), "es": (1, 5, 10**6)}.get(lang, (1, 5))
            forms = [translation.ngettext(message.id[0], message.id[1], n) for n in counts]
            assert len(set(forms)) == len(set(message.string)), (lang, message.id, forms)


# -- the checker itself catches what it should ---------------------------------------------------
@pytest.fixture
def tiny_project(tmp_path):
    """A two-string project with a French catalog, to feed the checker known faults."""
    (tmp_path / "babel.cfg").write_text("[python: trustfund_app/**.py]\n")
    pkg = tmp_path / "trustfund_app"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        "from trustfund_app.core.i18n import _, ngettext, pgettext\n"
        "_('Pledge from {donor}')\n"
        "ngettext('{n} donor', '{n} donors', 2)\n"
        "pgettext('ledger', 'Balance')\n"
    )
    tools.update(tmp_path, languages=("fr",))
    return tmp_path


def test_checker_reports_untranslated_then_passes_when_filled(tiny_project):
    assert any("untranslated" in p for p in tools.check(tiny_project, languages=("fr",)))
    tools.fill("fr", {
        "Pledge from {donor}": "Annonce de contribution de {donor}",
        "{n} donor": ["{n} donateur", "{n} de donateurs", "{n} donateurs"],
        "ledger\x04Balance": "Solde",
    }, root=tiny_project)
    assert tools.check(tiny_project, languages=("fr",)) == []


def test_checker_reports_placeholder_mismatch_and_fuzzy(tiny_project):
    tools.fill("fr", {
        "Pledge from {donor}": "Annonce de contribution de {donateur}",
        "{n} donor": ["{n} donateur", "donateurs", "{n} donateurs"],
        "ledger\x04Balance": "Solde",
    }, root=tiny_project)
    problems = tools.check(tiny_project, languages=("fr",))
    assert any("{donateur}" in p for p in problems)
    assert any("msgstr[1]" in p for p in problems)
    path = tools.po_path("fr", tiny_project / "i18n")
    path.write_text(path.read_text().replace('msgctxt "ledger"', '#, fuzzy\nmsgctxt "ledger"'))
    assert any("fuzzy" in p and "Balance" in p for p in tools.check(tiny_project, languages=("fr",)))


def test_checker_reports_stale_catalogs(tiny_project):
    (tiny_project / "trustfund_app" / "m.py").write_text("from trustfund_app.core.i18n import _\n_('Grant to {grantee}')\n")
    problems = tools.check(tiny_project, languages=("fr",))
    assert any("new string" in p and "Grant to {grantee}" in p for p in problems)
    assert any("fr: not in the catalog" in p for p in problems)
    assert any("no longer in the code" in p and "Pledge from {donor}" in p for p in problems)


def test_percent_formats_must_match_too():
    assert tools.placeholders("%(count)d rows in %s") == (frozenset(), ("%(count)d", "%s"))
    assert tools.placeholders("100 %% sure, {n:,} rows") == (frozenset({"{n:,}"}), ())


def test_the_build_step_compiles_the_catalogs_into_the_package(tmp_path):
    """What `pip install .` runs: setup.py's build_py writes a .mo per language into the build."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)],
                         cwd=tools.ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for lang in tools.CATALOG_LANGUAGES:
        mo = tmp_path / "trustfund_app" / "locale" / lang / "LC_MESSAGES" / "trustfund.mo"
        with mo.open("rb") as f:
            translation = gettext.GNUTranslations(f)
        assert translation.gettext("Settings") != "Settings", lang


def test_a_catalog_is_recompiled_whenever_its_po_changed(tiny_project, tmp_path):
    """Even a .po older than its .mo (written while the .mo was compiled from the previous one)."""
    import os

    i18n_dir, dest = tiny_project / "i18n", tmp_path / "locale"
    assert len(tools.compile_catalogs(dest, i18n_dir, only_stale=True)) == 1
    assert tools.compile_catalogs(dest, i18n_dir, only_stale=True) == []
    po = tools.po_path("fr", i18n_dir)
    older = po.stat().st_mtime_ns - 10**9
    os.utime(po, ns=(older, older))
    assert len(tools.compile_catalogs(dest, i18n_dir, only_stale=True)) == 1


# -- issue 19: counted strings, ambiguous words, UN terminology ----------------------------------
# placeholders that stand for a number of things: a message "{count} events" must be an ngettext
# plural, or Arabic (6 forms) and Russian (3) show the wrong form for most numbers
COUNTED = frozenset({
    "count", "rows", "events", "days", "pages", "limit", "months", "years", "total", "shown", "currencies",
    "pledges", "payments", "cycles", "applications", "grantees", "countries", "grants", "donors", "statements",
    "items", "flagged", "inserted", "max",
})
_JOINING = frozenset({"of", "to", "in", "and", "or", "from", "at", "on", "by", "for", "s", "MB", "UTC"})


def counted_without_plural(messages) -> list[str]:
    """Singular-only msgids where a counted placeholder is followed by the word it counts."""
    import re

    found = []
    for message in messages:
        if not message.id or message.pluralizable:
            continue
        for name, word in re.findall(r"\{(\w+)\}\s+([^\W\d]+)", message.id):
            if name in COUNTED and word not in _JOINING:
                found.append(message.id)
                break
    return found


def test_the_counted_string_detector_catches_what_it_should():
    from babel.messages.catalog import Message

    assert counted_without_plural([Message("{count} events"), Message("Restored {rows} rows: done")]) == [
        "{count} events", "Restored {rows} rows: done"]
    assert counted_without_plural([Message(("{count} event", "{count} events")), Message("Page {page} of {pages}"),
                                   Message("My work ({count})"), Message("{count} of {total}: {donor}"),
                                   Message("{seconds} s")]) == []


def test_every_counted_string_uses_ngettext():
    template = tools.extract_template()
    assert not counted_without_plural(template), "use ngettext for: " + "; ".join(counted_without_plural(template))


def test_due_and_approved_carry_their_meaning():
    """One English word, two meanings: each meaning has its own context, so translators can tell."""
    template = tools.extract_template()
    contexts = {word: {m.context for m in template if m.id == word} for word in ("Due", "Approved")}
    assert {"status", "date"} <= contexts["Due"]
    assert {"date", "amount", "signature"} <= contexts["Approved"]


def _translations(catalog, predicate):
    for message in tools._entries(catalog):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if any(predicate(i) for i in ids):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield message.id, strings


def test_un_terminology(catalogs):
    """UNTERM: قسط is an instalment (دفعة is a payment); the audit trail; a shelter; a pledge."""
    for msgid, strings in _translations(catalogs["ar"], lambda i: "instalment" in i.lower() and "payment" not in i):
        assert all("دفعة" not in s and "الدفعات" not in s for s in strings), msgid
        assert all("قسط" in s or "أقساط" in s or "القسط" in s for s in strings), msgid
    audit = {"ar": "سجل مراجعة الحسابات", "zh": "审计线索", "ru": ("контрольн", "след")}
    for lang, term in audit.items():
        for msgid, strings in _translations(catalogs[lang], lambda i: "audit trail" in i.lower()):
            for s in strings:
                assert all(t in s.lower() for t in ((term,) if isinstance(term, str) else term)), (lang, msgid, s)
    assert dict(_translations(catalogs["ru"], lambda i: i == "Shelter"))["Shelter"] == ("Приют",)
    for msgid, strings in _translations(catalogs["ru"], lambda i: "pledge" in i.lower()):
        assert all("объяв" in s.lower() for s in strings), msgid
    assert "antigüedades" not in dict(_translations(catalogs["es"], lambda i: i == "All ages"))["All ages"][0]


def test_french_typography_and_arabic_file_extensions(catalogs):
    import re

    for msgid, strings in _translations(catalogs["fr"], lambda i: True):
        for s in strings:
            assert not re.search(r" [:;?!]|[^\s\u00a0\u202f\d/:][:;?!](\s|$)", s), (msgid, s)
    for msgid, strings in _translations(catalogs["ar"], lambda i: ".xls" in i and "(*." not in i):
        assert all("\u200e.xls" in s for s in strings), msgid
