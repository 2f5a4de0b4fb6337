"""Plain data tables for the French written -> spoken normaliser (see normalize.py)."""

from __future__ import annotations

from typing import Final

# Where the readings come from (cited by the tables below):
# [IN]  Lexique des règles typographiques en usage à l'Imprimerie nationale (2002), list of
#       abbreviations, and its section on addresses;
# [BDL] Office québécois de la langue française, Banque de dépannage linguistique,
#       « Liste des abréviations » and « Abréviations des titres et appellations »;
# [SI]  BIPM, Le Système international d'unités (9e édition, 2019), symbols and names;
#       décret n° 61-501 (unités de mesure légales) for the quintal (q);
# [UN]  the French names of ISO/IEC 10646 characters (« barre oblique », « tiret bas »,
#       « signe plus-ou-moins »), as shortened by French screen readers (NVDA's
#       locale/fr/symbols.dic); [DEV] the convention of this project where nothing above
#       decides (one narrator's choice, kept in one place).

# Abbreviations expanded wherever they stand (keys are case-sensitive; a space in a key
# matches any amount of whitespace, including none). [IN], [BDL]
ABBREVIATIONS: Final[dict[str, str]] = {
    "av. J.-C.": "avant Jésus-Christ",
    "av. J.C.": "avant Jésus-Christ",
    "apr. J.-C.": "après Jésus-Christ",
    "apr. J.C.": "après Jésus-Christ",
    "ap. J.-C.": "après Jésus-Christ",
    "av. n. è.": "avant notre ère",
    "apr. n. è.": "après notre ère",
    "J.-C.": "Jésus-Christ",
    "c.-à-d.": "c'est-à-dire",
    "c.-à-d": "c'est-à-dire",
    "c-à-d.": "c'est-à-dire",
    "c-à-d": "c'est-à-dire",
    "c.à.d.": "c'est-à-dire",
    "p. ex.": "par exemple",
    "par ex.": "par exemple",
    "càd": "c'est-à-dire",
    "et al.": "et alii",
    "op. cit.": "opere citato",
    "loc. cit.": "loco citato",
    "art. cit.": "article cité",
    "Ibid.": "ibidem",
    "id.": "idem",
    "Id.": "idem",
    "trad.": "traduction",
    "Trad.": "traduction",
    "coll.": "collection",
    "sous la dir. de": "sous la direction de",
    "resp.": "respectivement",
    "vs.": "contre",
    "vs": "contre",
    "s. l. n. d.": "sans lieu ni date",
    "s. d.": "sans date",
    "N.d.T.": "note du traducteur",
    "NdT": "note du traducteur",
    "N.d.É.": "note de l'éditeur",
    "N.d.E.": "note de l'éditeur",
    "N.D.L.R.": "note de la rédaction",
    "NDLR": "note de la rédaction",
    "P.-S.": "post-scriptum",
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
SENTENCE_FINAL_ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    {"etc.", "ibid.", "Ibid.", "id.", "op. cit.", "loc. cit.", "art. cit.", "s.", "sq.", "sqq."}
)

