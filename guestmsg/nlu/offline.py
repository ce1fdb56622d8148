"""Offline understanding of guest messages: no network, no model.

Keyword rules find the intent; a small date grammar reads the stay (dates,
nights, party) in English, Spanish, French, German and Portuguese, and
dateparser reads the date phrases the grammar does not know ("in a
fortnight", "dans une semaine"). Relative dates are resolved against ``now``
in the hotel's timezone. Key words survive small typos ("resevation",
"tomorow") through an edit-distance match against a short vocabulary.

Confidence is high when a key word names the intent, lower when the intent
is only implied, and lowered again by the share of words nothing explained.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.search import search_dates

from guestmsg.nlu import types as T

MAX_TEXT = 2000

# --- normalisation ------------------------------------------------------------------------------

_KEYCAP_MARKS = str.maketrans("", "", "\ufe0f\u20e3")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
_EMOJI_WORDS = {
    "\U0001f44d": " yes ", "\U0001f44c": " yes ", "\u2705": " yes ", "\u2714": " yes ",
    "\U0001f44e": " no ", "\u274c": " no ",
    "\U0001f44b": " hello ",
    "\U0001f64f": " thanks ",
    "\U0001f6cf": " room ", "\U0001f3e8": " hotel ",
}


def fold(text: str, emojis: bool = True) -> str:
    """Lower case without accents, emojis that mean a word turned into it, other symbols dropped."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_KEYCAP_MARKS).translate(_APOSTROPHES)
    if emojis:
        for emoji, word in _EMOJI_WORDS.items():
            text = text.replace(emoji, word)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s'/.\-:,@+]", " ", text)
    return " ".join(text.split())


def _words(text):
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text)


# --- escalation keywords ------------------------------------------------------------------------

_NUMBER_WORDS = {
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
}
# "un" and "a"/"an" only count as one in front of a unit ("a night", "un adulto").
_ARTICLE_ONE = ("a", "an", "un")

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
_ESCALATION_RE = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(k) for k in sorted(_ESCALATION_KEYWORDS, key=len, reverse=True))
    + r")(?![\w'])"
)
# "para una persona", "2 persona", "por persona" count guests, they do not ask for a person
_PERSONA_AS_COUNT = re.compile(
    r"(?:\d+|" + "|".join(_NUMBER_WORDS) + r"|un|por|cada|1a)\s+$"
)


def _escalation_matches(plain):
    for match in _ESCALATION_RE.finditer(plain):
        if match.group(1) == "persona" and _PERSONA_AS_COUNT.search(plain[:match.start()]):
            continue
        yield match


def find_escalation_keyword(text: str) -> str | None:
    """The first word or phrase of ``text`` that asks for a person, whole words only,
    ignoring case and accents; None when there is none."""
    if not text:
        return None
    for match in _escalation_matches(fold(text[:MAX_TEXT])):
        return match.group(1)
    return None


# --- language -----------------------------------------------------------------------------------

_LANGUAGE_WORDS = {
    "en": """the i i'd i'm id im my me we you a an is are am be for to and of in on at with would like want
        need have has do does can could please room rooms night nights book booking tomorrow today tonight next
        this weekend people adults adult children child kids hi hello hey thanks thank yes no available
        availability reservation reservations check from until stay any there how much what when just our
        us guests guest week weeks days day starting arriving leaving name email your it that sure okay help
        change cancel dates date arrive leave check out make get confirm sounds good never mind stop wrong
        morning bye january february march april june july august september october november december
        monday tuesday wednesday thursday friday saturday sunday""",
    "es": """el la los las de del al para por quiero quisiera queremos necesito necesitamos una uno un y con mi
        mis me gracias hola buenas buenos dias noche noches habitacion habitaciones manana hoy reserva reservar
        reservas hay tienen disponible disponibilidad personas persona adultos adulto ninos nino si fin semana
        proximo proxima este esta hablar alguien ayuda favor que cuanto fecha fechas llegada salida somos
        tengo es mio correo nombre llamo soy desde hasta vale claro viernes sabado domingo lunes martes
        miercoles jueves pasado cancelar cambiar ver no acuerdo olvidalo enero febrero marzo abril mayo junio
        julio agosto septiembre octubre noviembre diciembre""",
    "fr": """je j'ai voudrais une un chambre chambres pour nuits nuit le la les du au aux demain bonjour merci
        reserver reservation reservations avec et est personnes personne adultes enfants disponible vous avez
        des oui mes mon ma s'il plait week-end prochain ce soir aujourd'hui sejour dates parler quelqu'un
        annuler changer non nous sommes suis m'appelle janvier fevrier mars avril mai juin juillet aout
        septembre octobre novembre decembre lundi mardi mercredi jeudi vendredi samedi dimanche""",
    "de": """ich ein eine einen zimmer fur nachte nacht morgen hallo danke buchen buchung und mit der die das
        den dem personen erwachsene kinder frei haben sie bitte mochte meine meinen ja guten tag vom bis zum
        wochenende nachsten nachstes heute ubermorgen reservierung gibt es noch ist bin sprechen stornieren
        andern nein wir sind kann januar februar marz april mai juni juli august september oktober november
        dezember montag dienstag mittwoch donnerstag freitag samstag sonntag""",
    "pt": """eu quero queria gostaria um uma quarto quartos para noites noite amanha ola obrigado obrigada reservar
        reserva reservas e com pessoas adultos criancas disponivel voces tem sim minhas minha meu preciso de do
        da ate fim semana proxima proximo hoje hospedes falar alguem cancelar mudar nao nos somos sou chamo no
        bom boa janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro
        segunda terca quarta quinta sexta sabado domingo feira""",
}
_LANGUAGE_SETS = {lang: frozenset(words.split()) for lang, words in _LANGUAGE_WORDS.items()}
_WORD_WEIGHT = {}
for _lang, _set in _LANGUAGE_SETS.items():
    for _word in _set:
        _WORD_WEIGHT[_word] = 2 if sum(_word in s for s in _LANGUAGE_SETS.values()) == 1 else 1
