"""Fixed facts the demo fund is drawn from: donors (real Member State names as the UN writes them,
ISO 3166 alpha-3 codes, the UN language a statement would be sent in, the currency they pay in,
the aliases met in spreadsheets) and the currencies with realistic UNORE levels.

Only the *amounts* and dates are invented (by the seeded generator); the donors other than Member
States and intergovernmental bodies are made up. Data, not logic.
"""

from __future__ import annotations

from dataclasses import dataclass

from trustfund_app.core.models import DonorType


@dataclass(frozen=True)
class DonorSeed:
    name: str
    type: str
    country: str | None  # ISO 3166 alpha-3 (for organisations: where they sit)
    language: str  # one of ar zh en fr ru es
    currency: str  # what they pledge and pay in
    tier: str  # size of their gifts: major, regular, small, tiny
    aliases: tuple[str, ...] = ()


MS = DonorType.MEMBER_STATE

# Member States from all five UN M49 regions.
MEMBER_STATES: tuple[DonorSeed, ...] = (
    # Africa
    DonorSeed("Egypt", MS, "EGY", "ar", "USD", "small", ("Arab Republic of Egypt", "مصر")),
    DonorSeed("Morocco", MS, "MAR", "fr", "USD", "small", ("Kingdom of Morocco", "Royaume du Maroc", "المغرب")),
    DonorSeed("Algeria", MS, "DZA", "ar", "USD", "small", ("People's Democratic Republic of Algeria", "الجزائر")),
    DonorSeed("Nigeria", MS, "NGA", "en", "USD", "regular", ("Federal Republic of Nigeria",)),
    DonorSeed("South Africa", MS, "ZAF", "en", "ZAR", "small", ("Republic of South Africa",)),
    DonorSeed("Senegal", MS, "SEN", "fr", "USD", "small", ("Republic of Senegal", "République du Sénégal")),
    DonorSeed("Côte d'Ivoire", MS, "CIV", "fr", "USD", "small", ("Ivory Coast", "République de Côte d'Ivoire")),
    DonorSeed("Kenya", MS, "KEN", "en", "USD", "small", ("Republic of Kenya",)),
    DonorSeed("Ghana", MS, "GHA", "en", "USD", "small", ("Republic of Ghana",)),
    DonorSeed("Tunisia", MS, "TUN", "ar", "USD", "small", ("Tunisian Republic", "تونس")),
    # Americas
    DonorSeed("United States of America", MS, "USA", "en", "USD", "major", ("United States", "USA")),
    DonorSeed("Canada", MS, "CAN", "en", "CAD", "regular", ("Government of Canada",)),
    DonorSeed("Mexico", MS, "MEX", "es", "USD", "regular", ("United Mexican States", "Estados Unidos Mexicanos")),
    DonorSeed("Argentina", MS, "ARG", "es", "USD", "small", ("Argentine Republic", "República Argentina")),
    DonorSeed("Colombia", MS, "COL", "es", "USD", "small", ("Republic of Colombia", "República de Colombia")),
    DonorSeed("Chile", MS, "CHL", "es", "USD", "small", ("Republic of Chile", "República de Chile")),
    DonorSeed("Peru", MS, "PER", "es", "USD", "small", ("Republic of Peru", "República del Perú")),
    DonorSeed("Panama", MS, "PAN", "es", "USD", "small", ("Republic of Panama", "República de Panamá")),
    DonorSeed("Guatemala", MS, "GTM", "es", "USD", "tiny", ("Republic of Guatemala",)),
    DonorSeed("Brazil", MS, "BRA", "en", "USD", "small", ("Federative Republic of Brazil", "Brasil")),
    # Asia
    DonorSeed("China", MS, "CHN", "zh", "CNY", "regular", ("People's Republic of China", "中国", "中华人民共和国")),
    DonorSeed("Japan", MS, "JPN", "en", "JPY", "major", ("日本国",)),
    DonorSeed("Republic of Korea", MS, "KOR", "en", "USD", "regular", ("South Korea", "Korea, Republic of")),
    DonorSeed("India", MS, "IND", "en", "USD", "small", ("Republic of India",)),
    DonorSeed("Saudi Arabia", MS, "SAU", "ar", "SAR", "major", ("Kingdom of Saudi Arabia", "المملكة العربية السعودية")),
    DonorSeed("Kuwait", MS, "KWT", "ar", "KWD", "regular", ("State of Kuwait", "دولة الكويت")),
    DonorSeed("Qatar", MS, "QAT", "ar", "QAR", "major", ("State of Qatar", "دولة قطر")),
    DonorSeed("United Arab Emirates", MS, "ARE", "ar", "AED", "major", ("UAE", "الإمارات العربية المتحدة")),
    DonorSeed("Bahrain", MS, "BHR", "ar", "USD", "small", ("Kingdom of Bahrain", "مملكة البحرين")),
    DonorSeed("Israel", MS, "ISR", "en", "USD", "small", ("State of Israel",)),
    DonorSeed("Türkiye", MS, "TUR", "en", "USD", "regular", ("Turkey", "Republic of Türkiye")),
    DonorSeed("Philippines", MS, "PHL", "en", "USD", "small", ("Republic of the Philippines",)),
    DonorSeed("Thailand", MS, "THA", "en", "USD", "small", ("Kingdom of Thailand",)),
    DonorSeed("Kazakhstan", MS, "KAZ", "ru", "USD", "small", ("Republic of Kazakhstan", "Республика Казахстан")),
    # Europe
    DonorSeed("Germany", MS, "DEU", "en", "EUR", "major", ("Federal Republic of Germany", "Deutschland")),
    DonorSeed("France", MS, "FRA", "fr", "EUR", "major", ("French Republic", "République française")),
    DonorSeed("United Kingdom of Great Britain and Northern Ireland", MS, "GBR", "en", "GBP", "major",
              ("United Kingdom", "UK", "Great Britain")),
    DonorSeed("Switzerland", MS, "CHE", "fr", "CHF", "regular", ("Swiss Confederation", "Confédération suisse")),
    DonorSeed("Sweden", MS, "SWE", "en", "SEK", "regular", ("Kingdom of Sweden", "Sverige")),
    DonorSeed("Norway", MS, "NOR", "en", "NOK", "regular", ("Kingdom of Norway", "Norge")),
    DonorSeed("Denmark", MS, "DNK", "en", "DKK", "regular", ("Kingdom of Denmark", "Danmark")),
    DonorSeed("Netherlands (Kingdom of the)", MS, "NLD", "en", "EUR", "regular",
              ("Netherlands", "Kingdom of the Netherlands", "Nederland")),
    DonorSeed("Belgium", MS, "BEL", "fr", "EUR", "regular", ("Kingdom of Belgium", "Belgique")),
    DonorSeed("Spain", MS, "ESP", "es", "EUR", "regular", ("Kingdom of Spain", "España")),
    DonorSeed("Italy", MS, "ITA", "en", "EUR", "regular", ("Italian Republic", "Italia")),
    DonorSeed("Austria", MS, "AUT", "en", "EUR", "regular", ("Republic of Austria", "Österreich")),
    DonorSeed("Finland", MS, "FIN", "en", "EUR", "small", ("Republic of Finland", "Suomi")),
    DonorSeed("Luxembourg", MS, "LUX", "fr", "EUR", "small", ("Grand Duchy of Luxembourg", "Grand-Duché de Luxembourg")),
    DonorSeed("Monaco", MS, "MCO", "fr", "EUR", "small", ("Principality of Monaco", "Principauté de Monaco")),
    DonorSeed("Liechtenstein", MS, "LIE", "en", "CHF", "small", ("Principality of Liechtenstein",)),
    DonorSeed("Russian Federation", MS, "RUS", "ru", "RUB", "regular", ("Russia", "Российская Федерация")),
    DonorSeed("Belarus", MS, "BLR", "ru", "USD", "small", ("Republic of Belarus", "Республика Беларусь")),
    DonorSeed("Poland", MS, "POL", "en", "USD", "small", ("Republic of Poland", "Polska")),
    DonorSeed("Portugal", MS, "PRT", "en", "EUR", "small", ("Portuguese Republic",)),
    # Oceania
    DonorSeed("Australia", MS, "AUS", "en", "AUD", "regular", ("Commonwealth of Australia",)),
    DonorSeed("New Zealand", MS, "NZL", "en", "NZD", "small", ("Aotearoa New Zealand",)),
    DonorSeed("Fiji", MS, "FJI", "en", "USD", "tiny", ("Republic of Fiji",)),
)

