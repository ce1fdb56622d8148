"""Words and phrases with which a guest asks for a person, in six languages."""

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
    "parler a une personne", "parler avec une personne", "personne reelle",
    # de
    "mensch", "mitarbeiter", "mitarbeiterin", "hilfe", "rezeption", "mit jemandem sprechen", "einem menschen",
    "einen menschen", "echten menschen", "mit einer person", "echte person",
    # pt
    "atendente", "ajuda", "recepcao", "rececao", "falar com alguem", "pessoa real", "atendimento", "pessoa",
    "falar com uma pessoa", "falar com a pessoa", "ajude", "ajudem", "rececionista",
    # it
    "operatore", "operatrice", "parlare con qualcuno", "parlare con una persona", "parlare a una persona",
    "persona reale", "persona vera", "assistenza", "umano", "essere umano", "aiuto", "aiutami", "aiutatemi",
    "aiutarmi", "aiutare", "aiutarci",
)
ESCALATION_RE = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(k) for k in sorted(_ESCALATION_KEYWORDS, key=len, reverse=True))
    + r")(?![\w'])"
)
# "para una persona", "2 persona", "por persona", "uma pessoa", "per persona" count guests, they do not ask for
# a person; only the Italian "a persona" ("50 euro a persona") counts with an "a", since "falar com a pessoa" asks
_COUNTED = r"(?:\d+|" + "|".join(NUMBER_WORDS) + r"|un|por|per|cada|ogni|1a)"
_AS_COUNT = {
    "persona": re.compile(rf"(?:{_COUNTED}|a)\s+$"),
    "pessoa": re.compile(rf"{_COUNTED}\s+$"),
}


def escalation_matches(plain: str):
    """The matches of ``ESCALATION_RE`` in folded text that ask for a person."""
    for match in ESCALATION_RE.finditer(plain):
        as_count = _AS_COUNT.get(match.group(1))
        if as_count and as_count.search(plain[:match.start()]):
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