_LANGUAGE_MARKS = {"es": "ñ¿¡", "pt": "ãõ", "de": "ßäöü", "fr": "èêàâîôûœë"}
_LANGUAGE_ORDER = ("en", "es", "fr", "de", "pt")


def detect_language(text: str) -> str | None:
    """The most likely of en, es, fr, de and pt; None without a clue or on a tie."""
    lowered = unicodedata.normalize("NFKC", text).casefold()
    scores = dict.fromkeys(_LANGUAGE_ORDER, 0)
    for lang, marks in _LANGUAGE_MARKS.items():
        scores[lang] += 2 * sum(lowered.count(m) for m in marks)
    if "ç" in lowered:
        scores["pt"] += 1
        scores["fr"] += 1
    for word in _words(fold(text, emojis=False)):
        weight = _WORD_WEIGHT.get(word)
        if weight:
            for lang in _LANGUAGE_ORDER:
                if word in _LANGUAGE_SETS[lang]:
                    scores[lang] += weight
    best = max(scores.values())
    if best <= 0:
        return None
    leaders = [lang for lang in _LANGUAGE_ORDER if scores[lang] == best]
    return leaders[0] if len(leaders) == 1 else None


# --- vocabulary -----------------------------------------------------------------------------

_MONTHS = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "januar", "janner", "janeiro", "gennaio"),
    2: ("february", "feb", "febrero", "fevrier", "fevr", "februar", "fevereiro", "fev", "febbraio"),
    3: ("march", "mar", "marzo", "mars", "marz", "maerz", "marco"),
    4: ("april", "apr", "abril", "abr", "avril", "avr", "aprile"),
    5: ("may", "mayo", "mai", "maio", "maggio"),
    6: ("june", "jun", "junio", "juin", "juni", "junho", "giugno"),
    7: ("july", "jul", "julio", "juillet", "juil", "juli", "julho", "luglio"),
    8: ("august", "aug", "agosto", "aout"),
    9: ("september", "sept", "sep", "septiembre", "setiembre", "septembre", "setembro", "settembre"),
    10: ("october", "oct", "octubre", "octobre", "oktober", "okt", "outubro", "ottobre"),
    11: ("november", "nov", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "diciembre", "dic", "decembre", "dezember", "dez", "dezembro", "dicembre"),
}
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names}
_WEEKDAYS = {
    0: ("monday", "lunes", "lundi", "montag", "segunda-feira", "segunda feira"),
    1: ("tuesday", "martes", "mardi", "dienstag", "terca-feira", "terca feira"),
    2: ("wednesday", "miercoles", "mercredi", "mittwoch", "quarta-feira", "quarta feira"),
    3: ("thursday", "jueves", "jeudi", "donnerstag", "quinta-feira", "quinta feira"),
    4: ("friday", "viernes", "vendredi", "freitag", "sexta-feira", "sexta feira", "sexta"),
    5: ("saturday", "sabado", "samedi", "samstag", "sonnabend"),
    6: ("sunday", "domingo", "dimanche", "sonntag"),
}
_WEEKDAY_OF = {name: number for number, names in _WEEKDAYS.items() for name in names}


def _alternation(words):
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MONTH = rf"(?:{_alternation(_MONTH_OF)})"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAY_OF)})"
_NUM = rf"(?:\d{{1,3}}|{_alternation(_NUMBER_WORDS)})"
_ONE = r"(?:a|an|one|un|una|une|um|uma|ein|eine|einer|einen)"
_NIGHT = r"(?:nights?|nites?|noches?|nuits?|nachte|nacht|ubernachtungen|ubernachtung|noites?)"
_WEEK = r"(?:weeks?|semanas?|semaines?|wochen?|woche)"
_DAY = r"(?:days?|dias?|jours?|tagen?|tag)"
_ADULT = r"(?:adults?|adultos?|adultas?|adultes?|erwachsenen?|erwachsener)"
_CHILD = (r"(?:children|child|kids?|ninos?|ninas?|hijos?|hijas?|enfants?|kindern?|kind|criancas?|filhos?|"
          r"bebes?|babies|baby|infants?|menores|teenagers?|teens?)")
_PEOPLE = (r"(?:people|persons?|guests?|pax|personas?|huespedes|personnes?|personen|pessoas?|hospedes|"
           r"of us|de nosotros)")
_UNIT = rf"(?:{_NIGHT}|{_WEEK}|{_DAY}|{_ADULT}|{_CHILD}|{_PEOPLE})"
_DAYN = r"(\d{1,2})(?:st|nd|rd|th|er|eme|o)?\.?"
_SEP = (r"\s*(?:-|–|—|->|to|till|til|until|through|thru|al|a|hasta(?:\s+el)?|au|jusqu'au|bis(?:\s+zum)?|"
        r"ate(?:\s+o)?|and|y|e|et|und)\s*")
_YEAR = r"(?:\s*,?\s*(?:de\s+|of\s+)?(\d{4}))?"

