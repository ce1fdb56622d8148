"""The start and the menu: the greeting, the three buttons, and requests made in words."""

from guestmsg.channels.capabilities import Buttons, Option
from guestmsg.bot.dialog import flow, guest_details, stay
from guestmsg.bot.dialog.reservations import PURPOSE_CANCEL, PURPOSE_CHANGE, show_upcoming
from guestmsg.bot.dialog.steps.base import Step
from guestmsg.bot.dialog.types import (
    MENU, REPLY_AVAILABILITY, REPLY_BOOK, REPLY_MY_RESERVATIONS, START,
)
from guestmsg.bot.nlu import types as nlu_types


class MenuStep(Step):
    """Greeted, the three buttons offered."""

    state = MENU
    expects = nlu_types.EXPECT_MENU

    def prompt(self, turn):
        turn.state = MENU
        turn.show(Buttons(turn._("How can I help you?"), menu_options(turn)))

    def on_nlu(self, turn, nlu):
        intent = nlu.intent
        if not turn.understood(nlu):
            self.on_unclear(turn)
            return
        if intent in (nlu_types.BOOK, nlu_types.AVAILABILITY, nlu_types.PROVIDE_DATES):
            flow.start(turn, nlu_types.BOOK if intent == nlu_types.BOOK else nlu_types.AVAILABILITY)
            errors = stay.apply(turn, nlu)
            guest_details.remember(turn.ctx, nlu)
            flow.complete_stay(turn, errors)
        elif intent == nlu_types.MY_RESERVATIONS:
            show_upcoming(turn)
        elif intent in (nlu_types.CANCEL, nlu_types.CHANGE):
            # only lists the guest's reservations: changing one takes a choice and a yes
            show_upcoming(turn, purpose=PURPOSE_CANCEL if intent == nlu_types.CANCEL else PURPOSE_CHANGE)
        else:
            guest_details.remember(turn.ctx, nlu)
            self.on_small_talk(turn)

    def on_reply(self, turn, reply_id):
        if reply_id in (REPLY_BOOK, REPLY_AVAILABILITY):
            flow.start(turn, reply_id)
            flow.complete_stay(turn)
        elif reply_id == REPLY_MY_RESERVATIONS:
            show_upcoming(turn)
        else:
            return False
        return True

    def on_unclear(self, turn):
        turn.not_understood()

    def on_small_talk(self, turn):
        """A greeting or anything else that asks for nothing."""
        turn.prompt()


class StartStep(MenuStep):
    """Nothing said yet, or the last flow ended: what is not a request is answered with the greeting."""

    state = START
    expects = None

    def on_empty(self, turn):
        greet(turn)

    on_unclear = on_small_talk = on_empty


def greet(turn):
    turn.greeted = True
    turn.state = MENU
    turn.show(Buttons(turn.greeting_text(), menu_options(turn)))


def menu_options(turn):
    return (
        Option(REPLY_BOOK, turn._("Book a Stay")),
        Option(REPLY_AVAILABILITY, turn._("Check Availability")),
        Option(REPLY_MY_RESERVATIONS, turn._("My Reservations")),
    )
