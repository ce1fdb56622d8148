#!/usr/bin/env python3
"""The booking bot as guests meet it: labelled messages in six languages through the real dialog engine.

Every message of ``tests/engine/nlu_eval_set.py`` and ``tests/engine/concierge_eval_set.py`` goes through
``Engine`` with the offline parser (``OfflineNlu``, wrapped to record what it returned) and an
``InMemoryHotel`` that holds the hotel's demo knowledge base (``guest_messaging_bot/demo/
guest_knowledge_demo.xml``, read with xml.etree; an entry's key is its record id). No database, no network;
it takes seconds. It prints figures and asserts nothing; ``tests/engine/test_bot_eval.py`` holds the floors.

    python3 bench/bot_eval.py
    python3 bench/bot_eval.py --verbose     # and every miss

Each message is a conversation of its own, started where the message is answered: on the first message
(the default); on the question the case was labelled with (``expecting``: "dates" after tapping "Book a
Stay", "check_out" after a check-in given as 2025-03-15, "guests" after 2025-03-15 to 2025-03-18, the guest's
first name, last name or email after choosing a room); or on the state the case names (``state``: the rooms
listed, the booking's summary, the guest's reservations listed or one of them shown, the summary of a
cancellation or of a change). The conversation is driven there with taps and strict formats (ISO dates, a
bare number), which the engine reads without the parser, so that nothing but the case's own message tells
the bot the guest's language. A case with ``booked`` is a guest with that many upcoming reservations (1 or
2); with ``then``, more messages or taps follow the case's own.

How each figure is taken:

- intent: the intent the parser returned for the case's message, as the engine received it; "other" and
  "unknown" are one class. Messages the engine read without the parser (an ISO date, a bare number) have
  no parser intent and are left out (counted as "read without the parser").
- dates exact: the conversation's context after the step holds the labelled check-in and check-out (each
  that the case labels), over the cases that label a date. party exact: the same for adults and children.
  A labelled value the engine must refuse by its own limits (a check-in already passed, no adult, more
  than MAX_GUESTS guests) is expected absent from the context.
- FAQ answered correctly: the step's actions hold KnowledgeAnswered with the labelled key; for a question
  the knowledge base does not answer, an Unanswered action and no KnowledgeAnswered.
- language detected right: the context's "lang" after the step is the case's language (wrong: another
  language; undecided: none), over the cases that have a text.
- managing requests routed: a request about the guest's own reservations ends in one of the managing
  states (the reservations listed, one shown, its new dates asked, its change or cancellation to confirm).
- unconfirmed bookings, changes and cancellations: every create_reservation, change_reservation or
  cancel_reservation call to the hotel not made in the step that answered the confirmation step's
  Confirm / Yes (tapped, or typed as its title or number, or a plain yes typed there); in an injection
  case, every such call made while the case's messages are answered. Calls made on a confirmation are
  counted apart ("made on a confirmation").
"""

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guestmsg.bot.dialog import Engine, InboundEvent  # noqa: E402
from guestmsg.bot.dialog.limits import MAX_GUESTS  # noqa: E402
from guestmsg.bot.dialog.types import (  # noqa: E402
    CONFIRM, DATES, GUEST_EMAIL, GUEST_FIRST_NAME, GUEST_LAST_NAME, INITIAL_STATE, MANAGE, MANAGE_CONFIRM,
    MANAGE_DATES, MANAGE_PICK, MANAGE_STATES, MENU, REPLY_BOOK, REPLY_CONFIRM, REPLY_MANAGE_CANCEL,
    REPLY_MANAGE_CHANGE, REPLY_MANAGE_YES, REPLY_MY_RESERVATIONS, ROOMS, START, GuestInfo, KnowledgeAnswered,
    Unanswered,
)
from guestmsg.bot.knowledge import KnowledgeEntry  # noqa: E402
from guestmsg.bot.nlu import OfflineNlu  # noqa: E402
from guestmsg.bot.nlu.language import LANGUAGES  # noqa: E402
from guestmsg.bot.nlu.vocabulary import is_affirmative  # noqa: E402
from guestmsg.channels.capabilities import Option, resolve_reply  # noqa: E402
from guestmsg.testing.hotel import InMemoryHotel, reservation  # noqa: E402

KNOWLEDGE_XML = ROOT / "guest_messaging_bot" / "demo" / "guest_knowledge_demo.xml"
# the hours the addon puts in an answer's {check_in_time} and {check_out_time} when none is set
CHECK_IN_TIME, CHECK_OUT_TIME = "14:00", "11:00"
PHONE = "+34600111222"
GUEST_KEY = "wa:34600111222"
KNOWN_GUEST = GuestInfo("Ana", "García", "ana@example.com")
LABEL_WIDTH = 34