_CORRECTION_TARGETS = frozenset("""
    reservation reservations reserve reserved booking bookings availability available vacancy vacancies
    tomorrow tonight weekend nights adults children people persons guests cancel change modify confirm
    hello thanks please january february march april august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    reservar reserva reservas reservacion habitacion habitaciones disponibilidad disponible manana noches
    personas adultos cancelar cambiar confirmar semana gracias quisiera necesito enero febrero septiembre
    octubre noviembre diciembre miercoles viernes sabado domingo
    chambre reserver demain personnes adultes enfants disponibilite bonjour samedi dimanche vendredi
    zimmer buchen buchung reservierung erwachsene personen wochenende freitag samstag sonntag
    quarto quartos amanha noites pessoas disponivel criancas obrigado
    """.split())
_COMMON_WORDS = frozenset("""
    chance change there these those where other three their which would could should people before after
    about another number family double single suite breakfast parking hotel price prices cheap cheapest
    month months morning evening afternoon booked reserved thanks thank please right night nights eight
    weight light might sight string simple sample person couple little middle
    """.split())
_KNOWN_WORDS = (_CORRECTION_TARGETS | _COMMON_WORDS | frozenset(_NUMBER_WORDS) | frozenset(_MONTH_OF)
                | frozenset(w for names in _WEEKDAYS.values() for n in names for w in n.split())
                | frozenset().union(*_LANGUAGE_SETS.values()))


