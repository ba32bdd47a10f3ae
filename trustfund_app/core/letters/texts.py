"""The wording of the letters, one JSON file per language in ``resources/letters/texts/``.

Letters are formal correspondence the fund may want to reword, so their text lives beside the
Word templates (built from the same files by ``tools/make_letter_templates.py``) rather than in
the interface catalogs. Paragraphs name their values in braces: ``{amount}``, ``{donor}``…; a
placeholder the letter does not know is reported, never printed as is."""

from __future__ import annotations

import json
import string
from functools import lru_cache

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, check_language
from trustfund_app.core.paths import resources_dir

KINDS = ("acknowledgement", "receipt", "award", "reminder")


def texts_dir():
    return resources_dir() / "letters" / "texts"


@lru_cache(maxsize=8)
def letter_texts(lang: str) -> dict:
    path = texts_dir() / f"{check_language(lang)}.json"
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def fill(text: str, values: dict[str, str]) -> str:
    unknown = placeholders(text) - values.keys()
    if unknown:
        raise ValidationError(_("the letter text names an unknown value {{{name}}}").format(name=sorted(unknown)[0]),
                              "letter")
    return text.format_map(values)
