"""English inflection rules as data: Doctrine Inflector 2.0.6 (English) and Laravel 8's uncountables.

Transcribed from /usr/share/php/Doctrine/Inflector/Rules/English/{Inflectible,Uninflected}.php
(Debian php-doctrine-inflector 2.0.6) and Illuminate/Support/Pluralizer.php (Laravel 8.83.26).
Patterns and replacements are kept as PCRE source text, byte for byte: a pattern is matched
case-insensitively (Doctrine wraps it as /pattern/i), and a replacement's \\N is a group reference
(a group that does not exist or did not match gives '', as in PHP's preg_replace). The typos
upstream has (the stray \\2 in several replacements, `[m|l]`) are kept on purpose: fixing them would
make our names differ from Laravel's. The engine that reads these tables is inflector.py.
"""

from __future__ import annotations

# Inflectible::getSingular(): first matching pattern wins (order matters).
SINGULAR_RULES: tuple[tuple[str, str], ...] = (
    (r"(s)tatuses$", r"\1\2tatus"),
    (r"(s)tatus$", r"\1\2tatus"),
    (r"(c)ampus$", r"\1\2ampus"),
    (r"^(.*)(menu)s$", r"\1\2"),
    (r"(quiz)zes$", r"\1"),
    (r"(matr)ices$", r"\1ix"),
    (r"(vert|ind)ices$", r"\1ex"),
    (r"^(ox)en", r"\1"),
    (r"(alias)(es)*$", r"\1"),
    (r"(buffal|her|potat|tomat|volcan)oes$", r"\1o"),
    (r"(alumn|bacill|cact|foc|fung|nucle|radi|stimul|syllab|termin|viri?)i$", r"\1us"),
    (r"([ftw]ax)es", r"\1"),
    (r"(analys|ax|cris|test|thes)es$", r"\1is"),
    (r"(shoe|slave)s$", r"\1"),
    (r"(o)es$", r"\1"),
    (r"ouses$", r"ouse"),
    (r"([^a])uses$", r"\1us"),
    (r"([m|l])ice$", r"\1ouse"),
    (r"(x|ch|ss|sh)es$", r"\1"),
    (r"(m)ovies$", r"\1\2ovie"),
    (r"(s)eries$", r"\1\2eries"),
    (r"([^aeiouy]|qu)ies$", r"\1y"),
    (r"([lr])ves$", r"\1f"),
    (r"(tive)s$", r"\1"),
    (r"(hive)s$", r"\1"),
    (r"(drive)s$", r"\1"),
    (r"(dive)s$", r"\1"),
    (r"(olive)s$", r"\1"),
    (r"([^fo])ves$", r"\1fe"),
    (r"(^analy)ses$", r"\1sis"),
    (r"(analy|diagno|^ba|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$", r"\1\2sis"),
    (r"(tax)a$", r"\1on"),
    (r"(c)riteria$", r"\1riterion"),
    (r"([ti])a$", r"\1um"),
    (r"(p)eople$", r"\1\2erson"),
    (r"(m)en$", r"\1an"),
    (r"(c)hildren$", r"\1\2hild"),
    (r"(f)eet$", r"\1oot"),
    (r"(n)ews$", r"\1\2ews"),
    (r"eaus$", r"eau"),
    (r"^tights$", r"tights"),
    (r"^shorts$", r"shorts"),
    (r"s$", r""),
)

# Inflectible::getPlural().
PLURAL_RULES: tuple[tuple[str, str], ...] = (
    (r"(s)tatus$", r"\1\2tatuses"),
    (r"(quiz)$", r"\1zes"),
    (r"^(ox)$", r"\1\2en"),
    (r"([m|l])ouse$", r"\1ice"),
    (r"(matr|vert|ind)(ix|ex)$", r"\1ices"),
    (r"(x|ch|ss|sh)$", r"\1es"),
    (r"([^aeiouy]|qu)y$", r"\1ies"),
    (r"(hive|gulf)$", r"\1s"),
    (r"(?:([^f])fe|([lr])f)$", r"\1\2ves"),
    (r"sis$", r"ses"),
    (r"([ti])um$", r"\1a"),
    (r"(tax)on$", r"\1a"),
    (r"(c)riterion$", r"\1riteria"),
    (r"(p)erson$", r"\1eople"),
    (r"(m)an$", r"\1en"),
    (r"(c)hild$", r"\1hildren"),
    (r"(f)oot$", r"\1eet"),
    (r"(buffal|her|potat|tomat|volcan)o$", r"\1\2oes"),
    (r"(alumn|bacill|cact|foc|fung|nucle|radi|stimul|syllab|termin|vir)us$", r"\1i"),
    (r"us$", r"uses"),
    (r"(alias)$", r"\1es"),
    (r"(analys|ax|cris|test|thes)is$", r"\1es"),
    (r"s$", r"s"),
    (r"^$", r""),
    (r"$", r"s"),
)

