"""Plain data tables for the French written -> spoken normaliser (see normalize.py)."""

from __future__ import annotations

from typing import Final

# Abbreviations expanded wherever they stand (keys are case-sensitive; a space in a key
# matches any amount of whitespace, including none).
ABBREVIATIONS: Final[dict[str, str]] = {
    "av. J.-C.": "avant Jésus-Christ",
    "av. J.C.": "avant Jésus-Christ",
    "apr. J.-C.": "après Jésus-Christ",
    "apr. J.C.": "après Jésus-Christ",
    "ap. J.-C.": "après Jésus-Christ",
    "J.-C.": "Jésus-Christ",
    "c.-à-d.": "c'est-à-dire",
    "c.-à-d": "c'est-à-dire",
    "c-à-d.": "c'est-à-dire",
    "c-à-d": "c'est-à-dire",
    "c.à.d.": "c'est-à-dire",
    "p. ex.": "par exemple",
    "etc.": "et cetera",
    "cf.": "confer",
    "Cf.": "confer",
    "env.": "environ",
    "ibid.": "ibidem",
    "N.B.": "nota bene",
    "Mme": "madame",
    "Mmes": "mesdames",
    "Mlle": "mademoiselle",
    "Mlles": "mesdemoiselles",
    "Mgr": "monseigneur",
    "Mgr.": "monseigneur",
    "Dr": "docteur",
    "Dr.": "docteur",
    "Pr": "professeur",
    "Pr.": "professeur",
    "Cie": "compagnie",
    "n°s": "numéros",
    "N°s": "numéros",
    "n°": "numéro",
    "N°": "numéro",
    "nº": "numéro",
    "Nº": "numéro",
    "№": "numéro",
}

# Dotted abbreviations whose dot also ends the sentence when a capital follows.
SENTENCE_FINAL_ABBREVIATIONS: Final[frozenset[str]] = frozenset({"etc.", "ibid."})

# Titles expanded only before a capitalised name (or "le": "M. le maire").
TITLES: Final[dict[str, str]] = {
    "MM.": "messieurs",
    "M.": "monsieur",
    "Ste.": "sainte",
    "Ste": "sainte",
    "St.": "saint",
    "St": "saint",
}

# Capitalised words that start a sentence rather than name someone ("la lettre M. Il ...").
SENTENCE_STARTERS: Final[frozenset[str]] = frozenset(
    {
        "Il", "Ils", "Elle", "Elles", "On", "Nous", "Vous", "Je", "Tu", "Ce", "Cet",
        "Cette", "Ces", "Mais", "Puis", "Et", "Donc", "Alors", "Ensuite", "Enfin",
        "Pourtant", "Cependant", "Or", "Car", "Ainsi", "Les", "Un", "Une", "Des",
    }
)  # fmt: skip

# Abbreviations expanded only before a number (or a roman numeral for the book ones).
NUMBER_ABBREVIATIONS: Final[dict[str, str]] = {
    "pp.": "pages",
    "p.": "page",
    "vol.": "volume",
    "t.": "tome",
    "art.": "article",
    "chap.": "chapitre",
    "fig.": "figure",
    "no": "numéro",
    "No": "numéro",
}

# "nos" is also a possessive ("nos 3 enfants"): numéros only before a list of numbers.
PLURAL_NUMBER_ABBREVIATIONS: Final[dict[str, str]] = {"nos": "numéros", "Nos": "numéros"}

# Rulers and popes whose following roman numeral is a regnal number.
MONARCH_NAMES: Final[tuple[str, ...]] = (
    "Louis", "Henri", "Charles", "François", "Napoléon", "Philippe", "Jean", "Pierre",
    "Paul", "Jean-Paul", "Pie", "Léon", "Benoît", "Grégoire", "Innocent", "Clément",
    "Urbain", "Boniface", "Sixte", "Jules", "Alexandre", "Nicolas", "Catherine",
    "Guillaume", "Frédéric", "Édouard", "Edouard", "Élisabeth", "Elisabeth", "Elizabeth",
    "George", "Georges", "Richard", "Victor-Emmanuel", "Ferdinand", "Isabelle",
    "Alphonse", "Robert", "Lothaire", "Pépin", "Childéric", "Clovis", "Dagobert", "Carol",
    "Constantin", "Ivan", "Mehmed", "Soliman", "Rodolphe", "Maximilien", "Othon", "Amédée",
)  # fmt: skip

# Words a roman numeral refers to: "chapitre III", "tome II", "XIX siècle".
ROMAN_CONTEXT_WORDS: Final[tuple[str, ...]] = (
    "siècle", "chapitre", "tome", "livre", "partie", "acte", "volume", "scène", "article",
)  # fmt: skip

MONTHS: Final[dict[str, int]] = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip

MONTH_NAMES: Final[tuple[str, ...]] = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip

