"""What a guest wants, from key phrases in six languages over folded text."""

import re

from guestmsg.bot.nlu import types as nlu_types
from guestmsg.bot.nlu.escalation import ESCALATION_RE
from guestmsg.text.numbers import NUMBER_WORDS
from guestmsg.bot.nlu.offline.units import NIGHT, WEEK
from guestmsg.text import words
from guestmsg.bot.nlu.vocabulary import AFFIRMATIVE_PHRASES, NEGATIVE_PHRASES


def _phrases(*parts):
    """A pattern matching any of the regex ``parts`` as whole words."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")


_CANCEL_RE = _phrases(
    r"cancel\w*", r"stop", r"never\s?mind", r"forget\s+it", r"quit", r"abort", r"exit", r"cancelar\w*",
    r"cancela", r"olvidalo", r"olvidelo", r"dejalo", r"ya\s+no\s+quiero", r"annul\w*", r"laisse\s+tomber",
    r"stornier\w*", r"abbrechen", r"vergiss\s+es", r"desistir", r"esquece", r"esqueca", r"disdir\w*", r"disdici",
    r"disdetta", r"lascia\s+perdere", r"lasciamo\s+perdere", r"non\s+importa", r"anula\w*", r"anular\w*",
    r"absagen", r"sagen?\s+\w+\s+ab")
_CHANGE_RE = _phrases(
    r"change\w*", r"modify", r"modif\w*", r"edit", r"different\s+(?:dates?|room|days?)", r"other\s+dates?",
    r"another\s+(?:date|day|room)", r"wrong\s+dates?", r"cambiar\w*", r"cambia", r"cambio", r"otras?\s+fechas?",
    r"otro\s+dia", r"otra\s+habitacion", r"autres?\s+dates?", r"andern", r"aendern", r"anderes\s+datum",
    r"andere\s+daten", r"umbuchen", r"verschieben", r"mudar", r"alterar", r"trocar", r"outras?\s+datas?",
    r"spostar\w*", r"sposta", r"altre\s+date", r"date\s+diverse", r"un'altra\s+(?:data|camera)",
    r"reschedul\w*", r"postpone\w*", r"push\s+(?:\w+\s+){0,2}back", r"bring\s+(?:\w+\s+){0,2}forward",
    r"move\s+(?:my|our|the)\s+(?:\w+\s+)?(?:reservation|booking|stay)", r"mover", r"muev[oa]",
    r"adelantar", r"retrasar", r"posponer", r"aplazar", r"decaler", r"decale", r"reporter", r"avancer",
    r"vorverlegen", r"adiar", r"antecipar", r"anticipar\w*", r"posticipar\w*", r"rimandare", r"cambiare")

# the guest's own booking: "my reservation", "I already have a booking", "when is my check-in?"
_MY = (r"(?:my|our|mis|mi|nuestras?|mes|ma|mon|nos|notre|meine|meiner|meinen|mein|unsere|minhas|minha|meu|meus|"
       r"nossa|mia|mie|mio|miei|nostra|nostre)")
_OWN_BOOKING = (r"(?:reservations?|bookings?|reservas?|reservaciones|reservacion|buchungen|buchung|reservierungen|"
                r"reservierung|stays?|estancias?|sejours?|prenotazion[ei]|soggiorno)")
_OWN_DATES = (r"(?:check[\s-]?in|check[\s-]?out|dates?|arrival|departure|fechas?|llegada|salida|entrada|arrivee|"
              r"depart|anreise|ankunft|abreise|daten|termin|datas|chegada|saida|arrivo|partenza)")
_WHEN = (r"(?:when|what\s+time|what|which|cuando|que\s+dia|cuales?|quand|quelles?|quel|wann|was|welche[sn]?|"
         r"quando|quais|qual|quali)")
_MY_RESERVATIONS_RE = _phrases(
    rf"{_MY}\s+(?:current\s+|existing\s+|upcoming\s+|next\s+)?{_OWN_BOOKING}",
    rf"{_WHEN}(?:\s+[\w'-]+){{0,3}}?\s+{_MY}\s+{_OWN_DATES}",
    r"booking\s+status", r"reservation\s+status", r"status\s+of\s+(?:my|the)\s+\w+",
    r"do\s+i\s+have\s+a\s+(?:reservation|booking)", r"already\s+booked",
    r"(?:i|we)(?:\s+already)?(?:\s+have|\s+had|'ve)(?:\s+already)?(?:\s+got)?\s+(?:a|an)\s+(?:reservation|booking)",
    r"(?:i|we)(?:'ve|\s+have)\s+(?:already\s+)?(?:booked|reserved|made\s+a\s+(?:reservation|booking))",
    r"(?:ya\s+)?(?:tengo|tenemos)\s+(?:ya\s+)?(?:una\s+)?reservas?", r"(?:ya\s+)?(?:he|hemos)\s+reservado",
    r"(?:j'ai|nous\s+avons)\s+(?:deja\s+)?(?:une\s+reservation|reserve)",
    r"(?:ich\s+habe|wir\s+haben)\s+(?:schon\s+|bereits\s+)?(?:eine\s+(?:buchung|reservierung)|gebucht|reserviert)",
    r"(?:ja\s+)?(?:tenho|temos)\s+(?:ja\s+)?(?:uma\s+)?reservas?", r"ja\s+(?:reservei|reservamos)",
    r"(?:ho|abbiamo)\s+(?:gia\s+)?(?:una\s+prenotazione|prenotato)",
    r"(?:reservation|booking|confirmation)\s+(?:number|reference|code)", r"ver\s+(?:mis|mi)\s+reservas?",
    r"consultar\s+(?:mis|mi)\s+reservas?", r"(?:que|cuales|cuantas)\s+reservas?\s+(?:tengo|tenemos)")

# asking whether there are rooms, whatever follows
_AVAILABILITY_RE = _phrases(
    r"availab\w*", r"vacanc\w*", r"free\s+rooms?", r"rooms?\s+free", r"(?:anything|something)\s+free",
    r"any\s+rooms?", r"rooms?\s+left", r"is\s+there\s+(?:a|any)\s+rooms?", r"are\s+there\s+(?:any\s+)?rooms?",
    r"disponib\w*", r"hay\s+habitacion\w*", r"tienen\s+habitacion\w*", r"habitacion\w*\s+libres?",
    r"(?:tienen|teneis|tiene|tenes)\s+(?:una\s+)?habitacion\w*", r"libres?", r"chambres?\s+libres?",
    r"freie?\s+zimmer", r"zimmer\s+frei", r"frei", r"verfugbar\w*", r"tem\s+quartos?", r"quartos?\s+livres?",
    r"vagas?", r"liber[aeio]", r"camer[ae]\s+liber[ae]", r"avete\s+(?:una\s+)?camer[ae]")
# "do you have …", "how much …": availability when rooms follow (or nothing), a question about the hotel when
# something else does ("do you have parking?", "c'è il parcheggio?")
_ASK_RE = _phrases(
    r"(?:do|does)\s+(?:you|the\s+hotel|the\s+rooms?)\s+have", r"have\s+you\s+got", r"got\s+any", r"is\s+there",
    r"are\s+there", r"how\s+much", r"prices?", r"rates?", r"cost",
    r"tienen", r"teneis", r"tiene", r"tenes", r"hay(?!\s+que)", r"cuanto\s+cuesta", r"cuanto\s+vale", r"precios?",
    r"tarifas?", r"avez[\s-]vous", r"vous\s+avez", r"y\s+a[\s-]t[\s-]il", r"il\s+y\s+a", r"combien", r"prix",
    r"haben\s+sie", r"habt\s+ihr", r"gibt\s+es", r"kostet", r"preise?",
    r"tem", r"tens", r"voces\s+tem", r"quanto\s+custa", r"precos?",
    r"avete", r"c'e", r"ci\s+sono", r"quanto\s+costa(?:no)?", r"prezz[oi]", r"tariff[ae]", r"costo")
# the words that may stand between "do you have" and what it asks about
_ASK_SKIP = frozenset("""
    a an any some the your you it is are be there this that these those still also please free available i we
    me us un una unos unas uno el la los las algun alguna algunos algunas mas todavia aun le les une des l encore
    ein eine einen einer der die das den dem noch freie freies freien um uma uns umas o os as ainda algum il lo
    gli ancora qualche
    """.split()) | frozenset(NUMBER_WORDS)
# the words that end what a question asks about ("parking for my room" asks about parking)
_ASK_PREPOSITIONS = frozenset("""
    for of with in on at to per para por con en de del pour avec dans du au fur mit im am zum zur com em do da no
    na di dal al su tra fra dei delle degli della
    """.split())
# what a guest asks about when asking for a room
_ROOM_TOPIC_RE = re.compile(
    r"(?:rooms?|bedrooms?|suites?|double|single|twin|habitacion\w*|cuartos?|doble|individual|chambres?|\w*zimmer|"
    r"quartos?|camer[ae]|stanz[ae]|doppia|singola|matrimoniale|apartments?|apartamentos?|appartament[oi]|"
    r"accommodation|lodging|alojamiento|hospedaje|hospedagem|alloggio|stay|availab\w*|vacanc\w*|disponib\w*|"
    r"verfugbar\w*|libres?|liber[aeio]|frei\w*|livres?|vagas?|space|place|plazas?|platz|posti|posto|lugar|hueco|"
    rf"sitio|anything|something|algo|quelque|etwas|qualcosa|\d+|{NIGHT}|{WEEK})")
# hotel facilities a guest asks about, which a room request names after the room ("a room with parking")
_FACILITY_RE = _phrases(
    r"parking", r"car\s+park", r"garage", r"parkplatz\w*", r"aparcamiento", r"estacionamiento", r"estacionamento",
    r"parcheggio", r"garaje", r"breakfast", r"desayuno", r"petit[\s-]dejeuner", r"fruhstuck", r"cafe\s+da\s+manha",
    r"pequeno[\s-]almoco", r"colazione", r"wi-?fi", r"wlan", r"internet", r"pool", r"swimming\s+pool", r"piscinas?",
    r"piscine", r"schwimmbad", r"gym", r"gimnasio", r"palestra", r"fitness", r"spa", r"sauna", r"restaurant",
    r"restaurante", r"ristorante", r"pets?", r"dogs?", r"cats?", r"perros?", r"mascotas?", r"chiens?",
    r"animaux", r"hunde?", r"haustiere?", r"cachorros?", r"caes", r"animais", r"animals?", r"animales", r"cane",
    r"cani", r"gatt[oi]", r"animali", r"shuttle", r"navetta", r"airport", r"aeropuerto", r"aeroport",
    r"flughafen", r"aeroporto", r"air\s+conditioning", r"aire\s+acondicionado", r"climatisation", r"klimaanlage",
    r"ar\s+condicionado", r"aria\s+condizionata", r"elevator", r"lift", r"ascensor", r"ascenseur", r"aufzug",
    r"elevador", r"ascensore", r"luggage", r"equipaje", r"bagages", r"gepack", r"bagagem", r"bagagli", r"beach",
    r"playa", r"plage", r"strand", r"praia", r"spiaggia")
_BOOK_STRONG_RE = _phrases(
    r"book\w*", r"reserv\w*", r"buchen", r"buchung", r"zimmer\s+buchen", r"hospedar\w*", r"alojar\w*", r"prenot\w*")
_BOOK_WEAK_RE = _phrases(
    r"rooms?", r"stay", r"stays", r"staying", r"accommodation", r"lodging", r"habitacion\w*", r"alojamiento",
    r"hospedaje", r"cuarto", r"chambres?", r"sejour", r"\w*zimmer", r"ubernachtung\w*", r"quartos?", r"hospedagem",
    r"estadia", r"estancia", r"suite", r"double", r"single", r"twin", r"doble", r"individual", r"camer[ae]",
    r"stanz[ae]", r"alloggio", r"soggiorno", r"pernottament\w*", r"pernottare", r"matrimoniale", r"doppia",
    r"singola", r"tripla")
_CONFIRM_RE = _phrases(*AFFIRMATIVE_PHRASES)
_GREETING_RE = _phrases(
    r"hi", r"hello", r"hey", r"hiya", r"howdy", r"good\s+(?:morning|afternoon|evening|day)", r"greetings",
    r"hola", r"buenas", r"buenos\s+dias", r"buenas\s+(?:tardes|noches)", r"bonjour", r"salut", r"bonsoir",
    r"coucou", r"hallo", r"guten\s+(?:tag|morgen|abend)", r"servus", r"moin", r"ola", r"oi", r"bom\s+dia",
    r"boa\s+(?:tarde|noite)", r"ciao", r"salve", r"buon\s?giorno", r"buona\s?sera", r"buon\s+pomeriggio")
_OTHER_RE = _phrases(
    r"thanks?", r"thank\s+you", r"thx", r"cheers", r"gracias", r"merci", r"danke", r"obrigad[oa]", r"bye",
    r"goodbye", r"adios", r"hasta\s+luego", r"au\s+revoir", r"tschuss", r"tchau", r"great", r"nice",
    r"cool", r"awesome", r"genial", r"grazie", r"arrivederci", r"a\s+presto", r"buona\s?notte", r"ottimo")

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
    io vorrei voglio vorremmo vogliamo per il lo gli di dal che ho abbiamo siamo sono mi ci cerco cerchiamo
    what when how any also some get looking look find want go going will be being been make made
    arrive arriving arrival leave leaving depart departing check in out stay night
    """.split())


