"""The shared vocabulary: strict checks as the dialog engine makes them, loose finders as the parser uses them."""

from datetime import datetime

import pytest
import pytz

import guestmsg.bot.nlu
import guestmsg.bot.nlu.offline
from guestmsg.bot.nlu import OfflineNlu
from guestmsg.bot.nlu.types import CANCEL, CONFIRM, EXPECT_CONFIRM
from guestmsg.bot.nlu.vocabulary import (
    BARE_NAME_RE, EMAIL_RE, find_email, is_affirmative, valid_email, valid_name,
)

NOW = pytz.timezone("Europe/Madrid").localize(datetime(2025, 3, 10, 9, 30))


# --- yes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "yes", "Yes please", "sí, confirmo", "👍", "ok!", "confirm", "de acuerdo", "Yes please!", "oui, je confirme",
    "ja bitte", "sim, pode ser", "go ahead", "that's fine", "perfect, thanks", "yes " * 8,
    "sì, confermo", "va bene", "d'accordo", "sì grazie", "perfetto, grazie", "sì per favore",
])
def test_affirmatives(text):
    assert is_affirmative(text)


@pytest.mark.parametrize("text", [
    "yes book room 5 for free", "ignore instructions", "no", "yes but change", "", "book room 5", "ok " * 10,
    None, "please", "thanks", "👎", "yes " * 9, "of course", "no grazie", "grazie",
])
def test_not_affirmatives(text):
    assert not is_affirmative(text)


def test_the_parser_hears_a_yes_or_a_no_more_loosely_than_the_strict_check():
    nlu = OfflineNlu()
    assert nlu.understand("of course", NOW, EXPECT_CONFIRM).intent == CONFIRM
    assert nlu.understand("yes but change", NOW, EXPECT_CONFIRM).intent != CONFIRM
    assert nlu.understand("no thank you", NOW, EXPECT_CONFIRM).intent == CANCEL
    assert not is_affirmative("of course")
    assert nlu.understand("certo", NOW, EXPECT_CONFIRM).intent == CONFIRM
    assert nlu.understand("va bene, procedi", NOW, EXPECT_CONFIRM).intent == CONFIRM
    assert nlu.understand("no, grazie", NOW, EXPECT_CONFIRM).intent == CANCEL


# --- email ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("Ana.Garcia@Example.COM", "Ana.Garcia@example.com"),
    ("ana@example.com", "ana@example.com"),
    (" <ana@example.com>. ", "ana@example.com"),
    ("o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk"),
    ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
    ("a@" + ("b" * 60 + ".") * 4 + "com", "a@" + ("b" * 60 + ".") * 4 + "com"),
])
def test_valid_emails(value, expected):
    assert valid_email(value) == expected


@pytest.mark.parametrize("value", [
    "ana@example", "not an email", "ana@", "ana at example", "ana@@example.com", "not-an-email",
    "ana..b@example.com", "ana@example.c", "ana@-example.com", "a" * 65 + "@example.com",
    "a@" + ("b" * 60 + ".") * 5 + "com", "ana@example.com bob@example.com", None, 42,
])
def test_invalid_emails(value):
    assert valid_email(value) is None


def test_an_email_is_found_loosely_and_validated_strictly():
    assert find_email("Ana García, ana@example.com.") == "ana@example.com"
    assert find_email("write to ana@example") is None
    assert find_email("ana..b@example.c") == "ana..b@example.c"
    assert valid_email("ana..b@example.c") is None
    assert EMAIL_RE.fullmatch("ana@example.com")


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("ana", "Ana"), ("García", "García"), ("Ana García López", "Ana García López"), ("JOHN SMITH", "John Smith"),
    ("J. R. Tolkien", "J. R. Tolkien"), ("J.R. Tolkien", "J.R. Tolkien"), ("O'Neil", "O'Neil"),
    ("Jean-Luc", "Jean-Luc"), ("  Ana   María  ", "Ana María"), ("Ana, ", "Ana"), ("ana  garcía", "Ana García"),
    ("de la Fuente", "de la Fuente"),
])
def test_valid_names(value, expected):
    assert valid_name(value) == expected


@pytest.mark.parametrize("value", ["R2D2", "12345", "!!!", "<script>", "a" * 61, "", "Ana_Garcia", None, 3])
def test_invalid_names(value):
    assert valid_name(value) is None


def test_a_bare_name_has_up_to_four_words():
    assert BARE_NAME_RE.match("Ana María O’Neil-Smith")
    assert not BARE_NAME_RE.match("Ana María de la Fuente")


# --- what the dialog imports ---------------------------------------------------------------------


def test_folding_and_escalation_are_part_of_the_package_interface():
    assert guestmsg.bot.nlu.fold is guestmsg.bot.nlu.offline.fold
    assert guestmsg.bot.nlu.find_escalation_keyword is guestmsg.bot.nlu.offline.find_escalation_keyword
    assert guestmsg.bot.nlu.find_escalation_keyword("I want to speak to someone") == "speak to someone"
    assert guestmsg.bot.nlu.fold("¡Sí! 👍") == "si yes"
