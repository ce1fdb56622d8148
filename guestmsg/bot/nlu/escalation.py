"""Words and phrases with which a guest asks for a person, in five languages."""

import re

from guestmsg.bot.nlu.numbers import NUMBER_WORDS
from guestmsg.bot.nlu.text import MAX_TEXT, fold

_ESCALATION_KEYWORDS = (
    # spec (English)
    "human", "humans", "agent", "agents", "help", "speak to someone", "talk to someone", "real person",
    "staff", "reception", "receptionist", "operator", "someone real", "live person",
    # es
    "humano", "humanos", "agente", "agentes", "ayuda", "ayudar", "ayudame", "ayudarme", "persona",
    "hablar con alguien", "persona real", "hablar con una persona", "hablar con persona", "recepcion",
    "recepcionista", "operador",
    # fr
    "humain", "conseiller", "conseillere", "aide", "parler a quelqu'un", "receptionniste", "vraie personne",
    # de
    "mensch", "mitarbeiter", "mitarbeiterin", "hilfe", "rezeption", "mit jemandem sprechen",
    # pt
    "atendente", "ajuda", "recepcao", "rececao", "falar com alguem", "pessoa real",
)
ESCALATION_RE = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(k) for k in sorted(_ESCALATION_KEYWORDS, key=len, reverse=True))
    + r")(?![\w'])"
)
# "para una persona", "2 persona", "por persona" count guests, they do not ask for a person
_PERSONA_AS_COUNT = re.compile(
    r"(?:\d+|" + "|".join(NUMBER_WORDS) + r"|un|por|cada|1a)\s+$"
)


def escalation_matches(plain: str):
    """The matches of ``ESCALATION_RE`` in folded text that ask for a person."""
    for match in ESCALATION_RE.finditer(plain):
        if match.group(1) == "persona" and _PERSONA_AS_COUNT.search(plain[:match.start()]):
            continue
        yield match


def find_escalation_keyword(text: str) -> str | None:
    """The first word or phrase of ``text`` that asks for a person, whole words only,
    ignoring case and accents; None when there is none."""
    if not text:
        return None
    for match in escalation_matches(fold(text[:MAX_TEXT])):
        return match.group(1)
    return None