STAY_DATES = ("check_in", "check_out")
PARTY = ("adults", "children")
MUTATIONS = {"create_reservation": "bookings", "change_reservation": "changes",
             "cancel_reservation": "cancellations"}
# what a case is: a message of nlu_eval_set, or of concierge_eval_set's sections, and how the report names it
KINDS = {"nlu": "nlu_eval_set", "intent": "booking", "faq": "FAQ", "unanswered": "FAQ unanswered",
         "managing": "managing", "injection": "injection"}
# the Confirm / Yes option of each confirmation step, and the hotel calls it may cause
CONFIRMATIONS = {CONFIRM: (REPLY_CONFIRM, {"create_reservation"}),
                 MANAGE_CONFIRM: (REPLY_MANAGE_YES, {"change_reservation", "cancel_reservation"})}


# === the cases and the knowledge base === #

def load_knowledge(path=KNOWLEDGE_XML) -> list:
    """The demo knowledge base as the addon gives it to the bot: one KnowledgeEntry per record, keyed by
    the record's id, a variant per line, the hours filled in."""
    entries = []
    for record in ET.parse(path).getroot().iter("record"):
        if record.get("model") != "guest.knowledge.entry":
            continue
        fields = {f.get("name"): (f.text or "") for f in record.iter("field")}
        answer = fields.get("answer", "").replace("{check_in_time}", CHECK_IN_TIME).replace(
            "{check_out_time}", CHECK_OUT_TIME)
        entries.append(KnowledgeEntry(
            key=record.get("id"), question=fields.get("name", "").strip(), answer=answer.strip(),
            variants=tuple(line.strip() for line in fields.get("variants", "").splitlines() if line.strip()),
            category=fields.get("category", "").strip()))
    return entries


def load_cases() -> list:
    """nlu_eval_set's messages (held-out ones included) and concierge_eval_set's, each with its ``kind``."""
    from tests.engine.concierge_eval_set import CONCIERGE_SET  # noqa: PLC0415
    from tests.engine.nlu_eval_set import EVAL_SET  # noqa: PLC0415

    return [{**case, "kind": "nlu"} for case in EVAL_SET] + [{**case, "kind": kind(case)} for case in CONCIERGE_SET]


def kind(case) -> str:
    if case.get("injection"):
        return "injection"
    if case.get("unanswered"):
        return "unanswered"
    if case.get("faq"):
        return "faq"
    if case.get("booked"):
        return "managing"
    return "intent"


# === a conversation === #

class RecordingNlu:
    """The offline parser, recording each message it read and what it returned."""

    def __init__(self):
        self.inner = OfflineNlu()
        self.calls = []

    def understand(self, text, now, expecting):
        result = self.inner.understand(text, now, expecting)
        self.calls.append((text, expecting, result))
        return result


class Conversation:
    """One guest's conversation; the context is stored as JSON between steps, as the addon stores it."""

    def __init__(self, hotel, nlu, now):
        self.hotel = hotel
        self.nlu = nlu
        self.engine = Engine(hotel, nlu)
        self.now = now
        self.state = INITIAL_STATE
        self.context = {}
        self.actions = []
        self.confirmed = Counter()
        self.unconfirmed = Counter()

    def send(self, text=None, reply_id=None, injection=False):
        """One message or tap; returns the step's result. Hotel calls that change reservations are counted
        as confirmed or not (all of them unconfirmed with ``injection``)."""
        before_state, options = self.state, stored_options(self.context)
        calls_before = len(self.hotel.calls)
        event = InboundEvent(text=text, reply_id=reply_id, now=self.now, guest_key=GUEST_KEY, guest_phone=PHONE)
        result = self.engine.step(self.state, json.loads(json.dumps(self.context)), event)
        self.state = result.state
        self.context = json.loads(json.dumps(result.context))
        self.actions.extend(result.actions)
        allowed = set() if injection else confirmation_calls(before_state, options, text, reply_id)
        for call in self.hotel.calls[calls_before:]:
            name = call[0]
            if name not in MUTATIONS:
                continue
            if name in allowed:
                self.confirmed[MUTATIONS[name]] += 1
                allowed.discard(name)
            else:
                self.unconfirmed[MUTATIONS[name]] += 1
        return result


def stored_options(context):
    return tuple(Option(str(o["id"]), str(o["title"])) for o in context.get("options") or ()
                 if isinstance(o, dict) and o.get("id") and o.get("title"))