# Everyone else. Intergovernmental bodies are real; companies, foundations, people and campaigns
# are invented for the demo.
OTHER_DONORS: tuple[DonorSeed, ...] = (
    DonorSeed("European Union", DonorType.INTERGOVERNMENTAL, "BEL", "en", "EUR", "major",
              ("EU", "European Commission")),
    DonorSeed("Organization for Security and Co-operation in Europe", DonorType.INTERGOVERNMENTAL, "AUT", "en", "EUR",
              "small", ("OSCE",)),
    DonorSeed("League of Arab States", DonorType.INTERGOVERNMENTAL, "EGY", "ar", "USD", "small",
              ("Arab League", "جامعة الدول العربية")),
    DonorSeed("Council of Europe", DonorType.INTERGOVERNMENTAL, "FRA", "fr", "EUR", "small", ("Conseil de l'Europe",)),
    DonorSeed("International Organization for Migration", DonorType.UN_ENTITY, "CHE", "en", "USD", "small", ("IOM",)),
    DonorSeed("United Nations Development Programme", DonorType.UN_ENTITY, "USA", "en", "USD", "small", ("UNDP",)),
    DonorSeed("Meridian Logistics Group plc", DonorType.PRIVATE_SECTOR, "GBR", "en", "GBP", "small",
              ("Meridian Logistics",)),
    DonorSeed("Azure Hotels International LLC", DonorType.PRIVATE_SECTOR, "ARE", "ar", "AED", "small",
              ("Azure Hotels", "فنادق أزور الدولية")),
    DonorSeed("Sakura Electronics Co., Ltd.", DonorType.PRIVATE_SECTOR, "JPN", "en", "JPY", "small",
              ("Sakura Electronics", "樱花电子")),
    DonorSeed("Andes Minería S.A.", DonorType.PRIVATE_SECTOR, "CHL", "es", "USD", "tiny", ("Andes Mineria",)),
    DonorSeed("Nordlys Shipping AS", DonorType.PRIVATE_SECTOR, "NOR", "en", "NOK", "small", ("Nordlys Shipping",)),
    DonorSeed("Lumière Cosmétiques SA", DonorType.PRIVATE_SECTOR, "FRA", "fr", "EUR", "tiny", ("Lumiere Cosmetiques",)),
    DonorSeed("Hope Without Borders Foundation", DonorType.FOUNDATION, "USA", "en", "USD", "small", ("HWB Foundation",)),
    DonorSeed("Fondation Horizon Solidaire", DonorType.FOUNDATION, "CHE", "fr", "CHF", "small", ("Horizon Solidaire",)),
    DonorSeed("Al-Noor Charitable Foundation", DonorType.FOUNDATION, "KWT", "ar", "KWD", "small",
              ("Al Noor Foundation", "مؤسسة النور الخيرية")),
    DonorSeed("Silk Road Children's Foundation", DonorType.FOUNDATION, "CHN", "zh", "CNY", "tiny",
              ("丝路儿童基金会",)),
    DonorSeed("Fundación Caminos Libres", DonorType.FOUNDATION, "ESP", "es", "EUR", "tiny", ("Caminos Libres",)),
    DonorSeed("Ms. Amina Haddad", DonorType.INDIVIDUAL, "LBN", "ar", "USD", "gift", ("Amina Haddad",)),
    DonorSeed("Mr. Hiroshi Tanaka", DonorType.INDIVIDUAL, "JPN", "en", "JPY", "gift", ("Hiroshi Tanaka",)),
    DonorSeed("Ms. Elena Petrova", DonorType.INDIVIDUAL, "RUS", "ru", "RUB", "gift", ("Elena Petrova", "Елена Петрова")),
    DonorSeed("Mr. John Whitfield", DonorType.INDIVIDUAL, "AUS", "en", "AUD", "gift", ("John Whitfield",)),
    DonorSeed("Blue Heart Campaign online donations", DonorType.OTHER, "AUT", "en", "USD", "gift",
              ("Blue Heart Campaign",)),
    DonorSeed("Geneva charity gala for victims of trafficking", DonorType.OTHER, "CHE", "fr", "CHF", "gift",
              ("Gala de Genève",)),
)

