"""Headquarters and field offices: identity and keys (``identity``, ``keys``), who may change what
(``ownership``), and the signed change packages that carry changes between them (``package``,
``export``, ``apply``, ``conflicts``). Qt-free like the rest of the core."""
