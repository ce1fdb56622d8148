"""Numbers written as words in English, Spanish, French, German, Portuguese and Italian, and reading a count."""

import re

from guestmsg.text import alternation

NUMBER_WORDS = {
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    # es
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "doce": 12, "quince": 15, "veinte": 20,
    # fr
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    # de
    "ein": 1, "eine": 1, "einer": 1, "einen": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    # pt
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
    # it ("uno", "una" and "nove" as in es and pt)
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "dieci": 10, "undici": 11,
    "dodici": 12, "quindici": 15, "venti": 20,
}
# "un" and "a"/"an" only count as one in front of a unit ("a night", "un adulto").
ARTICLE_ONE = ("a", "an", "un")

NUM = rf"(?:\d{{1,3}}|{alternation(NUMBER_WORDS)})"
ONE = r"(?:a|an|one|un|una|une|um|uma|ein|eine|einer|einen)"
COUPLE_OF = r"(?:a\s+couple\s+of|couple\s+of|un\s+par\s+de|un\s+couple\s+de|um\s+par\s+de|un\s+paio\s+di)"


def number(token: str) -> int | None:
    """The value of a folded number token: digits, a number word or an article meaning one."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token in ARTICLE_ONE:
        return 1
    return NUMBER_WORDS.get(token)


def count(token: str) -> int | None:
    """Like ``number``, and "a couple of" is two."""
    token = " ".join(token.split())
    if re.fullmatch(COUPLE_OF, token):
        return 2
    return number(token)
