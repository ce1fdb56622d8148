"""A hotel's own words for asking for a person, added to the built-in vocabulary."""

import time
from datetime import datetime

import pytest
import pytz

from guestmsg.bot.dialog import DATES, ESCALATED, ESCALATION_OFFER, MENU, Engine, Escalate, InboundEvent, INITIAL_STATE
from guestmsg.bot.nlu import OfflineNlu, find_escalation_keyword
from guestmsg.bot.nlu.escalation import (
    EXTRA_KEYWORD_MAX_CHARS, EXTRA_KEYWORD_MIN_CHARS, MAX_EXTRA_KEYWORDS, extra_keywords,
)
from guestmsg.testing.hotel import InMemoryHotel

NOW = pytz.timezone("Europe/Madrid").localize(datetime(2025, 3, 10, 9, 30))


class Guest:
    """One guest talking to an engine built with the hotel's keywords."""

    def __init__(self, keywords=()):
        self.engine = Engine(InMemoryHotel(), OfflineNlu(), escalation_keywords=keywords)
        self.state, self.context, self.actions = INITIAL_STATE, {}, []

    def step(self, text=None, reply_id=None):
        result = self.engine.step(self.state, self.context, InboundEvent(
            text=text, reply_id=reply_id, now=NOW, guest_key="wa:34600111222", guest_phone="+34600111222"))
        self.state, self.context = result.state, result.context
        self.actions += result.actions
        return result


STAY = "conserje: a room for 2 nights starting tomorrow"


def test_a_hotel_keyword_offers_the_team_and_escalates():
    guest = Guest(keywords=["Conserje", "front desk"])
    guest.step("hello")
    assert guest.state == MENU
    guest.step(STAY)
    assert (guest.state, guest.context["escalation_reason"]) == (ESCALATION_OFFER, "guest_request")
    guest.step(reply_id="escalate")
    assert guest.state == ESCALATED
    assert guest.actions == [Escalate("guest_request", True)]


def test_without_the_hotel_keyword_the_same_words_do_not_escalate():
    guest = Guest()
    guest.step("hello")
    guest.step(STAY)
    assert guest.state == DATES


@pytest.mark.parametrize("text, expected", [
    ("Where is the FRONT DESK?", "front desk"),
    ("Conserjería, por favor", "conserjeria"),
    ("the front desks", None),  # whole words only
    ("frontdesk", None),
    ("I want a human", "human"),  # the built-in vocabulary still answers first
])
def test_hotel_keywords_match_whole_words_without_case_or_accents(text, expected):
    assert find_escalation_keyword(text, ["front desk", "Conserjería"]) == expected


@pytest.mark.parametrize("keywords", [
    None, "conserje", 42, {"conserje": 1}, [None, 3, b"conserje", ["conserje"]], ["a", "ok", "  "],
    ["x" * (EXTRA_KEYWORD_MAX_CHARS + 1)], ["!!!", "🙂🙂🙂"],
])
def test_unusable_keywords_are_left_out(keywords):
    assert extra_keywords(keywords) == ()
    assert find_escalation_keyword("ok a conserje x", keywords) is None
    Guest(keywords=keywords if isinstance(keywords, (list, tuple)) else ()).step("hello")


def test_keywords_are_folded_deduplicated_and_capped():
    assert extra_keywords(["Réception Desk", "reception desk", "RECEPTION  desk"]) == ("reception desk",)
    assert extra_keywords(["abc", "a.b", "a-b-c"]) == ("abc", "a-b-c") and EXTRA_KEYWORD_MIN_CHARS == 3
    many = [f"word{i}" for i in range(MAX_EXTRA_KEYWORDS + 50)]
    assert len(extra_keywords(many)) == MAX_EXTRA_KEYWORDS


def test_regex_characters_in_a_keyword_are_literal():
    assert find_escalation_keyword("call the c.o.n please", ["c.o.n"]) == "c.o.n"
    assert find_escalation_keyword("call the cxoxn please", ["c.o.n"]) is None
    assert find_escalation_keyword("(.*)+ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", ["(.*)+", "(a+)+$"]) is None


def test_a_long_message_with_many_keywords_is_read_quickly():
    keywords = [f"keyword number {i}" for i in range(MAX_EXTRA_KEYWORDS)]
    text = "keyword number " * 400
    started = time.monotonic()
    assert find_escalation_keyword(text, keywords) is None
    assert find_escalation_keyword(text + " keyword number 199", keywords) is None  # past the 2,000 characters read
    assert find_escalation_keyword("keyword number 199", keywords) == "keyword number 199"
    assert time.monotonic() - started < 1.0