# Titles expanded only before a capitalised name (or "le": "M. le maire"). [IN], [BDL]
TITLES: Final[dict[str, str]] = {
    "MM.": "messieurs",
    "M.": "monsieur",
    "Me": "maître",  # an attorney's or notary's title: "Me Dupont"
    "Vve": "veuve",
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

# Abbreviations expanded only before a number (or a roman numeral for the book ones). [IN]
NUMBER_ABBREVIATIONS: Final[dict[str, str]] = {
    "pp.": "pages",
    "p.": "page",
    "vol.": "volume",
    "Vol.": "volume",
    "t.": "tome",
    "T.": "tome",
    "art.": "article",
    "Art.": "article",
    "al.": "alinéa",
    "chap.": "chapitre",
    "Chap.": "chapitre",
    "fig.": "figure",
    "Fig.": "figure",
    "pl.": "planche",
    "liv.": "livre",
    "sect.": "section",
    "no": "numéro",
    "No": "numéro",
}

# After a page number, "et suivantes": "p. 12 sq.", "pp. 3 s.", "p. 40 et s.". [IN]
FOLLOWING_PAGES: Final[tuple[str, ...]] = ("et s.", "et suiv.", "sqq.", "sq.", "suiv.", "s.")
FOLLOWING_PAGES_SPOKEN: Final[str] = "et suivantes"

# Abbreviations after an ordinal: "XIXe s.", "2e éd.", "XVIIe et XVIIIe s.": (singular,
# plural). [IN]
ORDINAL_ABBREVIATIONS: Final[dict[str, tuple[str, str]]] = {
    "s.": ("siècle", "siècles"),
    "éd.": ("édition", "éditions"),
    "arr.": ("arrondissement", "arrondissements"),
    "rég.": ("régiment", "régiments"),
    "div.": ("division", "divisions"),
    "cl.": ("classe", "classes"),
}

# Abbreviations after a count, in references: "3 vol., Paris", "300 p.", "2 t., 1920",
# "tiré à 500 ex.": (singular, plural). Expanded before a comma, a semicolon, a closing
# parenthesis or a line end only ("5 t. de blé" is tonnes). [IN]
COUNT_ABBREVIATIONS: Final[dict[str, tuple[str, str]]] = {
    "vol.": ("volume", "volumes"),
    "t.": ("tome", "tomes"),
    "p.": ("page", "pages"),
    "ex.": ("exemplaire", "exemplaires"),
}

# "éd." elsewhere: before a publisher's name "éditions", after a person's name in
# parentheses "éditeur", otherwise "édition". [IN], [BDL]
EDITION_READINGS: Final[dict[str, str]] = {
    "publisher": "éditions",
    "person": "éditeur",
    "other": "édition",
}

# Street-type abbreviations, read only before a name ("bd Voltaire", "av. de la
# République", "12, pl. Bellecour"); the second set also needs a house number before it
# ("12 r. de Rivoli"). [IN] (section « adresses »)
ADDRESS_ABBREVIATIONS: Final[dict[str, str]] = {
    "bd": "boulevard",
    "bd.": "boulevard",
    "Bd": "boulevard",
    "boul.": "boulevard",
    "av.": "avenue",
    "Av.": "avenue",
    "pl.": "place",
    "fg": "faubourg",
    "fbg": "faubourg",
    "faub.": "faubourg",
    "rte": "route",
}
ADDRESS_ABBREVIATIONS_AFTER_NUMBER: Final[dict[str, str]] = {
    "r.": "rue",
    "sq.": "square",
    "all.": "allée",
    "imp.": "impasse",
    "chem.": "chemin",
}
# What may follow a street abbreviation: a capitalised name, or these words.
ADDRESS_NEXT_WORDS: Final[tuple[str, ...]] = ("des", "du", "de", "d'", "d’")
# ... nor after these ("la bd de Hergé" is a comic book) ...
ADDRESS_NOT_AFTER: Final[frozenset[str]] = frozenset(
    {"la", "une", "les", "des", "ma", "ta", "sa", "mes", "tes", "ses", "nos", "vos", "cette", "en"}
)
# ... and never before these ("44 av. Jésus-Christ", "av. notre ère" are "avant").
ADDRESS_NOT_BEFORE: Final[tuple[str, ...]] = ("J.-C", "J.C", "JC", "Jésus", "notre ère", "l'ère")

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
    "titre", "section", "annexe", "appendice", "leçon", "chant", "psaume", "épisode",
    "fascicule", "planche", "tableau", "type", "phase", "classe", "groupe", "catégorie",
    "stade", "an",
)  # fmt: skip

# Names after which even a one-letter numeral is a number ("Vatican I", "Paris V"):
# councils, numbered universities, missions. Longer numerals ("Apollo XIII", "Rocky II")
# are read after any capitalised name that is not one of NOT_NAMES.
NUMBERED_NAMES: Final[tuple[str, ...]] = (
    "Vatican", "Latran", "Nicée", "Constantinople", "Lyon", "Éphèse", "Paris", "Lille",
    "Rennes", "Toulouse", "Bordeaux", "Grenoble", "Montpellier", "Aix-Marseille", "Apollo",
)  # fmt: skip

