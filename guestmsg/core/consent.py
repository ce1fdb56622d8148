"""Opt-out keywords: a guest who writes STOP, alone, stops template notifications; START restarts them.

Only a message that is the keyword and nothing else counts, in any case, with or without accents,
punctuation or emojis around it: "stop it please" or "no pare" is conversation, not a command.
Plain "cancel" / "cancelar" / "annulla", "quit", "end", "basta" or "voltar" are left out on purpose:
guests write them about bookings or to the bot's menus.
"""

import re

from guestmsg.text import fold

STOP = "stop"
START = "start"

# language -> (opt-out phrases, opt-in phrases), written as ``fold`` leaves them
KEYWORDS = {
    "en": (
        ("stop", "stop all", "unsubscribe", "opt out", "optout", "opt-out", "stop notifications"),
        ("start", "unstop", "subscribe", "opt in", "optin", "opt-in", "resume"),
    ),
    "es": (
        ("baja", "darme de baja", "dar de baja", "parar", "detener", "cancelar suscripcion", "desuscribir",
         "desuscribirme"),
        ("alta", "darme de alta", "dar de alta", "iniciar", "comenzar", "reanudar", "suscribir", "suscribirme"),
    ),
    "fr": (
        ("arret", "arreter", "stop", "desabonner", "me desabonner", "desinscrire", "me desinscrire",
         "desabonnement"),
        ("demarrer", "reprendre", "abonner", "m'abonner", "reabonner", "me reabonner"),
    ),
    "de": (
        ("stopp", "abmelden", "abbestellen", "beenden"),
        ("anmelden", "starten", "wieder anmelden"),
    ),
    "pt": (
        ("sair", "parar", "cancelar inscricao", "cancelar assinatura", "descadastrar", "descadastrar-me"),
        ("iniciar", "reativar", "inscrever", "inscrever-me", "assinar"),
    ),
    "it": (
        ("annulla iscrizione", "disiscrivi", "disiscrivimi", "cancellami", "disattiva notifiche"),
        ("avvia", "iscrivimi", "riattiva", "ricomincia", "iscrivi"),
    ),
}

# longer than any keyword with its trimmings: a long message is never a command, whatever it holds
MAX_COMMAND_LENGTH = 64

_TRIM = re.compile(r"^[\W_]+|[\W_]+$")

COMMANDS = {}
LANGUAGES_OF = {}
for _language, (_stops, _starts) in KEYWORDS.items():
    for _command, _phrases in ((STOP, _stops), (START, _starts)):
        for _phrase in _phrases:
            COMMANDS.setdefault(_phrase, _command)
            LANGUAGES_OF.setdefault(_phrase, []).append(_language)


def _key(text):
    if not isinstance(text, str) or len(text) > MAX_COMMAND_LENGTH:
        return None
    # emojis stay symbols here: "STOP 👍" must not become "stop yes"
    return _TRIM.sub("", fold(text, emojis=False)) or None


def consent_command(text):
    """``"stop"``, ``"start"`` or None: what ``text``, read as a whole message, asks of notifications."""
    return COMMANDS.get(_key(text))


def consent_languages(text):
    """The languages whose keyword ``text`` is, e.g. ``("es",)`` for "BAJA" and ``("en", "fr")`` for
    "stop"; empty when it is not a keyword."""
    return tuple(LANGUAGES_OF.get(_key(text), ()))