def _edit_distance(a, b, limit):
    """Optimal string alignment distance (a swap of two neighbours costs one), or limit + 1 when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    previous2 = previous
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """``word`` or the one key word it is a small typo of (one edit, two for words of 8+ letters)."""
    if len(word) < 6 or word in _KNOWN_WORDS or not word.isalpha():
        return word
    best, best_distance, tied = word, 3, False
    for target in _CORRECTION_TARGETS:
        limit = 1 if len(target) <= 7 else 2
        distance = _edit_distance(word, target, limit)
        if distance > limit:
            continue
        if distance < best_distance:
            best, best_distance, tied = target, distance, False
        elif distance == best_distance:
            tied = True
    return word if tied else best


# --- dates --------------------------------------------------------------------------------------


@dataclass
class _Mention:
    """A date written in the message, not yet resolved to a calendar day."""

    start: int
    kind: str  # abs (year given), md (month and day), d (day only), wd (weekday), rel (days from today)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    strict: bool = False
    offset: int = 0
    role: str | None = None  # "in" or "out" when the wording says so


@dataclass
class _Stay:
    mentions: list = field(default_factory=list)
    nights: int | None = None
    adults: int | None = None
    children: int | None = None
    tonight: bool = False


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


def _number(token):
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token in _ARTICLE_ONE:
        return 1
    return _NUMBER_WORDS.get(token)


def _month_day(first, second):
    """Day and month of a numeric date, day first unless only month first makes sense."""
    if 1 <= second <= 12 and 1 <= first <= 31:
        return first, second
    if 1 <= first <= 12 and 1 <= second <= 31:
        return second, first
    return None, None


def _year(text):
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


_IN_MARKER = re.compile(
    r"\b(?:check(?:ing)?[\s-]?in|arriv\w*|llegada|llego|llegamos|entrada|entramos|from|desde|starting|start|"
    r"a partir del?|j'arrive|anreise|ankunft|chegada|chego|entrando)\W*(?:\w+\W+){0,2}$"
)
_OUT_MARKER = re.compile(
    r"\b(?:check(?:ing)?[\s-]?out|leav\w*|depart\w*|salida|salgo|salimos|hasta|until|till|abreise|abfahrt|"
    r"saida|saimos|ate|jusqu'au|bis)\W*(?:\w+\W+){0,2}$"
)

_NOT_UNIT = rf"(?!\s*(?:{_UNIT}|[/.:]\d))"
_DATE_PATTERNS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("numeric_year", re.compile(r"\b(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\b(?![/.\-]\d)")),
    ("day_range_month", re.compile(
        rf"\b(?:from\s+|del\s+|de\s+|desde\s+el\s+|du\s+|vom\s+|entre\s+(?:el\s+)?|between\s+)?(?:the\s+)?{_DAYN}"
        rf"{_SEP}(?:the\s+|el\s+)?{_DAYN}\s*(?:of\s+|de\s+)?({_MONTH})\.?{_YEAR}\b")),
    ("month_day_range", re.compile(
        rf"\b({_MONTH})\.?,?\s+(?:the\s+)?{_DAYN}{_SEP}(?:the\s+)?{_DAYN}{_YEAR}\b{_NOT_UNIT}")),
    ("numeric", re.compile(r"\b(\d{1,2})[/.](\d{1,2})\b(?![/.]\d)")),
    ("day_month", re.compile(rf"\b(?:the\s+)?{_DAYN}\s*(?:of\s+|de\s+)?({_MONTH})\b\.?{_YEAR}")),
    ("month_day", re.compile(rf"\b({_MONTH})\.?,?\s+(?:the\s+)?{_DAYN}{_YEAR}\b{_NOT_UNIT}")),
    ("day_range", re.compile(
        rf"\b(?:from|del|desde el|du|vom|entre(?:\s+el)?|between)\s+(?:the\s+)?{_DAYN}{_SEP}(?:the\s+|el\s+)?"
        rf"{_DAYN}\b{_NOT_UNIT}")),
    ("ordinal_range", re.compile(
        r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\s*(?:-|to|till|until)\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b")),
    ("ordinal_day", re.compile(r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b")),
    ("single_day", re.compile(rf"\b(?:el\s+dia|el|le|am|dia|no\s+dia)\s+(\d{{1,2}})\b\.?{_NOT_UNIT}")),
    ("after_tomorrow", re.compile(
        r"\b(?:the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|pasado\s+manana|apres[\s-]demain|"
        r"ubermorgen|depois\s+de\s+amanha)\b")),
    ("tonight", re.compile(
        r"\b(?:tonight|tonite|esta\s+noche|ce\s+soir|heute\s+abend|heute\s+nacht|hoje\s+a\s+noite|esta\s+noite)\b")),
    ("today", re.compile(r"\b(?:today|hoy|aujourd'hui|heute|hoje)\b")),
    ("tomorrow", re.compile(r"(?<!la )(?<!guten )\b(?:tomorrow|manana|demain|morgen|amanha)\b")),
    ("weekend", re.compile(
        r"\b(?:(next|proximo|nachstes|nachste|que\s+viene)\s+)?(?:this\s+|the\s+|este\s+|el\s+|ce\s+|le\s+|"
        r"dieses\s+|am\s+|neste\s+|no\s+|o\s+)?(?:weekend|week-end|finde|fin\s+de\s+semana|"
        r"fin\s+de\s+semaine|wochenende|fim\s+de\s+semana)(?:\s+(que\s+viene|prochain|proximo))?\b")),
    ("in_days", re.compile(
        rf"\b(?:in|en|dans|em|daqui\s+a|dentro\s+de|within)\s+({_NUM}|{_ONE})\s+({_DAY}|{_WEEK})\b")),
    ("weekday", re.compile(
        rf"\b(?:(next|coming|proximo|proxima|prochain|nachsten|nachster|kommenden)\s+|(this|este|ce|diesen|"
        rf"nesta|neste)\s+|(?:on|el|am|na|no)\s+)?({_WEEKDAY})(?:\s+(que\s+viene|prochain|que\s+vem))?\b")),
)


def _mask(text, start, end):
    return text[:start] + " " * (end - start) + text[end:]


def _read_dates(text, stay):
    """Date mentions, in order of appearance; each match is blanked out of ``text``, which is returned."""
    for kind, pattern in _DATE_PATTERNS:
        while True:
            match = pattern.search(text)
            if not match:
                break
            found = _mentions_of(kind, match)
            if found:
                stay.mentions.extend(found)
            text = _mask(text, match.start(), match.end())
    return text


def _mentions_of(kind, match):
    start = match.start()
    g = match.groups()
    if kind == "iso":
        return [_Mention(start, "abs", year=int(g[0]), month=int(g[1]), day=int(g[2]))]
    if kind == "numeric_year":
        day, month = _month_day(int(g[0]), int(g[2]))
        if day is None:
            return None
        return [_Mention(start, "abs", year=_year(g[3]), month=month, day=day)]
    if kind == "numeric":
        day, month = _month_day(int(g[0]), int(g[1]))
        if day is None:
            return None
        return [_Mention(start, "md", month=month, day=day)]
    if kind == "day_range_month":
        month, year = _MONTH_OF[g[2]], _year(g[3])
        first, second = int(g[0]), int(g[1])
        k = "abs" if year else "md"
        return [_Mention(start, k, year=year, month=month, day=first, role="in"),
                _Mention(match.start(2), k, year=year, month=month, day=second, role="out")]
    if kind == "month_day_range":
        month, year = _MONTH_OF[g[0]], _year(g[3])
        k = "abs" if year else "md"
        return [_Mention(start, k, year=year, month=month, day=int(g[1]), role="in"),
                _Mention(match.start(3), "d", year=year, month=month, day=int(g[2]), role="out")]
    if kind == "day_month":
        year = _year(g[2])
        return [_Mention(start, "abs" if year else "md", year=year, month=_MONTH_OF[g[1]], day=int(g[0]))]
    if kind == "month_day":
        year = _year(g[2])
        return [_Mention(start, "abs" if year else "md", year=year, month=_MONTH_OF[g[0]], day=int(g[1]))]
    if kind in ("day_range", "ordinal_range"):
        return [_Mention(start, "d", day=int(g[0]), role="in"),
                _Mention(match.start(2), "d", day=int(g[1]), role="out")]
    if kind in ("single_day", "ordinal_day"):
        return [_Mention(start, "d", day=int(g[0]))]
    if kind == "after_tomorrow":
        return [_Mention(start, "rel", offset=2)]
    if kind in ("today", "tonight"):
        return [_Mention(start, "rel", offset=0)]
    if kind == "tomorrow":
        return [_Mention(start, "rel", offset=1)]
    if kind == "weekend":
        following = bool(g[0] or g[1])
        return [_Mention(start, "weekend", strict=following, role="in"),
                _Mention(start + 1, "weekend_end", strict=following, role="out")]
    if kind == "in_days":
        amount = _number(g[0])
        if amount is None:
            return None
        unit = g[1]
        days = amount * 7 if re.fullmatch(_WEEK, unit) else amount
        return [_Mention(start, "rel", offset=days)]
    if kind == "weekday":
        # only "this Friday" can be today; "Friday" or "next Friday" said on a Friday is a week later
        return [_Mention(start, "wd", weekday=_WEEKDAY_OF[g[2]], strict=not g[1])]
    return None


def _weekend(today, following):
    """Check-in and check-out of "this weekend" (Friday and Saturday nights; from Saturday only Saturday
    night) or, ``following``, of the weekend after."""
    weekday = today.weekday()
    if weekday == 5 and not following:
        return today, today + timedelta(days=1)
    friday = today + timedelta(days=4 - weekday) if weekday <= 5 else today + timedelta(days=5)
    if following and weekday != 6:  # on a Sunday the coming weekend is already the next one
        friday += timedelta(days=7)
    return friday, friday + timedelta(days=2)


def _resolve(mention, today, anchor=None):
    """The calendar day of a mention: the first one on or after today, or after ``anchor``
    (the check-in) for the end of a stay."""
    ref = anchor + timedelta(days=1) if anchor else today
    kind = mention.kind
    if kind == "abs":
        return _safe_date(mention.year, mention.month, mention.day)
    if kind == "md":
        if mention.year:
            return _safe_date(mention.year, mention.month, mention.day)
        candidate = _safe_date(ref.year, mention.month, mention.day)
        if candidate is None:
            candidate = _safe_date(ref.year + 1, mention.month, mention.day)
            return candidate
        if candidate >= ref:
            return candidate
        if anchor and (anchor - candidate).days < 180:
            return candidate  # written before the check-in: let the validation say so
        return _safe_date(candidate.year + 1, mention.month, mention.day)
    if kind == "d":
        year, month = ref.year, ref.month
        if mention.month:
            year, month = (anchor.year if anchor else ref.year), mention.month
        for _ in range(3):
            candidate = _safe_date(year, month, mention.day)
            if candidate and (candidate >= ref or mention.month):
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None
    if kind == "wd":
        start = ref
        if anchor is None and mention.strict:
            start = today + timedelta(days=1)
        return start + timedelta(days=(mention.weekday - start.weekday()) % 7)
    if kind == "rel":
        return today + timedelta(days=mention.offset)
    if kind == "weekend":
        return _weekend(today, mention.strict)[0]
    if kind == "weekend_end":
        return _weekend(today, mention.strict)[1]
    return None


def _fallback_dates(text, now, language):
    """Day-precise dates dateparser finds where the grammar found none."""
    if not re.search(r"\d|\b(?:" + _alternation(_NUMBER_WORDS) + r"|fortnight|quinzaine|quincena)\b", text):
        return []
    languages = [language] if language in _LANGUAGE_ORDER else []
    if "en" not in languages:
        languages.append("en")
    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = search_dates(text, languages=languages, settings=settings) or []
    except Exception:  # pylint: disable=broad-except
        return []  # dateparser fails on some odd inputs; the rules' answer stands
    results = []
    for fragment, when in found:
        fragment = fragment.strip()
        if not re.search(r"[a-z]", fragment) or re.fullmatch(_NUM, fragment):
            continue
        if re.search(rf"\b{_UNIT}\b", fragment) and not re.search(r"\b(?:in|dans|en|em|from)\b", fragment):
            continue
        position = text.find(fragment)
        if position >= 0:
            results.append((position, len(fragment), when.date()))
    return results[:2]


_LONE_MONTH_RE = re.compile(r"\b(?:in|en|em|au mois de|im|de|of)\s+(" + _alternation(
    [name for name in _MONTH_OF if len(name) >= 4]) + r")\b")


def _read_stay(text, now, language):
    """Dates, nights and party of a folded, corrected message."""
    stay = _Stay()
    for match in _escalation_matches(text):
        text = _mask(text, match.start(), match.end())
    rest = _read_dates(text, stay)
    lone_month = _LONE_MONTH_RE.search(rest)
    if lone_month:
        # "a week in July starting the 5th": the month written apart from the day
        for mention in stay.mentions:
            if mention.kind == "d" and mention.month is None:
                mention.kind, mention.month = "md", _MONTH_OF[lone_month.group(1)]
    if re.search(r"\b(?:tonight|tonite|esta noche|ce soir|heute abend|heute nacht|hoje a noite|esta noite)\b", text):
        stay.tonight = True
    rest = _read_nights(rest, stay)
    rest = _read_party(rest, stay)
    if not stay.mentions:
        for position, length, when in _fallback_dates(rest, now, language):
            stay.mentions.append(_Mention(position, "abs", year=when.year, month=when.month, day=when.day))
            rest = _mask(rest, position, position + length)
    return stay, rest


def _take(pattern, text, handler):
    while True:
        match = pattern.search(text)
        if not match:
            return text
        handler(match)
        text = _mask(text, match.start(), match.end())


_COUPLE_OF = r"(?:a\s+couple\s+of|couple\s+of|un\s+par\s+de|un\s+couple\s+de)"
_NIGHTS_RE = re.compile(rf"\b({_NUM}|{_ONE}|{_COUPLE_OF})\s*{_NIGHT}\b")
_WEEKS_RE = re.compile(rf"\b({_NUM}|{_ONE})\s*{_WEEK}\b")
_DAYS_RE = re.compile(rf"\b(?:for|por|pour|fur|durante|during|per)\s+({_NUM}|{_ONE})\s*{_DAY}\b")


def _count(token):
    token = " ".join(token.split())
    if re.fullmatch(_COUPLE_OF, token):
        return 2
    return _number(token)


def _read_nights(text, stay):
    def nights(match):
        value = _count(match.group(1))
        if value is not None and stay.nights is None:
            stay.nights = value

    def weeks(match):
        value = _count(match.group(1))
        if value is not None and stay.nights is None:
            stay.nights = 7 * value

    text = _take(_NIGHTS_RE, text, nights)
    text = _take(_WEEKS_RE, text, weeks)
    if stay.nights is None:
        text = _take(_DAYS_RE, text, nights)
    return text


_ADULTS_RE = re.compile(rf"\b({_NUM}|{_ONE})\s*{_ADULT}\b")
_CHILDREN_RE = re.compile(rf"\b({_NUM}|{_ONE}|no|sin|sans|ohne|sem)\s*{_CHILD}\b")
_PEOPLE_RE = re.compile(rf"\b({_NUM}|{_ONE})\s*{_PEOPLE}\b")
_FOR_N_RE = re.compile(rf"\b(?:for|para|pour|fur|per|somos|we are|we're|nous sommes|wir sind)\s+({_NUM})\b"
                       rf"(?!\s*(?:{_UNIT}|{_MONTH}\b|[/.:\-]\d|st\b|nd\b|rd\b|th\b|de\s+{_MONTH}|of\s+{_MONTH}))")
_COUPLE_RE = re.compile(
    r"\b(?:a\s+couple|una\s+pareja|en\s+pareja|un\s+couple|ein\s+paar|um\s+casal|"
    r"(?:my|mi|ma|mon|meine|meinem|minha|meu)\s+(?:wife|husband|partner|girlfriend|boyfriend|esposa|esposo|mujer|"
    r"marido|novia|novio|femme|mari|copine|copain|frau|mann|freundin|freund|mulher|namorada|namorado)\s+"
    r"(?:and\s+(?:i|me)|y\s+yo|et\s+moi|und\s+ich|e\s+eu)|(?:me|myself)\s+and\s+my\s+(?:wife|husband|partner|"
    r"girlfriend|boyfriend)|(?:with|con|avec|mit|com)\s+(?:my|mi|ma|mon|meiner|meinem|minha|meu)\s+"
    r"(?:wife|husband|partner|girlfriend|boyfriend|esposa|esposo|mujer|marido|pareja|novia|novio|femme|mari|"
    r"frau|mann|freundin|freund|mulher|marido|namorada|namorado))\b(?!\s+of\b)")
_ALONE_RE = re.compile(
    r"\b(?:just\s+me|only\s+me|just\s+myself|for\s+myself|by\s+myself|alone|solo\s+yo|yo\s+solo|yo\s+sola|"
    r"solo\s+para\s+mi|seule?|allein|sozinh[oa]|so\s+eu)\b")
_FAMILY_RE = re.compile(rf"\b(?:family\s+of|familia\s+de|famille\s+de|familie\s+mit|familia\s+de)\s+({_NUM})\b")


def _read_party(text, stay):
    def adults(match):
        value = _count(match.group(1))
        if value is not None and stay.adults is None:
            stay.adults = value

    def children(match):
        token = match.group(1)
        value = 0 if token in ("no", "sin", "sans", "ohne", "sem") else _count(token)
        if value is not None and stay.children is None:
            stay.children = value

    def couple(_match):
        if stay.adults is None:
            stay.adults = 2

    def alone(_match):
        if stay.adults is None:
            stay.adults = 1

    text = _take(_ADULTS_RE, text, adults)
    text = _take(_CHILDREN_RE, text, children)
    text = _take(_PEOPLE_RE, text, adults)
    text = _take(_FAMILY_RE, text, adults)
    text = _take(_COUPLE_RE, text, couple)
    text = _take(_ALONE_RE, text, alone)
    text = _take(_FOR_N_RE, text, adults)
    return text


def _roles(stay, text, expecting):
    """The check-in and check-out mentions."""
    mentions = sorted(stay.mentions, key=lambda m: m.start)
    for mention in mentions:
        if mention.role is None:
            before = text[max(0, mention.start - 30):mention.start]
            if _OUT_MARKER.search(before):
                mention.role = "out"
            elif _IN_MARKER.search(before):
                mention.role = "in"
    check_in = next((m for m in mentions if m.role == "in"), None)
    check_out = next((m for m in mentions if m.role == "out" and m is not check_in), None)
    free = [m for m in mentions if m.role is None or (m.role == "in" and m is not check_in)]
    if check_in is None and free:
        if len(free) == 1 and check_out is None and expecting == T.EXPECT_CHECK_OUT:
            check_out = free.pop(0)
        else:
            check_in = free.pop(0)
    if check_out is None and free:
        check_out = free.pop(0)
    return check_in, check_out


# --- intents ------------------------------------------------------------------------------------


def _phrases(*parts):
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")


_CANCEL_RE = _phrases(
    r"cancel\w*", r"stop", r"never\s?mind", r"forget\s+it", r"quit", r"abort", r"exit", r"cancelar\w*",
    r"cancela", r"olvidalo", r"olvidelo", r"dejalo", r"ya\s+no\s+quiero", r"annul\w*", r"laisse\s+tomber",
    r"stornier\w*", r"abbrechen", r"vergiss\s+es", r"desistir", r"esquece", r"esqueca")
_NEGATION_RE = re.compile(
    r"(?:no|nope|nah|non|nein|nao|no thanks|no thank you|no gracias|non merci|nein danke|nao obrigad[oa]|"
    r"not now|mejor no)")
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
_CONFIRM_RE = _phrases(
    r"yes", r"yeah", r"yep", r"yup", r"yea", r"sure", r"ok", r"okay", r"oki", r"okey", r"confirm\w*", r"correct",
    r"go\s+ahead", r"sounds\s+good", r"perfect", r"do\s+it", r"book\s+it", r"absolutely", r"of\s+course",
    r"si", r"sip", r"vale", r"claro", r"de\s+acuerdo", r"correcto", r"perfecto", r"adelante", r"dale", r"venga",
    r"oui", r"d'accord", r"parfait", r"bien\s+sur", r"ja", r"jawohl", r"genau", r"klar", r"bestatig\w*", r"passt",
    r"sim", r"isso", r"certo", r"perfeito", r"pode\s+ser", r"com\s+certeza", r"that's\s+right", r"right")
_GREETING_RE = _phrases(
    r"hi", r"hello", r"hey", r"hiya", r"howdy", r"good\s+(?:morning|afternoon|evening|day)", r"greetings",
    r"hola", r"buenas", r"buenos\s+dias", r"buenas\s+(?:tardes|noches)", r"bonjour", r"salut", r"bonsoir",
    r"coucou", r"hallo", r"guten\s+(?:tag|morgen|abend)", r"servus", r"moin", r"ola", r"oi", r"bom\s+dia",
    r"boa\s+(?:tarde|noite)")
_OTHER_RE = _phrases(
    r"thanks?", r"thank\s+you", r"thx", r"cheers", r"gracias", r"merci", r"danke", r"obrigad[oa]", r"bye",
    r"goodbye", r"adios", r"hasta\s+luego", r"au\s+revoir", r"tschuss", r"tchau", r"ciao", r"great", r"nice",
    r"cool", r"awesome", r"genial")

_FILLER = frozenset("""
    i i'd i'm id im my me we you a an is are am be for to and of in on at with would like want wants need have has
    do does can could please there this that it just our us your the from until starting arriving leaving
    el la los las de del al para por quiero quisiera queremos necesito necesitamos y con mi mis me favor que
    es un una somos tengo je voudrais pour le les du au et avec des s'il plait nous ich fur und mit der die das
    den dem bitte mochte haben sie wir eu quero queria gostaria para e com de do da nos preciso
    what when how any also some get looking look find want go going will be being been make made
    arrive arriving arrival leave leaving depart departing check in out stay night
    """.split())


# --- names and email -----------------------------------------------------------------------------

EMAIL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_NAME_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?"
_NAME_RE = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}$")
_NAME_PREFIX_RE = re.compile(
    r"(?:^|[\s,.;!])(my name is|my name's|name is|name:|i am|i'm|this is|it's|me llamo|mi nombre es|soy|"
    r"nombre:|je m'appelle|je suis|mon nom est|ich heisse|ich heiße|mein name ist|ich bin|meu nome e|meu nome é|"
    r"me chamo|chamo-me|sou)\s+", re.IGNORECASE)
_SURE_PREFIXES = ("my name is", "my name's", "name is", "name:", "me llamo", "mi nombre es", "nombre:",
                  "je m'appelle", "mon nom est", "ich heisse", "ich heiße", "mein name ist", "meu nome e",
                  "meu nome é", "me chamo", "chamo-me")
_NAME_STOP = frozenset("""
    and y et und e my mi ma mon mein meu minha email e-mail mail correo courriel is es est ist and also
    name nombre nom apellido apellidos surname lastname firstname prenom vorname nachname sobrenome
    last first the here phone telefono with con avec mit com
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
        if not re.fullmatch(_NAME_WORD, stripped):
            break
        kept.append(stripped)
    return kept