# Capitalised words that are not names: never numbered by the numeral after them
# ("Mais II" is OCR's "Mais Il").
NOT_NAMES: Final[frozenset[str]] = frozenset(
    {
        "Le", "La", "Les", "L", "De", "Du", "Des", "Au", "Aux", "En", "À", "A", "Sur", "Par",
        "Pour", "Dans", "Avec", "Sans", "Chez", "Vers", "Sous", "Entre", "Selon", "Et",
        "Ou", "Où", "Que", "Qui", "Quand", "Si", "Voici", "Voilà", "Voir", "Note", "Page",
        "Oui", "Non", "Chapitre", "Tome", "Livre", "Partie", "Acte", "Scène",
    }
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
    "¥": ("yen", "yens", False),
    "₽": ("rouble", "roubles", False),
}
# Abbreviations of a currency after an amount (case-sensitive): "100 F", "50 fr.". [IN]
CURRENCY_ABBREVIATIONS: Final[dict[str, tuple[str, str, bool]]] = {
    "FF": ("franc", "francs", False),
    "F": ("franc", "francs", False),
    "fr.": ("franc", "francs", False),
    "Fr.": ("franc", "francs", False),
}
CURRENCY_WORDS: Final[dict[str, tuple[str, str, bool]]] = {
    "euro": ("euro", "euros", False),
    "franc": ("franc", "francs", False),
    "dollar": ("dollar", "dollars", False),
    "rouble": ("rouble", "roubles", False),
}
CENT_NAMES: Final[tuple[str, str]] = ("centime", "centimes")

# Units read after a number: (singular, plural, feminine). [SI]; "q" (quintal) and "ch"
# (cheval-vapeur) are French legal and customary units.
UNITS: Final[dict[str, tuple[str, str, bool]]] = {
    "km/h": ("kilomètre par heure", "kilomètres par heure", False),
    "m/s": ("mètre par seconde", "mètres par seconde", False),
    "° C": ("degré Celsius", "degrés Celsius", False),
    "° F": ("degré Fahrenheit", "degrés Fahrenheit", False),
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
    "mn": ("minute", "minutes", True),
    "ms": ("milliseconde", "millisecondes", True),
    "s": ("seconde", "secondes", True),
    "t": ("tonne", "tonnes", True),
    "q": ("quintal", "quintaux", False),
    "hl": ("hectolitre", "hectolitres", False),
    "dl": ("décilitre", "décilitres", False),
    "kWh": ("kilowattheure", "kilowattheures", False),
    "kW": ("kilowatt", "kilowatts", False),
    "MW": ("mégawatt", "mégawatts", False),
    "W": ("watt", "watts", False),
    "V": ("volt", "volts", False),
    "Hz": ("hertz", "hertz", False),
    "kHz": ("kilohertz", "kilohertz", False),
    "MHz": ("mégahertz", "mégahertz", False),
    "GHz": ("gigahertz", "gigahertz", False),
    "ko": ("kilooctet", "kilooctets", False),
    "Ko": ("kilooctet", "kilooctets", False),
    "Mo": ("mégaoctet", "mégaoctets", False),
    "Go": ("gigaoctet", "gigaoctets", False),
    "To": ("téraoctet", "téraoctets", False),
    "dB": ("décibel", "décibels", False),
    "ch": ("cheval", "chevaux", False),
}

# Single-letter units are letters after these words: "s'écrit avec 2 t" counts letters.
LETTER_COUNT_WORDS: Final[frozenset[str]] = frozenset(
    {"avec", "sans", "prend", "prennent", "écrit", "s'écrit", "s’écrit", "double"}
)