def confirmation_calls(state, options, text, reply_id) -> set:
    """The hotel calls the guest's answer confirmed: on a confirmation step, its Confirm / Yes tapped, typed
    as its title or number, or a plain yes typed."""
    if state not in CONFIRMATIONS:
        return set()
    yes_id, calls = CONFIRMATIONS[state]
    if reply_id is not None:
        return set(calls) if reply_id == yes_id else set()
    chosen = resolve_reply(text or "", options)
    if (chosen is not None and chosen.id == yes_id) or (chosen is None and is_affirmative(text or "")):
        return set(calls)
    return set()


def hotel_for(case, knowledge):
    booked = case.get("booked") or 0
    reservations = [
        reservation("RES-7", "Double Room", date(2025, 3, 20), date(2025, 3, 22), reservation_id=7, room_id=1),
        reservation("RES-8", "Twin Room", date(2025, 4, 20), date(2025, 4, 22), reservation_id=8, room_id=4),
    ][:booked]
    guests = {PHONE: KNOWN_GUEST} if start_state(case) == "confirm" else {}
    return InMemoryHotel(reservations=reservations, knowledge_entries=list(knowledge), guests=guests)


def start_state(case) -> str:
    return case.get("state") or case.get("expecting") or "start"


def _to_rooms(chat):
    chat.send(reply_id=REPLY_BOOK)
    chat.send("2025-03-15 to 2025-03-18")
    chat.send("2")


def _to_guest_detail(chat, *details):
    _to_rooms(chat)
    chat.send(reply_id="room:1")
    for detail in details:
        chat.send(detail)


# where each case starts, and the state the engine is then in
DRIVES = {
    "start": (lambda chat: None, START),
    "menu": (lambda chat: chat.send(""), MENU),
    "dates": (lambda chat: chat.send(reply_id=REPLY_BOOK), DATES),
    "check_out": (lambda chat: (chat.send(reply_id=REPLY_BOOK), chat.send("2025-03-15")), DATES),
    "guests": (lambda chat: (chat.send(reply_id=REPLY_BOOK), chat.send("2025-03-15 to 2025-03-18")), DATES),
    "rooms": (_to_rooms, ROOMS),
    "room": (_to_rooms, ROOMS),
    "first_name": (lambda chat: _to_guest_detail(chat), GUEST_FIRST_NAME),
    "last_name": (lambda chat: _to_guest_detail(chat, "Ana"), GUEST_LAST_NAME),
    "email": (lambda chat: _to_guest_detail(chat, "Ana", "García"), GUEST_EMAIL),
    "confirm": (lambda chat: _to_guest_detail(chat), CONFIRM),  # the guest is known by phone
    "manage_pick": (lambda chat: chat.send(reply_id=REPLY_MY_RESERVATIONS), MANAGE_PICK),
    "manage": (lambda chat: _to_managed(chat), MANAGE),
    "manage_dates": (lambda chat: (_to_managed(chat), chat.send(reply_id=REPLY_MANAGE_CHANGE)), MANAGE_DATES),
    "cancel_confirm": (lambda chat: (_to_managed(chat), chat.send(reply_id=REPLY_MANAGE_CANCEL)), MANAGE_CONFIRM),
    "change_confirm": (lambda chat: (_to_managed(chat), chat.send(reply_id=REPLY_MANAGE_CHANGE),
                                     chat.send("2025-03-25")), MANAGE_CONFIRM),
}


def _to_managed(chat):
    chat.send(reply_id=REPLY_MY_RESERVATIONS)
    if chat.state == MANAGE_PICK:
        chat.send(reply_id="reservation:7")


def drive(chat, case):
    where = start_state(case)
    if where not in DRIVES:
        raise ValueError(f"{case['text']!r}: no way to start in {where!r}")
    go, expected = DRIVES[where]
    go(chat)
    if chat.state != expected:
        raise RuntimeError(f"{case['text']!r}: driving to {where!r} ended in {chat.state!r}")
    chat.nlu.calls.clear()
    chat.actions.clear()


# === scoring === #

def _intent_class(intent):
    return "other" if intent in ("other", "unknown") else intent


def expected_stay(case) -> dict:
    """The labelled stay values the context should hold after the step; None where the engine must refuse
    the value by its limits."""
    expected = {key: case[key] for key in STAY_DATES + PARTY if key in case}
    check_in = expected.get("check_in")
    if check_in and date.fromisoformat(check_in) < case["now"].date():
        expected.update({k: None for k in STAY_DATES if k in expected})
    adults, children = expected.get("adults"), expected.get("children")
    if adults is not None and adults < 1:
        expected["adults"] = None
    if (adults or 0) + (children or 0) > MAX_GUESTS:
        expected.update({k: None for k in PARTY if k in expected})
    return expected


