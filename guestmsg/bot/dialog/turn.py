"""One inbound event worked through: routing to the current state's step, output, strikes and escalation."""

import copy
import logging
import re

from guestmsg.bot.dialog import stay, strict
from guestmsg.bot.knowledge import KnowledgeBase, knowledge_base, looks_like_question
from guestmsg.channels.capabilities import Buttons, Option, Text, resolve_reply
from guestmsg.bot.dialog.context import GREET_NEXT, kept
from guestmsg.bot.dialog.limits import CONFIDENCE_FLOOR, STRIKES_BEFORE_ESCALATION
from guestmsg.bot.dialog.steps import STEPS
from guestmsg.bot.dialog.types import (
    ESCALATED, ESCALATION_OFFER, INITIAL_STATE, MENU, REASON_GUEST_LIMIT, REASON_GUEST_REQUEST,
    REASON_REPEATED_FAILURES, REPLY_AVAILABILITY, REPLY_BOOK, REPLY_CONTINUE, REPLY_ESCALATE, REPLY_MY_RESERVATIONS,
    RESUMABLE_STATES, START, STATES, Escalate, GuestLimitReached, KnowledgeAnswered, StepResult, Unanswered,
)
from guestmsg.bot.dialog.validators import as_count
from guestmsg.bot.nlu import find_escalation_keyword
from guestmsg.bot.nlu import types as nlu_types
from guestmsg.bot.nlu.vocabulary import is_affirmative

_logger = logging.getLogger(__name__)


# The menu's buttons and "Talk to our team" are answered even when they were not the last offered.
ALWAYS_ANSWERED = (REPLY_BOOK, REPLY_AVAILABILITY, REPLY_MY_RESERVATIONS, REPLY_ESCALATE)


