"""A guest's first and last name, from "my name is …", from the words around an email, or from a bare name."""

import re

from guestmsg.bot.nlu import types as nlu_types
from guestmsg.bot.nlu.offline.intents import FILLER
from guestmsg.text import fold
from guestmsg.bot.nlu.vocabulary import BARE_NAME_RE, NAME_WORD

_NAME_PREFIX_RE = re.compile(
    r"(?:^|[\s,.;!])(my name is|my name's|name is|name:|i am|i'm|this is|it's|me llamo|mi nombre es|soy|"
    r"nombre:|je m'appelle|je suis|mon nom est|ich heisse|ich heiße|mein name ist|ich bin|meu nome e|meu nome é|"
    r"me chamo|chamo-me|sou|mi chiamo|il mio nome e|il mio nome è|sono)\s+", re.IGNORECASE)
_SURE_PREFIXES = ("my name is", "my name's", "name is", "name:", "me llamo", "mi nombre es", "nombre:",
                  "je m'appelle", "mon nom est", "ich heisse", "ich heiße", "mein name ist", "meu nome e",
                  "meu nome é", "me chamo", "chamo-me", "mi chiamo", "il mio nome e", "il mio nome è")
_NAME_STOP = frozenset("""
    and y et und e my mi ma mon mein meu minha email e-mail mail correo courriel is es est ist and also
    name nombre nom apellido apellidos surname lastname firstname prenom vorname nachname sobrenome
    last first the here phone telefono with con avec mit com cognome indirizzo
    """.split())
_NAME_PARTICLES = frozenset("de del la las los da das do dos van von der du le di el al ben bin mac".split())


def _clean_name_words(words):
    kept = []
    for word in words:
        stripped = word.strip(".,;:!?¡¿\"()[]")
        if not stripped:
            continue
        if stripped.casefold() in _NAME_STOP or fold(stripped) in _NAME_STOP:
            if kept:
                break
            continue
        if not re.fullmatch(NAME_WORD, stripped):
            break
        kept.append(stripped)
    return kept


def _split_name(words):
    if not words:
        return None, None
    if len(words) == 1:
        return words[0], None
    return words[0], " ".join(words[1:])


def read_names(original, email, expecting, has_other_content):
    """First and last name from "my name is …", from the words around an email, or from a bare name when
    the engine asked for one."""
    text = original.replace(email, " ") if email else original
    text = " ".join(text.split())
    for match in _NAME_PREFIX_RE.finditer(text):
        prefix = match.group(1).casefold()
        words = _clean_name_words(re.split(r"[\s,;]+", text[match.end():])[:5])[:4]
        if not words:
            continue
        capitalised = all(w[0].isupper() for w in words)
        asked = expecting in (nlu_types.EXPECT_FIRST_NAME, nlu_types.EXPECT_LAST_NAME)
        if prefix in _SURE_PREFIXES or capitalised or asked:
            if expecting == nlu_types.EXPECT_LAST_NAME and prefix not in _SURE_PREFIXES and len(words) == 1:
                return None, words[0]
            return _split_name(words)
    if email:
        words = _clean_name_words(re.split(r"[\s,;:]+", text))
        if len(words) >= 2 and len(words) <= 4:
            return _split_name(words)
        if len(words) == 1:
            if expecting == nlu_types.EXPECT_LAST_NAME:
                return None, words[0]
            if expecting == nlu_types.EXPECT_FIRST_NAME:
                return words[0], None
        return None, None
    bare = text.strip(" .,;:!¡¿?\"'")
    if expecting in (nlu_types.EXPECT_FIRST_NAME, nlu_types.EXPECT_LAST_NAME) and not has_other_content and BARE_NAME_RE.match(bare):
        words = bare.split()
        leading = fold(words[0])
        if len(words) > 4 or (leading in FILLER and not (leading in _NAME_PARTICLES and len(words) > 1)):
            return None, None
        if expecting == nlu_types.EXPECT_LAST_NAME:
            return None, bare
        return _split_name(words)
    return None, None


def part_of_name(word, result):
    """Whether the folded ``word`` is one of the words of the name in ``result``."""
    name = fold(" ".join(filter(None, (result.first_name, result.last_name))))
    return word in name.split()