class Tally:
    """Counts for one language, one intent or all cases."""

    def __init__(self):
        self.n = Counter()
        self.unconfirmed = {"injection": Counter(), "other": Counter()}
        self.confirmed = Counter()

    def score(self, name, right):
        self.n[f"{name}_total"] += 1
        self.n[f"{name}_right"] += bool(right)

    def ratio(self, name):
        total = self.n[f"{name}_total"]
        return self.n[f"{name}_right"] / total if total else None

    def figures(self) -> dict:
        figures = {"cases": self.n["cases"], "injections": self.n["injections"],
                   "intent_unasked": self.n["intent_unasked"]}
        for name in ("intent", "dates", "party", "faq", "language", "managed"):
            figures[name] = self.ratio(name)
            figures[f"{name}_right"] = self.n[f"{name}_right"]
            figures[f"{name}_total"] = self.n[f"{name}_total"]
        figures["language_wrong"] = self.n["language_wrong"]
        figures["unconfirmed_injections"] = {k: self.unconfirmed["injection"][k] for k in MUTATIONS.values()}
        figures["unconfirmed_other"] = {k: self.unconfirmed["other"][k] for k in MUTATIONS.values()}
        figures["unconfirmed"] = {k: figures["unconfirmed_injections"][k] + figures["unconfirmed_other"][k]
                                  for k in MUTATIONS.values()}
        figures["confirmed"] = {k: self.confirmed[k] for k in MUTATIONS.values()}
        return figures


def run_case(case, knowledge, nlu):
    """One case through the engine: what it did, and what was missed."""
    chat = Conversation(hotel_for(case, knowledge), nlu, case["now"])
    drive(chat, case)
    chat.confirmed.clear()
    chat.unconfirmed.clear()
    injection = bool(case.get("injection"))
    text, reply_id = case.get("text"), case.get("reply_id")
    chat.send(text, reply_id, injection=injection)
    parsed = next((r for t, _e, r in nlu.calls if t == (text or "").strip()), None)
    step_actions = list(chat.actions)
    outcome = {"state": chat.state, "context": dict(chat.context), "parsed": parsed, "actions": step_actions}
    for follow in case.get("then", ()):
        if follow.startswith("tap:"):
            chat.send(reply_id=follow[len("tap:"):], injection=injection)
        else:
            chat.send(follow, injection=injection)
    outcome["confirmed"], outcome["unconfirmed"] = chat.confirmed, chat.unconfirmed
    return outcome


def evaluate(cases, knowledge) -> dict:
    """Run every case; the figures by language, overall and by intent, and the misses."""
    nlu = RecordingNlu()
    languages = defaultdict(Tally)
    everything = Tally()
    intents = defaultdict(Tally)
    kinds = defaultdict(Counter)
    misses = []
    started = time.perf_counter()
    for case in cases:
        nlu.calls.clear()
        outcome = run_case(case, knowledge, nlu)
        lang = case["lang"]
        kinds[lang][case.get("kind") or kind(case)] += 1
        tallies = (languages[lang], everything)
        label = f"[{lang}] {case.get('text') if case.get('text') is not None else 'tap ' + case['reply_id']!r}"
        context, parsed = outcome["context"], outcome["parsed"]

        def score(name, right, why, tallies=tallies):
            for tally in tallies:
                tally.score(name, right)
            if not right:
                misses.append(f"{label}: {why}")

        for tally in tallies:
            tally.n["cases"] += 1
            tally.n["injections"] += bool(case.get("injection"))
        if case.get("intent") is not None:
            if parsed is None:
                for tally in tallies:
                    tally.n["intent_unasked"] += 1
            else:
                right = _intent_class(parsed.intent) == _intent_class(case["intent"])
                score("intent", right, f"intent {parsed.intent} ({parsed.confidence}), expected {case['intent']}")
                intents[_intent_class(case["intent"])].score("intent", right)
        expected = expected_stay(case)
        for name, keys in (("dates", STAY_DATES), ("party", PARTY)):
            wanted = {k: v for k, v in expected.items() if k in keys}
            if wanted:
                got = {k: context.get(k) for k in wanted}
                score(name, got == wanted, f"{name} {got}, expected {wanted} (state {outcome['state']})")
        if "faq" in case:
            answered = [a.key for a in outcome["actions"] if isinstance(a, KnowledgeAnswered)]
            unanswered = any(isinstance(a, Unanswered) for a in outcome["actions"])
            if case.get("unanswered"):
                right = unanswered and not answered
                wanted = "Unanswered"
            else:
                right = answered == [case["faq"]]
                wanted = case["faq"]
            got = answered or (["Unanswered"] if unanswered else [])
            why = (f"faq {got or 'nothing'}, expected {wanted} (state {outcome['state']}, intent "
                   f"{parsed.intent if parsed else None})")
            score("faq", right, why)
        if case.get("text"):
            detected = context.get("lang")
            score("language", detected == lang, f"language {detected}, expected {lang}")
            if detected not in (None, lang):
                for tally in tallies:
                    tally.n["language_wrong"] += 1
        if case.get("booked") and not case.get("injection") and case.get("intent") in (
                "my_reservations", "change", "cancel"):
            score("managed", outcome["state"] in MANAGE_STATES,
                  f"ended in {outcome['state']}, not in a managing state")
        where = "injection" if case.get("injection") else "other"
        for tally in tallies:
            tally.unconfirmed[where].update(outcome["unconfirmed"])
            tally.confirmed.update(outcome["confirmed"])
        if sum(outcome["unconfirmed"].values()):
            misses.append(f"{label}: UNCONFIRMED {dict(outcome['unconfirmed'])}")
    return {
        "cases": len(cases),
        "seconds": time.perf_counter() - started,
        "all": everything.figures(),
        "languages": {lang: languages[lang].figures() for lang in LANGUAGES if lang in languages},
        "intents": {intent: tally.figures() for intent, tally in sorted(intents.items())},
        "kinds": {lang: dict(kinds[lang]) for lang in LANGUAGES if lang in kinds},
        "misses": misses,
    }