# Symbols read wherever they stand (after the number-specific rules had their turn). [UN]
# for the names, shortened as a French narrator reads them ("±" is « plus ou moins »).
SYMBOLS: Final[dict[str, str]] = {
    "km/h": "kilomètres par heure",
    "&": "et",
    "§§": "paragraphes",
    "§": "paragraphe",
    "¶": "paragraphe",
    "%": "pour cent",
    "‰": "pour mille",
    "‱": "pour dix mille",
    "°": "degrés",
    "=": "égale",
    "€": "euros",
    "$": "dollars",
    "£": "livres",
    "¥": "yens",
    "₽": "roubles",
    "±": "plus ou moins",
    "∓": "moins ou plus",
    "≈": "environ",
    "≃": "environ",
    "×": "fois",
    "÷": "divisé par",
    "≠": "différent de",
    "≤": "inférieur ou égal à",
    "≥": "supérieur ou égal à",
    "⩽": "inférieur ou égal à",
    "⩾": "supérieur ou égal à",
    "∞": "l'infini",
    "√": "racine de",
    "−": "moins",
    "→": "vers",  # [DEV] "Paris → Lyon"; between numbers ARROW_BETWEEN_NUMBERS
    "⟶": "vers",
    "➔": "vers",
    "⇒": "donc",  # [DEV] an implication
    "⟹": "donc",
    "⇔": "équivaut à",
    "⟺": "équivaut à",
    "←": "depuis",
    "↔": "et retour",
    "+": "plus",
    "@": "arobase",
    "#": "dièse",
    "©": "copyright",
    "®": "marque déposée",
    "™": "marque commerciale",
}
# Between two numbers these read differently: "3 × 4" fois, "1917 → 1920" à, "5 < 7".
SYMBOLS_BETWEEN_NUMBERS: Final[dict[str, str]] = {
    "×": "fois",
    "x": "fois",
    "→": "à",
    "<": "inférieur à",
    ">": "supérieur à",
    "±": "plus ou moins",
}
# Before a word: "#grève" hashtag, "@jean" arobase. [DEV]
SYMBOLS_BEFORE_WORDS: Final[dict[str, str]] = {"#": "hashtag", "@": "arobase"}
# Before a number: "~300" environ, "#3" numéro, "+5" plus, "† 1920" mort en. [DEV]
SYMBOLS_BEFORE_NUMBERS: Final[dict[str, str]] = {
    "~": "environ",
    "≈": "environ",
    "#": "numéro",
    "+": "plus",
    "±": "plus ou moins",
    "†": "mort en",
}
# Marks that carry no words: emphasis and footnote calls ("*", "_mot_", "†" after a word),
# bullets, code quotes. They become a pause.
SILENT_MARKS: Final[str] = "*_`•·▪◦‣∙†‡|"

# Vulgar fraction characters: (numerator, denominator). Read with FRACTIONS or, for other
# denominators, the ordinal ("un cinquième"). [UN]
FRACTION_CHARACTERS: Final[dict[str, tuple[int, int]]] = {
    "½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5),
    "⅖": (2, 5), "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅐": (1, 7),
    "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8), "⅑": (1, 9), "⅒": (1, 10),
}  # fmt: skip

# Arc minutes and seconds after degrees ("48° 51′ 24″ N"), and the compass points.
ARC_UNITS: Final[dict[str, tuple[str, str]]] = {
    "′": ("minute", "minutes"), "'": ("minute", "minutes"), "’": ("minute", "minutes"),
    "″": ("seconde", "secondes"), '"': ("seconde", "secondes"),
}  # fmt: skip
COMPASS_POINTS: Final[dict[str, str]] = {
    "N": "nord", "S": "sud", "E": "est", "O": "ouest", "W": "ouest",
}  # fmt: skip

# Superscript digits: a power after a number or a letter in a formula ("10³", "x²"), a
# note call after a word ("révolution¹"). [UN]
SUPERSCRIPT_DIGITS: Final[dict[str, str]] = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9",
}  # fmt: skip
SUBSCRIPT_DIGITS: Final[dict[str, str]] = {
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7",
    "₈": "8", "₉": "9",
}  # fmt: skip
POWER_WORDS: Final[dict[int, str]] = {2: "au carré", 3: "au cube"}  # others: "puissance N"

