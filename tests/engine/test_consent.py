import pytest

from guestmsg.bot.nlu.language import LANGUAGES
from guestmsg.core import consent
from guestmsg.core.consent import START, STOP, consent_command, consent_languages


@pytest.mark.parametrize("text", [
    "STOP", "stop", " Stop ", "STOP!!", "stop.", "Stop 🛑", "🛑 STOP", "*STOP*", "STOP 👍",
    "unsubscribe", "Unsubscribe.", "opt out", "BAJA", "¡Baja!", "darme de baja", "parar", "Cancelar suscripción",
    "arrêt", "ARRET", "Arrêter", "désabonner", "Me désabonner", "stopp", "Abmelden", "abbestellen",
    "sair", "cancelar inscrição", "CANCELAR INSCRICAO", "annulla iscrizione", "Disiscrivimi",
    "\u200bSTOP\u200b", "ＳＴＯＰ", "STÓP", "s\u0301top", "stop\n", "\tSTOP\t",
])
def test_opt_out_keywords(text):
    assert consent_command(text) == STOP


@pytest.mark.parametrize("text", [
    "START", "start", "Start!", "subscribe", "alta", "Darme de alta", "iniciar", "démarrer", "DEMARRER",
    "m'abonner", "m\u2019abonner", "anmelden", "starten", "inscrever-me", "avvia", "Iscrivimi",
])
def test_opt_in_keywords(text):
    assert consent_command(text) == START


@pytest.mark.parametrize("text", [
    "stop it please", "please stop", "I want to stop the reservation", "Don't stop", "no STOP",
    "STOP STOP", "S T O P", "st op", "stoppen sie", "stops", "stopped", "unstoppable", "bajar", "baja la música",
    "cancel", "cancelar", "annulla", "basta", "voltar", "quit", "end", "start my booking", "hola",
    "", "   ", "!!!", "🛑",
    "ЅТОР",  # Cyrillic letters that look like STOP
    "stop" + " " * 100, "STOP" + "!" * 100, "stop " * 1000, "x" * 1_000_000,
])
def test_anything_else_is_not_a_command(text):
    assert consent_command(text) is None


@pytest.mark.parametrize("value", [None, 42, b"STOP", ["STOP"], {"text": "STOP"}])
def test_non_text_is_not_a_command(value):
    assert consent_command(value) is None
    assert consent_languages(value) == ()


def test_every_bot_language_has_both_commands():
    assert set(consent.KEYWORDS) == set(LANGUAGES)
    for stops, starts in consent.KEYWORDS.values():
        assert stops and starts


def test_no_phrase_both_stops_and_starts():
    stops = {phrase for stops, _starts in consent.KEYWORDS.values() for phrase in stops}
    starts = {phrase for _stops, starts in consent.KEYWORDS.values() for phrase in starts}
    assert not stops & starts


def test_keywords_are_written_as_fold_leaves_them():
    from guestmsg.text import fold

    for stops, starts in consent.KEYWORDS.values():
        for phrase in (*stops, *starts):
            assert fold(phrase, emojis=False) == phrase
            assert consent_command(phrase) in (STOP, START)
            assert len(phrase) < consent.MAX_COMMAND_LENGTH


@pytest.mark.parametrize("text,languages", [
    ("STOP", ("en", "fr")), ("BAJA", ("es",)), ("arrêt", ("fr",)), ("abmelden", ("de",)), ("sair", ("pt",)),
    ("parar", ("es", "pt")), ("annulla iscrizione", ("it",)), ("avvia", ("it",)), ("démarrer", ("fr",)),
    ("hello", ()), ("stop it", ()),
])
def test_keyword_languages(text, languages):
    assert consent_languages(text) == languages
