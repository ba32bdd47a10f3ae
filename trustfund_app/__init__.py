"""TrustFund Desk — donors, contributions, grants and statements for the UN Voluntary Trust Fund
for Victims of Trafficking in Persons."""

__version__ = "0.1.0"