# questions about using a room or the hotel's hours, never a request for one ("can we smoke in the rooms?", "what
# time must we leave the room?")
_ROOM_USE_RE = _phrases(
    r"smok\w*", r"fumar", r"fumer", r"fumare", r"rauchen", r"what\s+time", r"until\s+when", r"till\s+when",
    r"a\s+que\s+hora", r"hasta\s+que\s+hora", r"a\s+partir\s+de\s+que\s+hora", r"a\s+quelle\s+heure",
    r"quelle\s+heure", r"jusqu'a\s+quelle\s+heure", r"um\s+wie\s?viel\s+uhr", r"bis\s+wie\s?viel\s+uhr",
    r"bis\s+wann", r"ab\s+wann", r"a\s+que\s+horas", r"ate\s+que\s+horas", r"a\s+che\s+ora",
    r"entro\s+che\s+ora", r"fino\s+a\s+che\s+ora", r"da\s+che\s+ora",
    r"(?:leave|vacate|dejar|liberar|liberer|lasciare|liberare|raumen|verlassen|sair\s+do|deixar\s+o)\s+"
    r"(?:the\s+|la\s+|le\s+|das\s+|o\s+)?(?:room|habitacion|chambre|camera|zimmer|quarto)")


def find_intent_phrases(plain):
    """The first match of each kind of key phrase in folded text (or None), by kind; "availability" also when a
    question asks for rooms in general words, "question" when it asks about something else in the hotel, "ask"
    for any question of the kind "do you have …" or "how much …"."""
    hits = {name: pattern.search(plain) for name, pattern in _KEY_PHRASES}
    hits["ask"] = _ASK_RE.search(plain)
    room_ask, question = _asks(plain, hits["availability"], hits["room"])
    hits["availability"] = hits["availability"] or room_ask
    hits["question"] = question or _ROOM_USE_RE.search(plain)
    return hits


