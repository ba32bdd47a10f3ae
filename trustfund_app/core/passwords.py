"""Password rules after NIST SP 800-63B (section 5.1.1.2): at least 8 characters, no composition
rules (no "one digit and one symbol"), and a refusal of passwords known to be common, repetitive
or derived from the account name. The common-password list is zxcvbn's (the 30,000 most frequent
passwords of published breaches), a maintained package rather than a list kept here."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, ngettext

MIN_LENGTH = 8
MAX_LENGTH = 256  # long passphrases welcome; a megabyte "password" is not (it is hashed on every login)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _is_sequence(text: str) -> bool:
    """'12345678', 'abcdefgh', '87654321': each character one step from the last."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return len(steps) == 1 and steps <= {1, -1}


def check_password(password: str | None, user_name: str = "") -> str:
    """The password, NFC-normalised (the same password typed on another keyboard matches), or a
    ValidationError on field "password" saying which rule it breaks."""
    password = unicodedata.normalize("NFC", password or "")
    if len(password) < MIN_LENGTH:
        raise ValidationError(ngettext("the password must have at least {count} character",
                                       "the password must have at least {count} characters", MIN_LENGTH).format(
                                       count=MIN_LENGTH),
                              "password")
    if len(password) > MAX_LENGTH:
        raise ValidationError(ngettext("the password must have at most {count} character",
                                       "the password must have at most {count} characters", MAX_LENGTH).format(
                                       count=MAX_LENGTH),
                              "password")
    folded = password.casefold()
    if (folded in _common_passwords() or len(set(folded)) == 1 or _is_sequence(folded)
            or (user_name and user_name.strip().casefold() in folded)):
        raise ValidationError(_("this password is too easy to guess (a common, repetitive or sequential password, "
                                "or one containing the user name); choose another"), "password")
    return password