# Fractions read as such: denominator -> (singular, plural). After a whole number "et
# demi" agrees with the unit ("deux heures et demie").
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

# ---------------------------------------------------------------- technical text [UN], [DEV]
# One narrator's convention for addresses, paths, options, identifiers and keys: each
# character is named, each piece between them read as a word (or spelt, see below).
TECH_CHARACTERS: Final[dict[str, str]] = {
    "/": "barre oblique",
    "\\": "barre oblique inverse",
    "-": "tiret",
    "_": "tiret bas",
    ".": "point",
    ":": "deux-points",
    "@": "arobase",
    "~": "tilde",
    "#": "dièse",
    "+": "plus",
    "=": "égale",
    "?": "point d'interrogation",
    "!": "point d'exclamation",
    "&": "et commercial",
    "%": "pour cent",
    "*": "étoile",
    "|": "barre verticale",
    "<": "chevron ouvrant",
    ">": "chevron fermant",
    "(": "parenthèse ouvrante",
    ")": "parenthèse fermante",
    "[": "crochet ouvrant",
    "]": "crochet fermant",
    "{": "accolade ouvrante",
    "}": "accolade fermante",
    "$": "dollar",
    ",": "virgule",
    ";": "point-virgule",
    "^": "accent circonflexe",
    "'": "apostrophe",
    '"': "guillemet",
    "`": "accent grave",
}
TECH_PAIRS: Final[dict[str, str]] = {"()": "parenthèses", "[]": "crochets", "{}": "accolades"}
# Names with symbols in them, read as programmers say them.
TECH_NAMES: Final[dict[str, str]] = {
    "C++": "C plus plus",
    "C#": "C sharp",
    "F#": "F sharp",
    "g++": "g plus plus",
}
# Web schemes a narrator leaves out ("https://www.exemple.fr" is "w w w point exemple
# point f r"); others are spelt ("ftp://": "f t p deux-points barre oblique barre oblique").
SILENT_SCHEMES: Final[tuple[str, ...]] = ("http", "https")
# Pieces read otherwise than as a word: spelt (letters spoken one by one) or respelt.
# Pieces of one or two letters, and pieces without a vowel, are spelt anyway.
TECH_WORDS: Final[dict[str, str]] = {
    "www": "w w w",
    "etc": "e t c",
    "usr": "u s r",
    "sbin": "s bin",
    "http": "h t t p",
    "https": "h t t p s",
    "ftp": "f t p",
    "html": "h t m l",
    "htm": "h t m",
    "php": "p h p",
    "pdf": "p d f",
    "utf": "u t f",
    "gmail": "g mail",
    "py": "p y",
    "js": "j s",
    "io": "i o",
}
# Two-letter pieces that are French words stay words ("ville-de-paris.fr").
TECH_SHORT_WORDS: Final[frozenset[str]] = frozenset(
    {
        "de", "du", "la", "le", "un", "en", "et", "au", "ma", "sa", "se", "ta", "no", "on",
        "of", "to", "in", "is", "at", "by", "if", "or", "up", "go", "do", "my", "me",
    }
)  # fmt: skip
# Top-level domains a bare address may end with ("lemonde.fr"; "www." or a scheme marks
# any other: "de", "es", "it" are words too). Two-letter ones are spelt.
DOMAIN_ENDINGS: Final[tuple[str, ...]] = (
    "fr", "com", "org", "net", "eu", "be", "ch", "ca", "uk", "io", "info", "gouv", "edu",
)  # fmt: skip
# File name endings that make "name.ext" and "dir/name.ext" a file name.
FILE_EXTENSIONS: Final[tuple[str, ...]] = (
    "h", "c", "cc", "cpp", "hpp", "py", "rs", "go", "js", "ts", "java", "rb", "pl", "sh",
    "txt", "md", "toml", "json", "yaml", "yml", "xml", "html", "htm", "css", "csv", "ini",
    "cfg", "conf", "log", "pdf", "epub", "doc", "docx", "odt", "mp3", "wav", "png", "jpg",
    "jpeg", "gif", "svg", "zip", "gz", "tar", "tgz", "deb", "rpm", "so", "o", "a", "exe",
)  # fmt: skip
# Commands whose following "-x" words are options ("ls -l", "rm -rf").
COMMANDS: Final[frozenset[str]] = frozenset(
    {
        "ls", "rm", "cp", "mv", "ln", "cat", "grep", "find", "tar", "git", "ssh", "scp",
        "chmod", "chown", "ps", "kill", "mkdir", "rmdir", "make", "gcc", "cc", "python",
        "python3", "pip", "apt", "apt-get", "sudo", "man", "echo", "curl", "wget", "head",
        "tail", "sort", "uniq", "df", "du", "mount", "sed", "awk", "diff", "patch", "zip",
        "unzip", "gzip", "ping", "top", "less", "more", "touch", "which", "xargs",
    }
)  # fmt: skip
# Keys of a shortcut ("Ctrl+C", "Ctrl+Alt+Suppr", "Alt-F4"); the first must be a modifier.
KEY_MODIFIERS: Final[dict[str, str]] = {
    "Ctrl": "contrôle",
    "Ctl": "contrôle",
    "Alt": "alt",
    "AltGr": "alt gr",
    "Maj": "majuscule",
    "Shift": "majuscule",
    "Cmd": "commande",
    "Win": "windows",
    "Fn": "fonction",
}
KEY_NAMES: Final[dict[str, str]] = {
    "Suppr": "suppression",
    "Del": "suppression",
    "Delete": "suppression",
    "Entrée": "entrée",
    "Enter": "entrée",
    "Tab": "tabulation",
    "Échap": "échappement",
    "Esc": "échappement",
    "Espace": "espace",
    "Space": "espace",
    "Inser": "insertion",
    "Insert": "insertion",
    "Home": "début",
    "Début": "début",
    "End": "fin",
    "Fin": "fin",
    "PgUp": "page précédente",
    "PgDn": "page suivante",
    "Haut": "haut",
    "Bas": "bas",
    "Gauche": "gauche",
    "Droite": "droite",
    "Up": "haut",
    "Down": "bas",
    "Left": "gauche",
    "Right": "droite",
}

