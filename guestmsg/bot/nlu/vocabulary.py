"""Email addresses, names and yes/no words, shared by the parsers and the dialog engine.

Finding a value in free text is loose on purpose, since the engine validates what a parser suggests;
validating it is strict.
"""

import re

from guestmsg.text import fold

# --- email ----------------------------------------------------------------------------------------

_EMAIL_LOCAL_CHAR = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]"
# a whole address as valid_email accepts it
EMAIL_RE = re.compile(
    rf"{_EMAIL_LOCAL_CHAR}+(?:\.{_EMAIL_LOCAL_CHAR}+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
# something shaped like an address somewhere in a message
LOOSE_EMAIL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def find_email(text: str) -> str | None:
    """Loose: the first thing in ``text`` shaped like user@host.tld, without dots around it; not validated."""
    match = LOOSE_EMAIL_RE.search(text)
    return match.group(0).strip(".") if match else None


def valid_email(value) -> str | None:
    """Strict: the one address ``value`` is, its domain lower-cased; None when it is anything else.

    Punctuation and quotes around it are ignored; the top-level domain has 2 to 63 letters, the part before
    the @ at most 64 characters and the whole at most 254.
    """
    if not isinstance(value, str):
        return None
    value = value.strip().strip(".,;:<>()[]\"'")
    if len(value) > 254 or not EMAIL_RE.fullmatch(value):
        return None
    local, _, domain = value.rpartition("@")
    if len(local) > 64:
        return None
    return f"{local}@{domain.lower()}"


# --- names ----------------------------------------------------------------------------------------

_LETTERS = r"[^\W\d_]+"
# one word of a name: "Ana", "O'Neil", "Jean-Luc", "J."
NAME_WORD = rf"{_LETTERS}(?:['’\-]{_LETTERS})*\.?"
# a message that is nothing but a name of up to four words
BARE_NAME_RE = re.compile(rf"^{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}$")
# a whole name as valid_name accepts it
NAME_RE = re.compile(rf"{_LETTERS}(?:(?:[ '\-]|\. ?){_LETTERS})*\.?")


def valid_name(value) -> str | None:
    """Strict: the name ``value`` is, title-cased when written all in one case; None when it is anything else.

    Up to 60 characters of letters, words joined by a space, an apostrophe, a hyphen or an initial's dot;
    runs of spaces count as one, and commas, semicolons or colons around it are ignored.
    """
    if not isinstance(value, str):
        return None
    value = " ".join(value.split()).strip(" ,;:")
    if not value or len(value) > 60 or not NAME_RE.fullmatch(value):
        return None
    if value.islower() or value.isupper():
        value = value.title()
    return value


# --- yes and no -----------------------------------------------------------------------------------

# Regex fragments over folded text. A parser takes one of them anywhere in a message as leaning to a yes,
# and a message made of nothing but a negative phrase as a no.
AFFIRMATIVE_PHRASES = (
    r"yes", r"yeah", r"yep", r"yup", r"yea", r"sure", r"ok", r"okay", r"oki", r"okey", r"confirm\w*", r"correct",
    r"go\s+ahead", r"sounds\s+good", r"perfect", r"do\s+it", r"book\s+it", r"absolutely", r"of\s+course",
    r"si", r"sip", r"vale", r"claro", r"de\s+acuerdo", r"correcto", r"perfecto", r"adelante", r"dale", r"venga",
    r"oui", r"d'accord", r"parfait", r"bien\s+sur", r"ja", r"jawohl", r"genau", r"klar", r"bestatig\w*", r"passt",
    r"sim", r"isso", r"certo", r"perfeito", r"pode\s+ser", r"com\s+certeza", r"that's\s+right", r"right",
    r"va\s+bene", r"conferm\w*", r"d'accordo", r"perfetto", r"esatto", r"giusto", r"certamente", r"procedi")
NEGATIVE_PHRASES = (
    r"no", r"nope", r"nah", r"non", r"nein", r"nao", r"no thanks", r"no thank you", r"no gracias", r"non merci",
    r"nein danke", r"nao obrigad[oa]", r"not now", r"mejor no", r"no grazie", r"non ora", r"meglio di no")

# A typed yes only books when the whole message is made of these words.
AFFIRMATIVE_WORDS = frozenset("""
    yes yeah yep yup yea sure ok okay oki okey k confirm confirmed confirming correct right perfect great
    absolutely definitely go ahead do it book that's fine good sounds
    si sip vale claro confirmo confirmar confirmado confirmada correcto perfecto adelante dale venga acuerdo
    oui d'accord parfait bien sur je confirme
    ja jawohl genau klar bestatigen bestatige passt
    sim certo confirmar perfeito isso pode ser com certeza
    va bene confermo confermare confermato confermata d'accordo perfetto esatto giusto certamente procedi
    """.split())
AFFIRMATIVE_FILLER = frozenset("""
    please pls thanks thank you it i the booking reservation de por favor gracias s'il vous plait merci bitte
    danke obrigado obrigada lo la eu all is that all's grazie per favore
    """.split())


def is_affirmative(text: str) -> bool:
    """Strict: whether ``text`` is nothing but a yes ("yes", "Yes please!", "sí, confirmo", "👍").

    At most eight words, one of them in ``AFFIRMATIVE_WORDS`` and every one in it or in ``AFFIRMATIVE_FILLER``.
    """
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", fold(text or ""))
    if not words or len(words) > 8:
        return False
    if not any(w in AFFIRMATIVE_WORDS for w in words):
        return False
    return all(w in AFFIRMATIVE_WORDS or w in AFFIRMATIVE_FILLER for w in words)
