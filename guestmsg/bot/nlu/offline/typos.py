"""Key words that survive small typos ("resevation", "tomorow"): an edit-distance match against a short list."""

from functools import lru_cache

from guestmsg.bot.nlu.language import LANGUAGE_SETS
from guestmsg.text.numbers import NUMBER_WORDS
from guestmsg.bot.nlu.offline.dates import MONTH_OF, WEEKDAYS

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
    prenotazione prenotazioni disponibilita camera camere settimana persone adulti bambini buongiorno buonasera
    grazie
    """.split())
_COMMON_WORDS = frozenset("""
    chance change there these those where other three their which would could should people before after
    about another number family double single suite breakfast parking hotel price prices cheap cheapest
    month months morning evening afternoon booked reserved thanks thank please right night nights eight
    weight light might sight string simple sample person couple little middle domain remember
    """.split())
# every word the parser reads; none of them is taken for a typo
KNOWN_WORDS = (_CORRECTION_TARGETS | _COMMON_WORDS | frozenset(NUMBER_WORDS) | frozenset(MONTH_OF)
               | frozenset(w for names in WEEKDAYS.values() for n in names for w in n.split())
               | frozenset().union(*LANGUAGE_SETS.values()))


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
    if len(word) < 6 or word in KNOWN_WORDS or not word.isalpha():
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