def _asks(plain, availability, room):
    """The first question for rooms ("do you have a double?", "how much?") and the first question about the
    hotel ("do you have a gym?", "is breakfast included?", "is parking available?").

    What a question asks about is the first word after "do you have" that is not an article or the like:
    anything but a room there makes it a question about the hotel, unless the message asks for rooms in other
    words ("tienen algo libre?"). A facility named before any room is one too, since a room request names the
    room first ("a room with parking"). "How much?" alone asks for rooms unless something else is asked about
    ("is breakfast included in the price?").
    """
    room_ask = other_ask = bare_ask = None
    for match in _ASK_RE.finditer(plain):
        topic = _topic(plain[match.end():])
        if not topic:
            bare_ask = bare_ask or match
        elif any(_ROOM_TOPIC_RE.fullmatch(word) for word in topic):
            room_ask = room_ask or match
        else:
            other_ask = other_ask or match
    if room_ask:
        return room_ask, None
    if availability:
        other_ask = None
    facility = _FACILITY_RE.search(plain)
    if facility and room and room.start() < facility.start():
        facility = None
    question = other_ask or facility
    return (None, question) if question else (bare_ask, None)


def _topic(text):
    """The words at the start of ``text`` that say what is asked about, without articles and the like, up to the
    next preposition ("a bigger room" gives bigger and room, "parking for my room" only parking)."""
    topic = []
    for word in words(text)[:8]:
        if word in _ASK_PREPOSITIONS:
            if topic:
                break
        elif word not in _ASK_SKIP:
            topic.append(word)
            if len(topic) == 3:
                break
    return topic


def is_negation(plain):
    """Whether folded text is nothing but a no."""
    return _NEGATION_RE.fullmatch(" ".join(re.sub(r"[^\w\s']", " ", plain).split())) is not None


def phrase_matches(text):
    """Every match of the intent and escalation phrases in ``text``."""
    matches = []
    for _name, pattern in _KEY_PHRASES:
        matches.extend(pattern.finditer(text))
    matches.extend(_ASK_RE.finditer(text))
    matches.extend(_FACILITY_RE.finditer(text))
    matches.extend(ESCALATION_RE.finditer(text))
    return matches


def choose_intent(hits, escalation, negation, stay_slots, guest_slots, expecting):
    """The intent and its confidence: control phrases first, then what the message asks, then what it gives.

    Cancelling or changing comes before the guest's own booking, so that "cancel my reservation" cancels; a
    question about the hotel without dates or party is left to whoever answers those (intent "other"), with
    them it asks what a stay costs or whether there is room ("how much for next weekend?").
    """
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
    if hits["question"] and not (stay_slots or hits["book"]):
        return nlu_types.OTHER, 0.6
    if hits["availability"] or (hits["ask"] and stay_slots):
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