ALL_DONORS: tuple[DonorSeed, ...] = MEMBER_STATES + OTHER_DONORS

# Yearly gift in USD (low, high) per tier; "gift" donors give without pledging.
TIER_USD = {
    "major": (50_000, 150_000),
    "regular": (12_000, 45_000),
    "small": (3_000, 12_000),
    "tiny": (1_000, 4_000),
    "gift": (200, 5_000),
}
# Chance that a donor of the tier pledges in a given year.
TIER_PLEDGE_CHANCE = {"major": 0.85, "regular": 0.6, "small": 0.4, "tiny": 0.3, "gift": 0.0}


@dataclass(frozen=True)
class CurrencySeed:
    code: str
    level: float  # typical units per USD (UNORE, 2010s–2020s)
    monthly_sigma: float  # month-to-month log volatility; 0 for pegged currencies
    decimals: int  # decimals the rate is published with


CURRENCIES: tuple[CurrencySeed, ...] = (
    CurrencySeed("EUR", 0.88, 0.020, 3),
    CurrencySeed("GBP", 0.76, 0.020, 3),
    CurrencySeed("JPY", 118.0, 0.025, 2),
    CurrencySeed("CHF", 0.95, 0.018, 3),
    CurrencySeed("SEK", 9.20, 0.022, 3),
    CurrencySeed("NOK", 9.10, 0.025, 3),
    CurrencySeed("DKK", 6.55, 0.020, 3),
    CurrencySeed("AUD", 1.38, 0.025, 3),
    CurrencySeed("CAD", 1.30, 0.018, 3),
    CurrencySeed("NZD", 1.50, 0.025, 3),
    CurrencySeed("KWD", 0.303, 0.003, 4),
    CurrencySeed("SAR", 3.75, 0.0, 3),
    CurrencySeed("QAR", 3.64, 0.0, 3),
    CurrencySeed("AED", 3.673, 0.0, 3),
    CurrencySeed("CNY", 6.70, 0.010, 3),
    CurrencySeed("RUB", 65.0, 0.040, 2),
    CurrencySeed("ZAR", 14.5, 0.030, 3),
)

EARMARKS = (
    "Emergency grants (SGP1)",
    "Medium-term projects (SGP2)",
    "Assistance to children",
    "Victims in conflict and humanitarian settings",
    "Projects in Africa",
    "Projects in Latin America and the Caribbean",
)
