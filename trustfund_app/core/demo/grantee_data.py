"""Fixed material for the programme side of the demo: the countries where grantee NGOs work (with
the language their names are written in), name and title patterns, contact names. The NGOs are
invented. Data, not logic."""

from __future__ import annotations

# (ISO 3166 alpha-3, naming style) — the countries where the demo's grantees assist victims.
NGO_COUNTRIES: tuple[tuple[str, str], ...] = (
    # Africa
    ("NGA", "en"), ("GHA", "en"), ("KEN", "en"), ("UGA", "en"), ("ETH", "en"), ("SEN", "fr"), ("MLI", "fr"),
    ("BFA", "fr"), ("CIV", "fr"), ("CMR", "fr"), ("COD", "fr"), ("ZAF", "en"), ("ZWE", "en"), ("MOZ", "en"),
    ("MDG", "fr"), ("EGY", "ar"), ("TUN", "ar"), ("MAR", "fr"), ("BEN", "fr"), ("SLE", "en"), ("TZA", "en"),
    # Americas
    ("MEX", "es"), ("GTM", "es"), ("HND", "es"), ("SLV", "es"), ("COL", "es"), ("PER", "es"), ("BOL", "es"),
    ("ECU", "es"), ("BRA", "en"), ("ARG", "es"), ("PRY", "es"), ("DOM", "es"), ("HTI", "fr"), ("CRI", "es"),
    # Asia
    ("NPL", "en"), ("IND", "en"), ("BGD", "en"), ("PAK", "en"), ("LKA", "en"), ("THA", "en"), ("KHM", "en"),
    ("VNM", "en"), ("PHL", "en"), ("IDN", "en"), ("LAO", "en"), ("MNG", "en"), ("KGZ", "ru"), ("UZB", "ru"),
    ("KAZ", "ru"), ("TJK", "ru"), ("JOR", "ar"), ("LBN", "ar"), ("IRQ", "ar"), ("ARM", "ru"), ("GEO", "en"),
    # Europe
    ("UKR", "en"), ("MDA", "ru"), ("ALB", "en"), ("SRB", "en"), ("BIH", "en"), ("MKD", "en"), ("ROU", "en"),
    ("BGR", "en"), ("GRC", "en"),
    # Oceania
    ("FJI", "en"), ("PNG", "en"), ("SLB", "en"),
)
# Countries large enough for a second grantee.
SECOND_NGO = ("NGA", "IND", "PHL", "MEX", "COL")

ROOTS = (
    "New Dawn", "Safe Haven", "Bridges of Hope", "Open Doors", "Light of Hope", "Free Voices", "Sunrise",
    "Safe Passage", "Lifeline", "Second Chance", "Harbour", "Compass", "Beacon", "Rainbow", "Dignity First",
    "Resilience", "Helping Hands", "Sisters United", "Hope Rising", "Pathways",
)
ROOTS_FR = ("Aube Nouvelle", "Espoir", "Main Tendue", "Dignité", "Solidarité", "Horizon", "Refuge", "Lumière")
ROOTS_ES = ("Nuevo Amanecer", "Esperanza", "Manos Unidas", "Dignidad", "Caminos", "Luz de Vida", "Refugio", "Horizonte")
ROOTS_AR = ("Al-Amal", "Al-Nour", "Al-Karama", "Al-Salam", "Al-Fajr", "Al-Rahma")
ROOTS_RU = ("Nadezhda", "Rassvet", "Doverie", "Zashchita", "Istok", "Most")

PATTERNS = {
    "en": ("{root} Foundation ({place})", "{root} Women's Network, {place}", "{root} Centre for Victims of Trafficking",
           "{place} Anti-Trafficking Coalition - {root}", "{root} Child Protection Initiative"),
    "fr": ("Association {root} pour la protection des femmes et des enfants ({place})", "Fondation {root}, {place}",
           "Centre {root} d'accueil des victimes"),
    "es": ("Fundación {root} ({place})", "Asociación {root} contra la Trata de Personas",
           "Red {root} de Apoyo a Víctimas, {place}"),
    "ar": ("{root} Society for the Protection of Women and Children ({place})", "{root} Association for Human Rights"),
    "ru": ("{root} Centre for Victims' Support ({place})", "Public Association {root}"),
}
ROOTS_BY_STYLE = {"en": ROOTS, "fr": ROOTS_FR, "es": ROOTS_ES, "ar": ROOTS_AR, "ru": ROOTS_RU}

SERVICES = (
    "Shelter and psychosocial support", "Legal aid and court accompaniment", "Medical care and safe housing",
    "Economic reintegration", "Emergency assistance", "Case management and family tracing",
    "Vocational training and reintegration", "Trauma counselling and legal assistance",
)
GROUPS = (
    "women and girls trafficked for sexual exploitation", "children victims of trafficking",
    "victims of forced labour", "migrant victims of trafficking", "victims of trafficking in conflict settings",
    "survivors of trafficking for forced marriage", "boys and young men trafficked for labour",
)

FIRST_NAMES = ("Amina", "Grace", "Fatou", "María", "Lucía", "Anjali", "Mai", "Olena", "Nadia", "Sara", "Ana",
               "Joseph", "Samuel", "Carlos", "Ibrahim", "Rahul", "Dmitri", "Nour", "Leila", "Chloé")
LAST_NAMES = ("Okafor", "Mensah", "Diallo", "García", "Hernández", "Sharma", "Nguyen", "Kovalenko", "Haddad",
              "Silva", "Traoré", "Mwangi", "Rahman", "Petrov", "Costa", "Ali", "Morales", "Banda", "Santos", "Popescu")

REJECTION_NOTES = (
    "Outside the Fund's mandate (no direct assistance to victims)",
    "Organisation not registered in the country of implementation",
    "Budget not justified",
    "Incomplete application",
    "Duplicate of another application",
    "Lower priority within the envelope",
)