def _split_name(words):
    if not words:
        return None, None
    if len(words) == 1:
        return words[0], None
    return words[0], " ".join(words[1:])


def _read_names(original, email, expecting, has_other_content):
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
        asked = expecting in (T.EXPECT_FIRST_NAME, T.EXPECT_LAST_NAME)
        if prefix in _SURE_PREFIXES or capitalised or asked:
            if expecting == T.EXPECT_LAST_NAME and prefix not in _SURE_PREFIXES and len(words) == 1:
                return None, words[0]
            return _split_name(words)
    if email:
        words = _clean_name_words(re.split(r"[\s,;:]+", text))
        if len(words) >= 2 and len(words) <= 4:
            return _split_name(words)
        if len(words) == 1:
            if expecting == T.EXPECT_LAST_NAME:
                return None, words[0]
            if expecting == T.EXPECT_FIRST_NAME:
                return words[0], None
        return None, None
    bare = text.strip(" .,;:!¡¿?\"'")
    if expecting in (T.EXPECT_FIRST_NAME, T.EXPECT_LAST_NAME) and not has_other_content and _NAME_RE.match(bare):
        words = bare.split()
        leading = fold(words[0])
        if len(words) > 4 or (leading in _FILLER and not (leading in _NAME_PARTICLES and len(words) > 1)):
            return None, None
        if expecting == T.EXPECT_LAST_NAME:
            return None, bare
        return _split_name(words)
    return None, None


