"""What a guest wants, from key phrases in five languages over folded text."""

import re

from guestmsg.bot.nlu import types as nlu_types
from guestmsg.bot.nlu.escalation import ESCALATION_RE
from guestmsg.bot.nlu.vocabulary import AFFIRMATIVE_PHRASES, NEGATIVE_PHRASES


def _phrases(*parts):
    """A pattern matching any of the regex ``parts`` as whole words."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")


_CANCEL_RE = _phrases(
    r"cancel\w*", r"stop", r"never\s?mind", r"forget\s+it", r"quit", r"abort", r"exit", r"cancelar\w*",
    r"cancela", r"olvidalo", r"olvidelo", r"dejalo", r"ya\s+no\s+quiero", r"annul\w*", r"laisse\s+tomber",
    r"stornier\w*", r"abbrechen", r"vergiss\s+es", r"desistir", r"esquece", r"esqueca")
_CHANGE_RE = _phrases(
    r"change\w*", r"modify", r"modif\w*", r"edit", r"different\s+(?:dates?|room|days?)", r"other\s+dates?",
    r"another\s+(?:date|day|room)", r"wrong\s+dates?", r"cambiar\w*", r"cambia", r"cambio", r"otras?\s+fechas?",
    r"otro\s+dia", r"otra\s+habitacion", r"autres?\s+dates?", r"andern", r"aendern", r"anderes\s+datum",
    r"andere\s+daten", r"mudar", r"alterar", r"outras?\s+datas?")
_MY_RESERVATIONS_RE = _phrases(
    r"(?:my|our|mis|mi|nuestras?|mes|ma|mon|nos|notre|meine|meiner|meinen|unsere|minhas|minha|meu|meus|nossa)\s+"
    r"(?:current\s+|existing\s+|upcoming\s+|next\s+)?(?:reservations?|bookings?|reservas?|reservaciones|"
    r"reservacion|buchungen|buchung|reservierungen|reservierung|stays?|estancias?|sejours?)",
    r"booking\s+status", r"reservation\s+status", r"status\s+of\s+(?:my|the)\s+\w+",
    r"do\s+i\s+have\s+a\s+(?:reservation|booking)", r"tengo\s+(?:una\s+)?reservas?", r"already\s+booked",
    r"(?:reservation|booking|confirmation)\s+(?:number|reference|code)", r"ver\s+(?:mis|mi)\s+reservas?",
    r"consultar\s+(?:mis|mi)\s+reservas?")
_AVAILABILITY_RE = _phrases(
    r"availab\w*", r"vacanc\w*", r"free\s+rooms?", r"rooms?\s+free", r"(?:anything|something)\s+free",
    r"any\s+rooms?", r"rooms?\s+left",
    r"(?:do|does)\s+(?:you|the\s+hotel)\s+have", r"is\s+there\s+(?:a|any)\s+rooms?", r"are\s+there\s+(?:any\s+)?rooms?",
    r"how\s+much", r"prices?", r"rates?", r"cost", r"disponib\w*", r"hay\s+habitacion\w*", r"tienen\s+habitacion\w*",
    r"habitacion\w*\s+libres?", r"(?:tienen|teneis|tiene|tenes)\s+(?:una\s+)?habitacion\w*", r"libres?",
    r"cuanto\s+cuesta", r"cuanto\s+vale", r"precios?", r"tarifas?",
    r"chambres?\s+libres?", r"avez[\s-]vous", r"combien", r"prix", r"freie?\s+zimmer", r"zimmer\s+frei", r"frei",
    r"verfugbar\w*", r"was\s+kostet", r"preise?", r"tem\s+quartos?", r"quartos?\s+livres?", r"quanto\s+custa",
    r"precos?", r"vagas?")
_BOOK_STRONG_RE = _phrases(
    r"book\w*", r"reserv\w*", r"buchen", r"buchung", r"zimmer\s+buchen", r"hospedar\w*", r"alojar\w*")
_BOOK_WEAK_RE = _phrases(
    r"rooms?", r"stay", r"stays", r"staying", r"accommodation", r"lodging", r"habitacion\w*", r"alojamiento",
    r"hospedaje", r"cuarto", r"chambres?", r"sejour", r"\w*zimmer", r"ubernachtung\w*", r"quartos?", r"hospedagem",
    r"estadia", r"estancia", r"suite", r"double", r"single", r"twin", r"doble", r"individual")
_CONFIRM_RE = _phrases(*AFFIRMATIVE_PHRASES)
_GREETING_RE = _phrases(
    r"hi", r"hello", r"hey", r"hiya", r"howdy", r"good\s+(?:morning|afternoon|evening|day)", r"greetings",
    r"hola", r"buenas", r"buenos\s+dias", r"buenas\s+(?:tardes|noches)", r"bonjour", r"salut", r"bonsoir",
    r"coucou", r"hallo", r"guten\s+(?:tag|morgen|abend)", r"servus", r"moin", r"ola", r"oi", r"bom\s+dia",
    r"boa\s+(?:tarde|noite)")
_OTHER_RE = _phrases(
    r"thanks?", r"thank\s+you", r"thx", r"cheers", r"gracias", r"merci", r"danke", r"obrigad[oa]", r"bye",
    r"goodbye", r"adios", r"hasta\s+luego", r"au\s+revoir", r"tschuss", r"tchau", r"ciao", r"great", r"nice",
    r"cool", r"awesome", r"genial")

# key phrases by kind; a room or a stay only hints at a booking
_KEY_PHRASES = (
    ("cancel", _CANCEL_RE), ("change", _CHANGE_RE), ("my_reservations", _MY_RESERVATIONS_RE),
    ("availability", _AVAILABILITY_RE), ("book", _BOOK_STRONG_RE), ("room", _BOOK_WEAK_RE),
    ("confirm", _CONFIRM_RE), ("greeting", _GREETING_RE), ("other", _OTHER_RE),
)
_NEGATION_RE = re.compile("(?:" + "|".join(NEGATIVE_PHRASES) + ")")

# words that say nothing about what a guest wants
FILLER = frozenset("""
    i i'd i'm id im my me we you a an is are am be for to and of in on at with would like want wants need have has
    do does can could please there this that it just our us your the from until starting arriving leaving
    el la los las de del al para por quiero quisiera queremos necesito necesitamos y con mi mis me favor que
    es un una somos tengo je voudrais pour le les du au et avec des s'il plait nous ich fur und mit der die das
    den dem bitte mochte haben sie wir eu quero queria gostaria para e com de do da nos preciso
    what when how any also some get looking look find want go going will be being been make made
    arrive arriving arrival leave leaving depart departing check in out stay night
    """.split())


def find_intent_phrases(plain):
    """The first match of each kind of key phrase in folded text (or None), by kind."""
    return {name: pattern.search(plain) for name, pattern in _KEY_PHRASES}


def is_negation(plain):
    """Whether folded text is nothing but a no."""
    return _NEGATION_RE.fullmatch(" ".join(re.sub(r"[^\w\s']", " ", plain).split())) is not None


def phrase_matches(text):
    """Every match of the intent and escalation phrases in ``text``."""
    matches = []
    for _name, pattern in _KEY_PHRASES:
        matches.extend(pattern.finditer(text))
    matches.extend(ESCALATION_RE.finditer(text))
    return matches


def choose_intent(hits, escalation, negation, stay_slots, guest_slots, expecting):
    """The intent and its confidence: control phrases first, then what the message asks, then what it gives."""
    if hits["cancel"]:
        return nlu_types.CANCEL, 0.9
    if hits["change"]:
        return nlu_types.CHANGE, 0.85
    if hits["my_reservations"]:
        return nlu_types.MY_RESERVATIONS, 0.9
    if escalation and not (hits["availability"] or hits["book"] or hits["room"] or stay_slots):
        return nlu_types.ESCALATE, 0.9
    if guest_slots and expecting in (nlu_types.EXPECT_FIRST_NAME, nlu_types.EXPECT_LAST_NAME, nlu_types.EXPECT_EMAIL):
        return nlu_types.PROVIDE_GUEST_INFO, 0.9
    if hits["availability"]:
        return nlu_types.AVAILABILITY, 0.9
    if hits["book"]:
        return nlu_types.BOOK, 0.9
    if hits["room"]:
        return nlu_types.BOOK, 0.85 if stay_slots else 0.75
    if stay_slots:
        return nlu_types.PROVIDE_DATES, 0.85
    if guest_slots:
        return nlu_types.PROVIDE_GUEST_INFO, 0.85
    if negation:
        return nlu_types.CANCEL, 0.8 if expecting == nlu_types.EXPECT_CONFIRM else 0.6
    if hits["confirm"]:
        return nlu_types.CONFIRM, 0.9
    if hits["greeting"]:
        return nlu_types.GREETING, 0.9
    if hits["other"]:
        return nlu_types.OTHER, 0.7
    return nlu_types.UNKNOWN, 0.0