class Turn:
    """The mutable state, context and output of a single inbound event."""

    def __init__(self, engine, state, context, event):
        self.engine = engine
        self.services = engine.services
        self._knowledge = None
        self.state = state if state in STATES else INITIAL_STATE
        self.ctx = copy.deepcopy(context) if isinstance(context, dict) else {}
        self.event = event
        self.today = event.now.date()
        self.messages = []
        self.actions = []
        self.struck = False
        self.greeted = False
        self.greet_next = bool(self.ctx.pop(GREET_NEXT, False))
        if self.state == ESCALATED:
            self.state, self.ctx = START, kept(self.ctx)

    @property
    def step(self):
        return STEPS[self.state]

    def _(self, msgid, **params):
        """A sentence of the bot's in the guest's language as the conversation knows it now."""
        return self.engine.translations(self.language())(msgid, **params)

    def language(self):
        language = self.ctx.get("lang")
        return language if isinstance(language, str) and language else None

    # --- entry -----------------------------------------------------------------------------------

    def run(self) -> StepResult:
        event = self.event
        if event.reply_id:
            self.on_reply(str(event.reply_id))
        else:
            text = (event.text or "").strip()
            if not text:
                self.step.on_empty(self)
            else:
                self.on_text(text)
        if not self.struck:
            self.ctx.pop("strikes", None)
        if self.greet_next and not self.greeted:
            # the guest asked for something straight away: greet, then answer it
            self.messages.insert(0, Text(self.greeting_text()))
        return StepResult(self.state, self.ctx, self.messages, self.actions)

    def on_text(self, text, after_offer=False):
        option = resolve_reply(text, self.options())
        if option is not None:
            self.on_reply(option.id)
            return
        step = self.step
        if step.affirmative_reply and is_affirmative(text):
            self.on_reply(step.affirmative_reply)
            return
        nlu = strict.read_dates(text, step.expecting(self))
        if nlu is None:
            nlu = step.read_strict(self, text)
        if nlu is strict.INVALID_DATE:
            self.say(self._("%(text)s is not a valid date.", text=text))
            self.prompt()
            return
        if nlu is not None:
            self.leave_offer()
            self.dispatch(nlu)
            return
        try:
            nlu = self.understand(text)
        except GuestLimitReached:
            self.offer_escalation(REASON_GUEST_LIMIT, body=self._(
                "You have sent me a lot of messages in a short time, so I will pause here. Our team will be "
                "glad to help: would you like to talk to them?"))
            return
        wants_person = find_escalation_keyword(text, self.engine.escalation_keywords) is not None or (
            nlu.intent == nlu_types.ESCALATE and nlu.confidence >= CONFIDENCE_FLOOR)
        if wants_person and not after_offer and not self.answer_from_knowledge(text, nlu, strict_match=True):
            step.on_person_request(self, text, nlu)
            return
        if not wants_person and self.answer_from_knowledge(text, nlu):
            return
        self.dispatch(nlu)

    def on_reply(self, reply_id):
        if reply_id not in {o.id for o in self.options()} and reply_id not in ALWAYS_ANSWERED:
            self.say(self._("That option is no longer available."))
            self.prompt()
            return
        # an option is answered by the step that offers it, whatever the state is now
        for step in STEPS.values():
            if step.on_reply(self, reply_id):
                return
        self.prompt()

    def dispatch(self, nlu):
        self.step.on_nlu(self, nlu)

    def prompt(self):
        """The question of the current state, asked again."""
        self.ctx.pop("options", None)
        if self.step.incomplete(self):
            return
        self.step.prompt(self)

    # --- NLU ---------------------------------------------------------------------------------------

    def understand(self, text):
        try:
            result = self.engine.nlu.understand(text, self.event.now, self.step.expecting(self))
        except GuestLimitReached:
            raise
        except Exception:  # pylint: disable=broad-except
            _logger.exception("The NLU failed; the message is treated as not understood.")
            return nlu_types.NluResult()
        if not isinstance(result, nlu_types.NluResult):
            return nlu_types.NluResult()
        language = result.language
        if isinstance(language, str) and re.fullmatch(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?", language):
            self.ctx["lang"] = language
        return result

    # --- the hotel's answers ------------------------------------------------------------------------

    def knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            try:
                entries = self.services.knowledge(self.language()) or ()
            except Exception:  # pylint: disable=broad-except
                _logger.exception("The knowledge base could not be read.")
                entries = ()
            try:
                self._knowledge = knowledge_base(tuple(entries))
            except TypeError:  # entries that cannot be hashed are matched without the cache
                self._knowledge = KnowledgeBase(entries)
        return self._knowledge

    def answer_from_knowledge(self, text, nlu, strict_match=False) -> bool:
        """Answer a question about the hotel from the knowledge base, then ask again what the current step
        was asking: a question in the middle of a booking leaves the booking where it was.

        Dates or a party, or details the step asked for, are not questions unless shaped as one. A question
        that also reads as a request about the guest's reservations ("can I cancel my booking?") or for a
        person ("can I leave my bags at reception?": ``strict_match``) is answered only when an entry
        explains most of it ("what is your cancellation policy?").
        """
        if stay.slots(nlu):
            return False
        question = looks_like_question(text)
        confident = nlu.confidence >= CONFIDENCE_FLOOR
        if confident and nlu.intent in (nlu_types.CANCEL, nlu_types.CHANGE, nlu_types.MY_RESERVATIONS):
            if not question:
                return False
            strict_match = True
        if strict_match:
            match = self.knowledge().find(text) if question else None
            if match is None or match.coverage < (0.99 if nlu.intent != nlu_types.ESCALATE else 0.6):
                return False
            return self.answer(match.entry)
        if not question and nlu.faq is None and self.understood(nlu) and nlu.intent not in (
                nlu_types.OTHER, nlu_types.UNKNOWN):
            # a greeting, a booking request, a name: nothing to look up
            return False
        knowledge = self.knowledge()
        entry = knowledge.get(nlu.faq) if nlu.faq is not None else None
        if entry is None:
            match = knowledge.find(text)
            entry = match.entry if match else None
        if entry is None:
            if question and (not self.understood(nlu) or nlu.intent in (nlu_types.OTHER, nlu_types.UNKNOWN)):
                self.not_understood()
                return True
            return False
        return self.answer(entry)

    def answer(self, entry) -> bool:
        self.leave_offer()
        self.say(entry.answer)
        self.actions.append(KnowledgeAnswered(entry.key))
        if self.state in RESUMABLE_STATES:
            self.prompt()
        return True

    @staticmethod
    def understood(nlu) -> bool:
        return nlu.confidence >= CONFIDENCE_FLOOR and nlu.intent not in (nlu_types.UNKNOWN,)

    def actionable(self, nlu) -> bool:
        return self.understood(nlu) and nlu.intent not in (nlu_types.ESCALATE, nlu_types.GREETING, nlu_types.OTHER)

    # --- output ------------------------------------------------------------------------------------

    def say(self, body):
        self.messages.append(Text(body))

    def show(self, message):
        """Send a choice and remember its options, so that a typed number or title can pick one."""
        self.messages.append(message)
        self.ctx["options"] = [{"id": o.id, "title": o.title} for o in message.options]

    def options(self):
        stored = self.ctx.get("options") or []
        return tuple(Option(str(o["id"]), str(o["title"])) for o in stored
                     if isinstance(o, dict) and o.get("id") and o.get("title"))

    def greeting_text(self):
        try:
            greeting = str(self.services.greeting(self.language()) or "").strip()
        except Exception:  # pylint: disable=broad-except
            _logger.exception("The greeting could not be read.")
            greeting = ""
        return greeting or self._("Hello! How can I help you today?")

    # --- strikes and escalation ----------------------------------------------------------------------

    def not_understood(self):
        text = (self.event.text or "").strip()
        question = bool(text) and looks_like_question(text)
        if question:
            self.actions.append(Unanswered(text, self.language()))
        if self.strike():
            return
        if question:
            self.step.on_unanswered(self)
        else:
            self.step.on_not_understood(self)

    def strike(self):
        """Count a message not understood; True when that was the third in a row and the team took over."""
        self.struck = True
        self.ctx["strikes"] = as_count(self.ctx.get("strikes")) or 0
        self.ctx["strikes"] += 1
        if self.ctx["strikes"] >= STRIKES_BEFORE_ESCALATION:
            self.escalate(REASON_REPEATED_FAILURES, asked=False)
            return True
        return False

    def offer_escalation(self, reason, body=None, pending=None):
        """Offer the team; ``pending`` is a request to answer if the guest carries on with the assistant."""
        if self.state != ESCALATION_OFFER:
            self.ctx["resume_state"] = self.state
        self.ctx["escalation_reason"] = reason
        if pending:
            self.ctx["pending_text"] = pending
        else:
            self.ctx.pop("pending_text", None)
        self.state = ESCALATION_OFFER
        self.show(Buttons(body or self._("Would you like to talk to our team, or continue with the assistant?"),
                          self.escalation_options()))

    def escalation_options(self):
        return (Option(REPLY_ESCALATE, self._("Talk to our team")),
                Option(REPLY_CONTINUE, self._("Keep the assistant")))

    def leave_offer(self):
        if self.state == ESCALATION_OFFER:
            resume = self.ctx.get("resume_state")
            self.state = resume if resume in RESUMABLE_STATES else MENU
            for key in ("resume_state", "pending_text", "escalation_reason", "options"):
                self.ctx.pop(key, None)

    def resume(self):
        pending = self.ctx.get("pending_text")
        self.leave_offer()
        if pending:
            self.on_text(pending, after_offer=True)
        else:
            self.prompt()

    def escalate_on_request(self):
        self.escalate(self.ctx.get("escalation_reason") or REASON_GUEST_REQUEST, asked=True)

    def escalate(self, reason, asked):
        self.actions.append(Escalate(reason, asked))
        for key in ("options", "resume_state", "pending_text", "escalation_reason", "strikes"):
            self.ctx.pop(key, None)
        self.state = ESCALATED
        if asked:
            self.say(self._("Connecting you with our team…"))
        else:
            self.say(self._("Sorry, I'm having trouble understanding. Connecting you with our team…"))