# --- the parser ---------------------------------------------------------------------------------


class OfflineNlu:
    """Rules and dateparser; deterministic for a given ``now``."""

    source = "offline"

    def understand(self, text: str, now: datetime, expecting: str | None = None) -> T.NluResult:
        original = (text or "")[:MAX_TEXT].strip()
        result = T.NluResult(source=self.source)
        if not original:
            return result
        email_match = EMAIL_RE.search(original)
        email = email_match.group(0).strip(".") if email_match else None
        result.language = detect_language(original.replace(email, " ") if email else original)
        result.email = email
        plain = fold(original.replace(email, " ") if email else original)
        corrected_words = 0

        def fix(match):
            nonlocal corrected_words
            word = match.group(0)
            better = correct_word(word)
            if better != word:
                corrected_words += 1
            return better

        plain = re.sub(r"[^\W\d_]+", fix, plain)
        today = now.date()
        stay, rest = _read_stay(plain, now, result.language)
        self._fill_stay(result, stay, plain, today, expecting)
        if expecting == T.EXPECT_GUESTS and result.adults is None and re.fullmatch(r"\s*(\d{1,3})\s*", rest):
            result.adults = int(rest)
            rest = ""

        hits = {name: pattern.search(plain) for name, pattern in (
            ("cancel", _CANCEL_RE), ("change", _CHANGE_RE), ("my_reservations", _MY_RESERVATIONS_RE),
            ("availability", _AVAILABILITY_RE), ("book", _BOOK_STRONG_RE), ("room", _BOOK_WEAK_RE),
            ("confirm", _CONFIRM_RE), ("greeting", _GREETING_RE), ("other", _OTHER_RE))}
        escalation = find_escalation_keyword(original)
        negation = _NEGATION_RE.fullmatch(" ".join(re.sub(r"[^\w\s']", " ", plain).split())) is not None
        stay_slots = any(v is not None for v in (result.check_in, result.check_out, result.nights,
                                                  result.adults, result.children))
        strong_control = hits["cancel"] or hits["change"] or hits["my_reservations"] or escalation
        names_wanted = expecting in (T.EXPECT_FIRST_NAME, T.EXPECT_LAST_NAME, T.EXPECT_EMAIL) or email
        if names_wanted and not (strong_control or hits["availability"] or stay_slots):
            other_content = negation or any(hits[k] for k in ("book", "room", "confirm", "greeting", "other"))
            result.first_name, result.last_name = _read_names(original, email, expecting, other_content)
        elif not stay_slots:
            result.first_name, result.last_name = _read_names(original, email, None, True)
        guest_slots = any(v is not None for v in (result.first_name, result.last_name, result.email))

        intent, confidence = self._intent(hits, escalation, negation, stay_slots, guest_slots, expecting)
        result.intent = intent
        if intent == T.UNKNOWN:
            known = any(w in _KNOWN_WORDS or w in _FILLER for w in _words(plain))
            result.confidence = 0.25 if known else 0.05
            return result
        explained = _mask_all(rest, [m for m in hits.values() if m] + _matches(rest))
        leftover = [w for w in _words(explained) if w not in _FILLER and w not in _KNOWN_WORDS]
        if guest_slots:
            leftover = [w for w in leftover if not _part_of_name(w, result)]
        content = [w for w in _words(plain) if w not in _FILLER]
        ratio = len(leftover) / len(content) if content else 0.0
        confidence *= 1.0 - 0.5 * ratio
        if corrected_words:
            confidence -= 0.05
        result.confidence = round(max(0.05, min(confidence, 0.99)), 2)
        return result

    @staticmethod
    def _fill_stay(result, stay, plain, today, expecting):
        check_in_mention, check_out_mention = _roles(stay, plain, expecting)
        check_in = _resolve(check_in_mention, today) if check_in_mention else None
        check_out = None
        if check_out_mention:
            check_out = _resolve(check_out_mention, today, anchor=check_in)
        nights = stay.nights
        if nights is None and stay.tonight and check_out is None:
            nights = 1
        if check_in and check_out is None and nights is not None and 0 < nights <= 366:
            check_out = check_in + timedelta(days=nights)
        if check_in and check_out and check_out_mention and check_out_mention.kind == "weekend_end" and stay.nights:
            check_out = check_in + timedelta(days=stay.nights)
        result.check_in = check_in
        result.check_out = check_out
        result.nights = nights
        result.adults = stay.adults
        result.children = stay.children

    @staticmethod
    def _intent(hits, escalation, negation, stay_slots, guest_slots, expecting):
        if hits["cancel"]:
            return T.CANCEL, 0.9
        if hits["change"]:
            return T.CHANGE, 0.85
        if hits["my_reservations"]:
            return T.MY_RESERVATIONS, 0.9
        if escalation and not (hits["availability"] or hits["book"] or hits["room"] or stay_slots):
            return T.ESCALATE, 0.9
        if guest_slots and expecting in (T.EXPECT_FIRST_NAME, T.EXPECT_LAST_NAME, T.EXPECT_EMAIL):
            return T.PROVIDE_GUEST_INFO, 0.9
        if hits["availability"]:
            return T.AVAILABILITY, 0.9
        if hits["book"]:
            return T.BOOK, 0.9
        if hits["room"]:
            return T.BOOK, 0.85 if stay_slots else 0.75
        if stay_slots:
            return T.PROVIDE_DATES, 0.85
        if guest_slots:
            return T.PROVIDE_GUEST_INFO, 0.85
        if negation:
            return T.CANCEL, 0.8 if expecting == T.EXPECT_CONFIRM else 0.6
        if hits["confirm"]:
            return T.CONFIRM, 0.9
        if hits["greeting"]:
            return T.GREETING, 0.9
        if hits["other"]:
            return T.OTHER, 0.7
        return T.UNKNOWN, 0.0


def _matches(text):
    matches = []
    for pattern in (_CANCEL_RE, _CHANGE_RE, _MY_RESERVATIONS_RE, _AVAILABILITY_RE, _BOOK_STRONG_RE,
                    _BOOK_WEAK_RE, _CONFIRM_RE, _GREETING_RE, _OTHER_RE, _ESCALATION_RE):
        matches.extend(pattern.finditer(text))
    return matches


def _mask_all(text, matches):
    for match in matches:
        if match.end() <= len(text):
            text = _mask(text, match.start(), match.end())
    return text


def _part_of_name(word, result):
    name = fold(" ".join(filter(None, (result.first_name, result.last_name))))
    return word in name.split()
