"""Accuracy of the offline parser on the labelled set (run with -s to see the figures)."""

from collections import Counter
from datetime import date

import pytest

from guestmsg.bot.nlu import OfflineNlu
from guestmsg.bot.nlu.language import LANGUAGES
from tests.engine.nlu_eval_set import EVAL_SET, HELD_OUT, SLOT_KEYS

# a few points under the figures measured when the set was written (97.2 % / 99.3 %; held out 70.8 % / 93.1 %);
# with Italian and the questions about existing bookings and the hotel: 98.4 % / 99.5 %, held out 83.3 % / 94.7 %
INTENT_FLOOR = 0.93
SLOT_FLOOR = 0.95
HELD_OUT_INTENT_FLOOR = 0.62
HELD_OUT_SLOT_FLOOR = 0.85
WRONG_LANGUAGE_CEILING = 0.05


def _intent_class(intent):
    return "other" if intent in ("other", "unknown") else intent


def _value(value):
    return value.isoformat() if isinstance(value, date) else value


def evaluate(cases):
    nlu = OfflineNlu()
    scores = Counter()
    per_language = Counter()
    misses = []
    for case in cases:
        result = nlu.understand(case["text"], case["now"], case.get("expecting"))
        per_language[case["lang"]] += 1
        scores["cases"] += 1
        if _intent_class(result.intent) == _intent_class(case["intent"]):
            scores["intents"] += 1
        else:
            misses.append(f"{case['text']!r}: intent {result.intent}, expected {case['intent']}")
        for key in SLOT_KEYS:
            if key not in case:
                continue
            scores["slots"] += 1
            if _value(getattr(result, key)) == case[key]:
                scores["slots_right"] += 1
            else:
                misses.append(f"{case['text']!r}: {key} {_value(getattr(result, key))}, expected {case[key]}")
        if result.language == case["lang"]:
            scores["language_right"] += 1
        elif result.language is not None:
            scores["language_wrong"] += 1
    return {
        "cases": scores["cases"],
        "intent_accuracy": scores["intents"] / scores["cases"],
        "slot_accuracy": scores["slots_right"] / scores["slots"] if scores["slots"] else 1.0,
        "slots": scores["slots"],
        "language_right": scores["language_right"] / scores["cases"],
        "language_wrong": scores["language_wrong"] / scores["cases"],
        "per_language": dict(per_language),
        "misses": misses,
    }


@pytest.fixture(scope="module")
def report():
    return evaluate(EVAL_SET)


@pytest.fixture(scope="module")
def held_out_report():
    return evaluate(HELD_OUT)


def test_the_set_is_large_and_varied():
    assert len(EVAL_SET) >= 150
    languages = Counter(case["lang"] for case in EVAL_SET)
    assert set(languages) == set(LANGUAGES)
    assert languages["es"] >= 30
    assert languages["it"] >= 60
    intents = {case["intent"] for case in EVAL_SET}
    assert intents >= {"book", "availability", "my_reservations", "greeting", "provide_dates",
                       "provide_guest_info", "confirm", "change", "cancel", "escalate", "other", "unknown"}
    assert all(case["now"] == EVAL_SET[0]["now"] for case in EVAL_SET)


def test_offline_parser_accuracy(report, held_out_report):
    print()
    print(f"NLU eval: {report['cases']} messages {report['per_language']}")
    print(f"  intent accuracy {report['intent_accuracy']:.1%}, slot accuracy {report['slot_accuracy']:.1%} "
          f"over {report['slots']} slots")
    print(f"  language: right {report['language_right']:.1%}, wrong {report['language_wrong']:.1%} "
          f"(the rest left undecided)")
    print(f"  held out ({held_out_report['cases']} messages written after tuning): intent "
          f"{held_out_report['intent_accuracy']:.1%}, slots {held_out_report['slot_accuracy']:.1%}")
    for lang in LANGUAGES:
        subset = evaluate([case for case in EVAL_SET if case["lang"] == lang])
        print(f"  {lang}: {subset['cases']} messages, intent {subset['intent_accuracy']:.1%}, slots "
              f"{subset['slot_accuracy']:.1%} over {subset['slots']}, language wrong {subset['language_wrong']:.1%}")
    for miss in report["misses"]:
        print(f"  miss: {miss}")
    assert report["intent_accuracy"] >= INTENT_FLOOR
    assert report["slot_accuracy"] >= SLOT_FLOOR
    assert report["language_wrong"] <= WRONG_LANGUAGE_CEILING
    assert held_out_report["intent_accuracy"] >= HELD_OUT_INTENT_FLOOR
    assert held_out_report["slot_accuracy"] >= HELD_OUT_SLOT_FLOOR


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_is_mostly_understood(lang):
    subset = [case for case in EVAL_SET if case["lang"] == lang]
    result = evaluate(subset)
    assert result["intent_accuracy"] >= 0.8, result["misses"]
    assert result["slot_accuracy"] >= 0.8, result["misses"]
    assert result["language_wrong"] <= WRONG_LANGUAGE_CEILING, result["misses"]