# Inflectible::getIrregular(), singular -> plural, duplicates kept as upstream has them.
IRREGULAR: tuple[tuple[str, str], ...] = (
    ("atlas", "atlases"),
    ("axe", "axes"),
    ("beef", "beefs"),
    ("blouse", "blouses"),
    ("brother", "brothers"),
    ("cafe", "cafes"),
    ("chateau", "chateaux"),
    ("niveau", "niveaux"),
    ("child", "children"),
    ("canvas", "canvases"),
    ("cookie", "cookies"),
    ("corpus", "corpuses"),
    ("cow", "cows"),
    ("criterion", "criteria"),
    ("curriculum", "curricula"),
    ("demo", "demos"),
    ("domino", "dominoes"),
    ("echo", "echoes"),
    ("foot", "feet"),
    ("fungus", "fungi"),
    ("ganglion", "ganglions"),
    ("gas", "gases"),
    ("genie", "genies"),
    ("genus", "genera"),
    ("goose", "geese"),
    ("graffito", "graffiti"),
    ("hippopotamus", "hippopotami"),
    ("hoof", "hoofs"),
    ("human", "humans"),
    ("iris", "irises"),
    ("larva", "larvae"),
    ("leaf", "leaves"),
    ("lens", "lenses"),
    ("loaf", "loaves"),
    ("man", "men"),
    ("medium", "media"),
    ("memorandum", "memoranda"),
    ("money", "monies"),
    ("mongoose", "mongooses"),
    ("motto", "mottoes"),
    ("move", "moves"),
    ("mythos", "mythoi"),
    ("niche", "niches"),
    ("nucleus", "nuclei"),
    ("numen", "numina"),
    ("occiput", "occiputs"),
    ("octopus", "octopuses"),
    ("opus", "opuses"),
    ("ox", "oxen"),
    ("passerby", "passersby"),
    ("penis", "penises"),
    ("person", "people"),
    ("plateau", "plateaux"),
    ("runner-up", "runners-up"),
    ("safe", "safes"),
    ("sex", "sexes"),
    ("sieve", "sieves"),
    ("soliloquy", "soliloquies"),
    ("son-in-law", "sons-in-law"),
    ("syllabus", "syllabi"),
    ("testis", "testes"),
    ("thief", "thieves"),
    ("tooth", "teeth"),
    ("tornado", "tornadoes"),
    ("trilby", "trilbys"),
    ("turf", "turfs"),
    ("valve", "valves"),
    ("volcano", "volcanoes"),
    ("abuse", "abuses"),
    ("avalanche", "avalanches"),
    ("cache", "caches"),
    ("criterion", "criteria"),
    ("curve", "curves"),
    ("emphasis", "emphases"),
    ("foe", "foes"),
    ("grave", "graves"),
    ("hoax", "hoaxes"),
    ("medium", "media"),
    ("neurosis", "neuroses"),
    ("save", "saves"),
    ("wave", "waves"),
    ("oasis", "oases"),
    ("valve", "valves"),
    ("zombie", "zombies"),
)

# Uninflected::getDefault(): regex fragments, joined as /^(?:a|b|...)$/i.
# fmt: off
UNINFLECTED_DEFAULT: tuple[str, ...] = (
    r"\w+media", "advice", "aircraft", "amoyese", "art", "audio", "baggage", "bison", "borghese",
    "bream", "breeches", "britches", "buffalo", "butter", "cantus", "carp", "cattle", "chassis",
    "clippers", "clothing", "coal", "cod", "coitus", "compensation", "congoese", "contretemps",
    "coreopsis", "corps", "cotton", "data", "debris", "deer", "diabetes", "djinn", "education",
    "eland", "elk", "emoji", "equipment", "evidence", "faroese", "feedback", "fish", "flounder",
    "flour", "foochowese", "food", "furniture", "gallows", "genevese", "genoese", "gilbertese",
    "gold", "headquarters", "herpes", "hijinks", "homework", "hottentotese", "impatience",
    "information", "innings", "jackanapes", "jeans", "jedi", "kin", "kiplingese", "knowledge",
    "kongoese", "leather", "love", "lucchese", "luggage", "mackerel", "Maltese", "management",
    "metadata", "mews", "money", "moose", "mumps", "music", "nankingese", "news", "nexus",
    "niasese", "nutrition", "offspring", "oil", "patience", "pekingese", "piedmontese", "pincers",
    "pistoiese", "plankton", "pliers", "pokemon", "police", "polish", "portuguese", "proceedings",
    "progress", "rabies", "rain", "research", "rhinoceros", "rice", "salmon", "sand", "sarawakese",
    "scissors", "sea[- ]bass", "series", "shavese", "shears", "sheep", "siemens", "silk", "sms",
    "soap", "social media", "spam", "species", "staff", "sugar", "swine", "talent", "toothpaste",
    "traffic", "travel", "trousers", "trout", "tuna", "us", "vermontese", "vinegar", "weather",
    "wenchowese", "wheat", "whiting", "wildebeest", "wood", "wool", "yengeese",
)

# Uninflected::getSingular() adds these after the defaults.
UNINFLECTED_SINGULAR: tuple[str, ...] = UNINFLECTED_DEFAULT + (
    ".*ss", "clothes", "data", "fascia", "fuchsia", "galleria", "mafia", "militia", "pants",
    "petunia", "sepia", "trivia", "utopia",
)

# Uninflected::getPlural() adds these after the defaults.
UNINFLECTED_PLURAL: tuple[str, ...] = UNINFLECTED_DEFAULT + (
    "people", "trivia", r"\w+ware$", "media",
)

# Illuminate\Support\Pluralizer::$uncountable (Laravel 8.83). Only Pluralizer::plural consults it
# (lower-cased whole-word match); singular() does not. Laravel 9+ shrank it to the two words that
# Doctrine does not already treat as uninflected ('recommended', 'related'), which changes nothing.
LARAVEL_UNCOUNTABLE: frozenset[str] = frozenset(
    {
        "audio", "bison", "cattle", "chassis", "compensation", "coreopsis", "data", "deer",
        "education", "emoji", "equipment", "evidence", "feedback", "firmware", "fish",
        "furniture", "gold", "hardware", "information", "jedi", "kin", "knowledge", "love",
        "metadata", "money", "moose", "news", "nutrition", "offspring", "plankton", "pokemon",
        "police", "rain", "recommended", "related", "rice", "series", "sheep", "software",
        "species", "swine", "traffic", "wheat",
    }
)
# fmt: on
