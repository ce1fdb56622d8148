"""What a step declares, and what every step of the booking flow shares."""

from guestmsg.bot.dialog import flow, stay
from guestmsg.bot.dialog.limits import CONFIDENCE_FLOOR
from guestmsg.bot.dialog.reservations import show_upcoming
from guestmsg.bot.dialog.types import REASON_GUEST_REQUEST, REASON_LOW_CONFIDENCE, REASON_UNANSWERED_QUESTION
from guestmsg.bot.nlu import types as nlu_types


class Step:
    """One state of the dialog: its question, what it expects and how it takes the answers.

    Every hook gets the turn, which holds the context and the output; a hook may move the turn to another
    state and prompt there.
    """

    state: str
    expects: str | None = None  # the hint given to the NLU
    affirmative_reply: str | None = None  # the option a typed plain yes picks

    def expecting(self, turn) -> str | None:
        return self.expects

    def incomplete(self, turn) -> bool:
        """When the context lacks what this step shows (a context from elsewhere or damaged), go to the step
        that gathers it instead, and say True."""
        return False

    def prompt(self, turn):
        """Ask this step's question."""
        raise NotImplementedError

    def read_strict(self, turn, text: str):
        """An NluResult for text in a format this step reads without the NLU, or None."""
        return None

    def on_nlu(self, turn, nlu):
        """A typed message, as the NLU or a strict format read it."""
        raise NotImplementedError

    def on_reply(self, turn, reply_id: str) -> bool:
        """Answer a tapped option this step offers; False when ``reply_id`` is not one of them."""
        return False

    def on_empty(self, turn):
        """A message without text (a sticker, a photo)."""
        turn.not_understood()

    def on_person_request(self, turn, text: str, nlu):
        """The guest asked for a person in words: offer the team, keeping an actionable request for later."""
        turn.offer_escalation(REASON_GUEST_REQUEST, pending=text if turn.actionable(nlu) else None)

    def on_unanswered(self, turn):
        """A question the knowledge base has no answer for: say so and offer the team; declining the offer
        goes back to where the guest was."""
        turn.offer_escalation(REASON_UNANSWERED_QUESTION, body=turn._(
            "I'm sorry, I don't have the answer to that. Would you like to talk to our team, or continue with "
            "the assistant?"))

    def on_not_understood(self, turn):
        """A message not understood, short of the strike that hands over."""
        turn.offer_escalation(REASON_LOW_CONFIDENCE, body=turn._(
            "Sorry, I didn't understand that. Would you like to talk to our team, or continue with the "
            "assistant?"))


class BookingFlowStep(Step):
    """A step between the dates and the confirmation (its state is in ``BOOKING_FLOW_STATES``).

    Cancelling, listing reservations, new dates or party and asking for a change work in all of them;
    anything else is the step's own answer.
    """

    def on_nlu(self, turn, nlu):
        if not _on_flow_request(turn, nlu):
            self.on_answer(turn, nlu)

    def on_answer(self, turn, nlu):
        """By default asking to book again repeats the question; anything else is not understood."""
        if turn.understood(nlu) and nlu.intent in (nlu_types.BOOK, nlu_types.AVAILABILITY):
            turn.prompt()
            return
        turn.not_understood()

    def on_not_understood(self, turn):
        turn.say(turn._("Sorry, I didn't understand that."))
        turn.prompt()


def _on_flow_request(turn, nlu) -> bool:
    intent = nlu.intent
    confident = nlu.confidence >= CONFIDENCE_FLOOR
    if intent == nlu_types.CANCEL and confident:
        flow.cancel(turn)
        return True
    if intent == nlu_types.MY_RESERVATIONS and confident:
        show_upcoming(turn)
        return True
    if stay.slots(nlu):
        turn.ctx.pop("room", None)
        errors = stay.apply(turn, nlu)
        flow.complete_stay(turn, errors)
        return True
    if intent == nlu_types.CHANGE and confident:
        flow.change_dates(turn)
        return True
    return False