# === report === #

def show(label, text):
    print(f"{label:{LABEL_WIDTH}}{text}")


def percent(figures, name):
    value = figures[name]
    if value is None:
        return "n/a"
    return f"{value:.1%} ({figures[f'{name}_right']} / {figures[f'{name}_total']})"


def kind_counts(by_kind):
    return ", ".join(f"{by_kind[k]} {name}" for k, name in KINDS.items() if by_kind.get(k))


def counts(counter):
    return ", ".join(f"{counter[k]} {k}" for k in MUTATIONS.values())


def report_group(figures):
    unasked = f"; {figures['intent_unasked']} read without the parser" if figures["intent_unasked"] else ""
    show("intent accuracy", percent(figures, "intent") + unasked)
    show("dates exact", percent(figures, "dates"))
    show("party exact", percent(figures, "party"))
    show("FAQ answered correctly", percent(figures, "faq"))
    wrong = figures["language_wrong"]
    undecided = figures["language_total"] - figures["language_right"] - wrong
    show("language detected right", f"{percent(figures, 'language')}, wrong {wrong}, undecided {undecided}")
    show("managing requests routed", percent(figures, "managed"))
    show("unconfirmed, injections", f"{counts(figures['unconfirmed_injections'])} "
                                    f"(over {figures['injections']} injections)")
    show("unconfirmed, other cases", f"{counts(figures['unconfirmed_other'])} "
                                     f"(over {figures['cases'] - figures['injections']} cases)")
    show("made on a confirmation", counts(figures["confirmed"]))


def report(figures, knowledge, verbose=False):
    kinds = figures["kinds"]
    total_kinds = Counter()
    for by_kind in kinds.values():
        total_kinds.update(by_kind)
    show("messages", f"{figures['cases']} through the dialog engine and the offline parser, "
                     f"in {figures['seconds']:.1f} s")
    for lang, by_kind in kinds.items():
        show(f"  {lang}", f"{sum(by_kind.values())}: {kind_counts(by_kind)}")
    show("  by kind", kind_counts(total_kinds))
    show("knowledge base", f"{len(knowledge)} entries from {KNOWLEDGE_XML.relative_to(ROOT)}")
    print()
    print("== all languages ==")
    report_group(figures["all"])
    for lang, group in figures["languages"].items():
        print()
        print(f"== {lang} ==")
        report_group(group)
    print()
    print("== intent accuracy by labelled intent (other and unknown as one) ==")
    for intent, group in figures["intents"].items():
        show(intent, percent(group, "intent"))
    print()
    show("misses", f"{len(figures['misses'])}" + ("" if verbose else " (--verbose lists them)"))
    if verbose:
        for miss in figures["misses"]:
            print(f"  {miss}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    return parser.parse_args()


def main():
    args = parse_args()
    knowledge = load_knowledge()
    figures = evaluate(load_cases(), knowledge)
    report(figures, knowledge, args.verbose)


if __name__ == "__main__":
    main()
