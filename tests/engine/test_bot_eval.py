"""The floors of the bot's evaluation as guests meet it (bench/bot_eval.py prints the figures).

nlu_eval_set and concierge_eval_set go through the real dialog engine with the offline parser and the demo
knowledge base; these tests hold the goals: intent accuracy per language, dates understood, questions
answered from the knowledge base, and nothing booked, changed or cancelled without the guest's confirmation.
"""

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bot_eval import (  # noqa: E402
    Conversation, RecordingNlu, drive, evaluate, hotel_for, load_cases, load_knowledge,
)
from guestmsg.bot.dialog.types import CONFIRM, REPLY_CONFIRM, START  # noqa: E402
from guestmsg.bot.nlu.language import LANGUAGES  # noqa: E402
from guestmsg.text import fold  # noqa: E402
from tests.engine.concierge_eval_set import (  # noqa: E402
    CONCIERGE_SET, FAQ_SET, INJECTION_SET, INTENT_SET, MANAGING_SET, NOW, en,
)
from tests.engine.nlu_eval_set import EVAL_SET  # noqa: E402

INTENT_FLOORS = {"en": 0.95, "es": 0.95, "fr": 0.90, "de": 0.90, "pt": 0.90, "it": 0.90}
DATES_FLOOR = 0.95
FAQ_FLOOR = 0.90


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture(scope="module")
def figures(knowledge):
    return evaluate(load_cases(), knowledge)


def _misses(figures, lang=None, what=""):
    """The misses of one language (or all) about one figure, one a line."""
    return "\n".join(m for m in figures["misses"] if (lang is None or m.startswith(f"[{lang}]")) and what in m)


# --- the sets ----------------------------------------------------------------------------------------


def _plain(text):
    return " ".join(re.sub(r"[^\w\s'-]", " ", fold(text)).split())


def test_the_sets_are_large_and_cover_the_six_languages():
    assert len(EVAL_SET) + len(CONCIERGE_SET) >= 300
    assert {case["lang"] for case in CONCIERGE_SET} == set(LANGUAGES)
    intent_cases = Counter(case["lang"] for case in EVAL_SET + INTENT_SET)
    assert all(intent_cases[lang] >= 45 for lang in LANGUAGES), intent_cases
    answered = Counter(case["lang"] for case in FAQ_SET if not case.get("unanswered"))
    not_answered = Counter(case["lang"] for case in FAQ_SET if case.get("unanswered"))
    assert all(answered[lang] >= 8 and not_answered[lang] >= 2 for lang in LANGUAGES), (answered, not_answered)
    managing = Counter(case["lang"] for case in MANAGING_SET)
    assert all(managing[lang] >= 5 for lang in LANGUAGES), managing
    assert all(case["booked"] in (1, 2) and case["intent"] in ("my_reservations", "change", "cancel")
               for case in MANAGING_SET)
    assert len(INJECTION_SET) >= 20
    assert len({case["lang"] for case in INJECTION_SET}) >= 4
    assert all(case["now"] == NOW for case in CONCIERGE_SET)


def test_the_questions_name_demo_entries_and_most_are_not_copies_of_their_phrasings(knowledge):
    entries = {entry.key: entry for entry in knowledge}
    questions = [case for case in FAQ_SET if not case.get("unanswered")]
    assert {case["faq"] for case in questions} <= set(entries), "a labelled entry is not in the demo data"
    phrasings = {_plain(p) for entry in knowledge for p in (entry.question, *entry.variants)}
    copies = [case["text"] for case in questions if _plain(case["text"]) in phrasings]
    assert len(copies) <= len(questions) / 2, copies
    assert all(case["faq"] is None for case in FAQ_SET if case.get("unanswered"))


# --- the floors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_intent_accuracy_per_language(figures, lang):
    group = figures["languages"][lang]
    assert group["intent"] >= INTENT_FLOORS[lang], (
        f"{lang}: intent {group['intent']:.1%} under {INTENT_FLOORS[lang]:.0%}\n{_misses(figures, lang, ': intent ')}")


def test_dates_are_understood(figures):
    assert figures["all"]["dates"] >= DATES_FLOOR, (
        f"dates exact {figures['all']['dates']:.1%} under {DATES_FLOOR:.0%}\n{_misses(figures, what=': dates ')}")


def test_questions_are_answered_from_the_knowledge_base(figures):
    assert figures["all"]["faq"] >= FAQ_FLOOR, (
        f"FAQ answered correctly {figures['all']['faq']:.1%} under {FAQ_FLOOR:.0%}\n{_misses(figures, what=': faq ')}")


def test_nothing_is_booked_changed_or_cancelled_without_the_confirmation_step(figures):
    assert figures["all"]["injections"] >= 20
    assert figures["all"]["unconfirmed"] == {"bookings": 0, "changes": 0, "cancellations": 0}, (
        _misses(figures, what="UNCONFIRMED"))


# --- the evaluation itself -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, reply_id, injection, confirmed, unconfirmed", [
    ("yes", None, False, 1, 0),
    (None, REPLY_CONFIRM, False, 1, 0),
    ("1", None, False, 1, 0),
    ("yes", None, True, 0, 1),
])
def test_a_booking_counts_as_confirmed_only_on_the_confirmation_step(knowledge, text, reply_id, injection, confirmed,
                                                                     unconfirmed):
    case = en("yes", None, state="confirm")
    chat = Conversation(hotel_for(case, knowledge), RecordingNlu(), NOW)
    drive(chat, case)
    assert chat.state == CONFIRM
    chat.send(text, reply_id, injection=injection)
    assert chat.state == START
    assert chat.confirmed["bookings"] == confirmed
    assert chat.unconfirmed["bookings"] == unconfirmed
