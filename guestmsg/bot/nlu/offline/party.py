"""Who is coming: adults, children and people, "a couple", "just me", "for 3"."""

import re

from guestmsg.text.numbers import NUM, ONE, count
from guestmsg.bot.nlu.offline.dates import MONTH
from guestmsg.bot.nlu.offline.units import ADULT, CHILD, PEOPLE, UNIT
from guestmsg.text import take

_NO_CHILDREN = ("no", "sin", "sans", "ohne", "sem", "senza")
_ADULTS_RE = re.compile(rf"\b({NUM}|{ONE})\s*{ADULT}\b")
_CHILDREN_RE = re.compile(rf"\b({NUM}|{ONE}|{'|'.join(_NO_CHILDREN)})\s*{CHILD}\b")
_PEOPLE_RE = re.compile(rf"\b({NUM}|{ONE})\s*{PEOPLE}\b")
_FOR_N_RE = re.compile(rf"\b(?:for|para|pour|fur|per|somos|we are|we're|nous sommes|wir sind|siamo(?:\s+in)?|"
                       rf"saremo(?:\s+in)?)\s+({NUM})\b"
                       rf"(?!\s*(?:{UNIT}|{MONTH}\b|[/.:\-]\d|st\b|nd\b|rd\b|th\b|de\s+{MONTH}|of\s+{MONTH}))")
_IT_PARTNER = r"(?:mia|mio)\s+(?:moglie|marito|compagna|compagno|fidanzata|fidanzato|ragazza|ragazzo)"
_COUPLE_RE = re.compile(
    r"\b(?:a\s+couple|una\s+pareja|en\s+pareja|un\s+couple|ein\s+paar|um\s+casal|una\s+coppia|in\s+coppia|"
    rf"(?:io\s+e|con)\s+{_IT_PARTNER}|{_IT_PARTNER}\s+e\s+io|"
    r"(?:my|mi|ma|mon|meine|meinem|minha|meu)\s+(?:wife|husband|partner|girlfriend|boyfriend|esposa|esposo|mujer|"
    r"marido|novia|novio|femme|mari|copine|copain|frau|mann|freundin|freund|mulher|namorada|namorado)\s+"
    r"(?:and\s+(?:i|me)|y\s+yo|et\s+moi|und\s+ich|e\s+eu)|(?:me|myself)\s+and\s+my\s+(?:wife|husband|partner|"
    r"girlfriend|boyfriend)|(?:with|con|avec|mit|com)\s+(?:my|mi|ma|mon|meiner|meinem|minha|meu)\s+"
    r"(?:wife|husband|partner|girlfriend|boyfriend|esposa|esposo|mujer|marido|pareja|novia|novio|femme|mari|"
    r"frau|mann|freundin|freund|mulher|marido|namorada|namorado))\b(?!\s+of\b)")
_ALONE_RE = re.compile(
    r"\b(?:just\s+me|only\s+me|just\s+myself|for\s+myself|by\s+myself|alone|solo\s+yo|yo\s+solo|yo\s+sola|"
    r"solo\s+para\s+mi|seule?|allein|sozinh[oa]|so\s+eu|solo\s+io|da\s+sol[oa]|solo\s+per\s+me)\b")
_FAMILY_RE = re.compile(rf"\b(?:family\s+of|familia\s+de|famille\s+de|familie\s+mit|famiglia\s+di)\s+({NUM})\b")


def read_party(text, stay):
    """Sets ``stay.adults`` and ``stay.children`` from the first counts written; returns ``text`` with the
    counts blanked out."""
    def adults(match):
        value = count(match.group(1))
        if value is not None and stay.adults is None:
            stay.adults = value

    def children(match):
        token = match.group(1)
        value = 0 if token in _NO_CHILDREN else count(token)
        if value is not None and stay.children is None:
            stay.children = value

    def couple(_match):
        if stay.adults is None:
            stay.adults = 2

    def alone(_match):
        if stay.adults is None:
            stay.adults = 1

    text = take(_ADULTS_RE, text, adults)
    text = take(_CHILDREN_RE, text, children)
    text = take(_PEOPLE_RE, text, adults)
    text = take(_FAMILY_RE, text, adults)
    text = take(_COUPLE_RE, text, couple)
    text = take(_ALONE_RE, text, alone)
    text = take(_FOR_N_RE, text, adults)
    return text
