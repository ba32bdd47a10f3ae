"""The value of a formula cell saved without its computed result: neither empty nor a value.

Its own module because the sheet parsers (``sheet_xml``), the reader and the cell values
(``values``) all need it and none of them should import the others for it.
"""

from __future__ import annotations


class NoCachedValue:
    """A formula cell saved without its computed result (e.g. written by a script)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_CACHED_VALUE"

    def __reduce__(self):  # the same singleton after travelling to another process
        return "NO_CACHED_VALUE"


NO_CACHED_VALUE = NoCachedValue()
