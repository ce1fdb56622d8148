"""Words and phrases with which a guest asks for a person, in six languages, and those a hotel adds."""

import functools
import re

from guestmsg.text.numbers import NUMBER_WORDS
from guestmsg.text import MAX_TEXT, alternation, fold

# What a hotel may add to the built-in vocabulary: whole words or phrases of this many letters or digits
# at least and characters at most once folded, this many in all; a shorter one ("ok", "a") would hand
# over nearly every message.
EXTRA_KEYWORD_MIN_CHARS = 3
EXTRA_KEYWORD_MAX_CHARS = 60
MAX_EXTRA_KEYWORDS = 200
_ALNUM = re.compile(r"[^\W_]")

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


def extra_keywords(keywords) -> tuple[str, ...]:
    """A hotel's own keywords as they are matched: folded, without repeats, only those with
    ``EXTRA_KEYWORD_MIN_CHARS`` letters or digits and ``EXTRA_KEYWORD_MAX_CHARS`` characters at most, at most
    ``MAX_EXTRA_KEYWORDS`` of them; anything that is not text is left out."""
    found = []
    for keyword in _texts(keywords):
        folded = fold(keyword[:EXTRA_KEYWORD_MAX_CHARS * 4])
        usable = len(_ALNUM.findall(folded)) >= EXTRA_KEYWORD_MIN_CHARS and len(folded) <= EXTRA_KEYWORD_MAX_CHARS
        if usable and folded not in found:
            found.append(folded)
            if len(found) == MAX_EXTRA_KEYWORDS:
                break
    return tuple(found)


def _texts(keywords) -> tuple[str, ...]:
    if not isinstance(keywords, (list, tuple, set, frozenset)):
        return ()
    return tuple(keyword for keyword in keywords if isinstance(keyword, str))


@functools.lru_cache(maxsize=32)
def _extra_re(keywords: tuple[str, ...]):
    """The pattern of a hotel's keywords (as given; folded here), None without any; one per hotel and list."""
    folded = extra_keywords(keywords)
    return re.compile(r"(?<![\w'])(" + alternation(folded) + r")(?![\w'])") if folded else None


def find_escalation_keyword(text: str, extra=()) -> str | None:
    """The first word or phrase of ``text`` that asks for a person, whole words only,
    ignoring case and accents; None when there is none. ``extra``: the hotel's own keywords
    (see :func:`extra_keywords`), looked for after the built-in ones."""
    if not text:
        return None
    plain = fold(text[:MAX_TEXT])
    for match in escalation_matches(plain):
        return match.group(1)
    pattern = _extra_re(_texts(extra))
    match = pattern.search(plain) if pattern else None
    return match.group(1) if match else None