# Words before which "24/12" is a day and a month rather than a fraction or a grade.
DATE_LEAD_WORDS: Final[frozenset[str]] = frozenset(
    {
        "le", "du", "au", "dès", "depuis", "jusqu'au", "jusqu’au", "lundi", "mardi",
        "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    }
)  # fmt: skip

# Words before which a bare four-digit number is a year (only changes the trace label).
YEAR_CONTEXT_WORDS: Final[tuple[str, ...]] = (
    "en", "de", "depuis", "dès", "vers", "jusqu'en", "jusqu’en", "an", "année", "avant",
    "après", "à", "et", "ou", "fin", "début", "printemps", "été", "automne", "hiver",
)  # fmt: skip

# Currency symbols and words: (singular, plural, feminine).
CURRENCY_SYMBOLS: Final[dict[str, tuple[str, str, bool]]] = {
    "€": ("euro", "euros", False),
    "$": ("dollar", "dollars", False),
    "£": ("livre", "livres", True),
}
CURRENCY_WORDS: Final[dict[str, tuple[str, str, bool]]] = {
    "euro": ("euro", "euros", False),
    "franc": ("franc", "francs", False),
    "dollar": ("dollar", "dollars", False),
    "rouble": ("rouble", "roubles", False),
}
CENT_NAMES: Final[tuple[str, str]] = ("centime", "centimes")

# Units read after a number: (singular, plural, feminine).
UNITS: Final[dict[str, tuple[str, str, bool]]] = {
    "km/h": ("kilomètre par heure", "kilomètres par heure", False),
    "km²": ("kilomètre carré", "kilomètres carrés", False),
    "m²": ("mètre carré", "mètres carrés", False),
    "cm²": ("centimètre carré", "centimètres carrés", False),
    "m³": ("mètre cube", "mètres cubes", False),
    "°C": ("degré Celsius", "degrés Celsius", False),
    "°F": ("degré Fahrenheit", "degrés Fahrenheit", False),
    "°": ("degré", "degrés", False),
    "km": ("kilomètre", "kilomètres", False),
    "cm": ("centimètre", "centimètres", False),
    "mm": ("millimètre", "millimètres", False),
    "m": ("mètre", "mètres", False),
    "kg": ("kilogramme", "kilogrammes", False),
    "mg": ("milligramme", "milligrammes", False),
    "g": ("gramme", "grammes", False),
    "l": ("litre", "litres", False),
    "L": ("litre", "litres", False),
    "cl": ("centilitre", "centilitres", False),
    "ml": ("millilitre", "millilitres", False),
    "ha": ("hectare", "hectares", False),
    "min": ("minute", "minutes", True),
}

# Symbols read wherever they stand (after the number-specific rules had their turn).
SYMBOLS: Final[dict[str, str]] = {
    "km/h": "kilomètres par heure",
    "&": "et",
    "§§": "paragraphes",
    "§": "paragraphe",
    "%": "pour cent",
    "‰": "pour mille",
    "°": "degrés",
    "=": "égale",
    "€": "euros",
    "$": "dollars",
    "£": "livres",
}

# Fractions read as such: denominator -> (singular, plural).
FRACTIONS: Final[dict[int, tuple[str, str]]] = {
    2: ("demi", "demis"),
    3: ("tiers", "tiers"),
    4: ("quart", "quarts"),
}

# Feminine nouns after which "un" becomes "une" ("vingt et une pages").
FEMININE_NOUNS: Final[frozenset[str]] = frozenset(
    {
        "heure", "heures", "minute", "minutes", "seconde", "secondes", "page", "pages",
        "fois", "année", "années", "semaine", "semaines", "journée", "journées", "nuit",
        "nuits", "personne", "personnes", "femme", "femmes", "fille", "filles", "voix",
        "ligne", "lignes", "lettre", "lettres", "ville", "villes", "partie", "parties",
        "étape", "étapes", "chose", "choses", "classe", "classes", "armée", "armées",
        "division", "divisions", "usine", "usines", "famille", "familles", "maison",
        "maisons", "tonne", "tonnes", "voiture", "voitures", "victime", "victimes",
        "question", "questions", "réunion", "réunions", "séance", "séances", "thèse",
        "thèses", "édition", "éditions", "république", "républiques", "révolution",
        "révolutions", "guerre", "guerres", "région", "régions", "province", "provinces",
        "colonne", "colonnes", "scène", "scènes", "phrase", "phrases", "strophe",
        "strophes", "œuvre", "œuvres", "grève", "grèves", "section", "sections",
        "organisation", "organisations", "conférence", "conférences", "résolution",
        "résolutions", "livraison", "livraisons", "brochure", "brochures",
    }
)  # fmt: skip

DIGIT_NAMES: Final[tuple[str, ...]] = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
)  # fmt: skip

# Superscript letters used in "1ᵉʳ", "XIXᵉ", "nᵒ", "Mᵐᵉ".
SUPERSCRIPTS: Final[dict[str, str]] = {
    "ᵉ": "e", "ʳ": "r", "ˢ": "s", "ᵈ": "d", "ᵒ": "o", "ᵐ": "m", "ˡ": "l", "ⁿ": "n",
}  # fmt: skip

# Word before a range "1917-1920": how to join the two ends.
RANGE_FROM_WORDS: Final[frozenset[str]] = frozenset({"de", "du", "des", "d'", "d’"})
RANGE_BETWEEN_WORDS: Final[frozenset[str]] = frozenset({"entre", "en"})
RANGE_NUMBER_WORDS: Final[frozenset[str]] = frozenset({"numéro", "numéros"})
# Prepositions before which a year range gets no extra "de" ("vers 1850-1860").
RANGE_PLAIN_WORDS: Final[frozenset[str]] = frozenset(
    {
        "à", "au", "aux", "vers", "pendant", "depuis", "dans", "dès", "après", "avant",
        "jusqu'en", "jusqu’en", "et", "ou", "par", "pour", "sur", "sous", "pages", "page",
    }
)  # fmt: skip
