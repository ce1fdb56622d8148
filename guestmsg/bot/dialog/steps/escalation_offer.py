"""The offer to talk to the team: "Talk to our team" / "Keep the assistant"."""

from guestmsg.bot.dialog import stay
from guestmsg.bot.dialog.steps.base import Step
from guestmsg.bot.dialog.types import ESCALATION_OFFER, REPLY_CONTINUE, REPLY_ESCALATE
from guestmsg.bot.nlu import types as nlu_types
from guestmsg.channels.capabilities import Buttons


class EscalationOfferStep(Step):
    """A yes or a request for a person hands over; "no" carries on where the guest was; any other request
    leaves the offer and is answered there."""

    state = ESCALATION_OFFER
    expects = nlu_types.EXPECT_ESCALATION
    affirmative_reply = REPLY_ESCALATE

    def prompt(self, turn):
        turn.show(Buttons(turn._("Would you like to talk to our team, or continue with the assistant?"),
                          turn.escalation_options()))

    def on_nlu(self, turn, nlu):
        if not turn.understood(nlu):
            turn.not_understood()
            return
        if nlu.intent == nlu_types.CANCEL and not stay.slots(nlu):
            # "no" to "talk to our team?" means carry on, not abandon the booking
            turn.resume()
            return
        turn.leave_offer()
        turn.dispatch(nlu)

    def on_reply(self, turn, reply_id):
        if reply_id == REPLY_ESCALATE:
            turn.escalate_on_request()
        elif reply_id == REPLY_CONTINUE:
            turn.resume()
        else:
            return False
        return True

    def on_person_request(self, turn, text, nlu):
        turn.escalate_on_request()