# Inclusive writing with a middle dot ("étudiant·e·s", "acteur·rice·s"): read as both forms,
# masculine then feminine ("étudiants et étudiantes"), as the Haut Conseil à l'Égalité's
# guide (2015) and Éliane Viennot's usage read it aloud. Each feminine ending written after
# the dot: (the masculine ending it replaces, what it adds).
INCLUSIVE_ENDINGS: Final[dict[str, tuple[str, str]]] = {
    "e": ("", "e"),
    "ne": ("", "ne"),
    "le": ("", "le"),
    "te": ("", "te"),
    "se": ("x", "se"),  # heureux·se
    "ve": ("f", "ve"),  # sportif·ve
    "ère": ("er", "ère"),  # premier·ère
    "rice": ("eur", "rice"),  # acteur·rice
    "trice": ("teur", "trice"),  # directeur·trice
    "euse": ("eur", "euse"),  # travailleur·euse
    "esse": ("e", "esse"),  # maître·esse
}
# Words whose two forms no ending rule gives (matched in lower case, middle dot as "·").
INCLUSIVE_WORDS: Final[dict[str, str]] = {
    "tous·tes": "tous et toutes",
    "tou·te·s": "tous et toutes",
    "tout·e·s": "tous et toutes",
    "tout·es": "tous et toutes",
    "tout·e": "tout et toute",
    "un·e": "un ou une",
    "celui·celle": "celui ou celle",
    "ceux·celles": "ceux et celles",
    "il·elle": "il ou elle",
    "ils·elles": "ils et elles",
}
