"""Asking for the guest's first name, last name and email, one at a time."""

from guestmsg.bot.dialog import flow, guest_details, strict
from guestmsg.bot.dialog.steps.base import BookingFlowStep
from guestmsg.bot.dialog.steps.rooms import missing_room
from guestmsg.bot.dialog.types import GUEST_EMAIL, GUEST_FIRST_NAME, GUEST_LAST_NAME
from guestmsg.bot.nlu import types as nlu_types


class GuestDetailStep(BookingFlowStep):
    """Asks for one detail, but stores every valid detail a message gives, then asks for the next."""

    def incomplete(self, turn):
        return missing_room(turn)

    def on_answer(self, turn, nlu):
        if guest_details.store(turn.ctx, *self.details(nlu)):
            flow.next_guest_detail(turn)
            return
        self.on_nothing_stored(turn, nlu)

    def details(self, nlu):
        """First name, last name and email, as this step reads the message."""
        return nlu.first_name, nlu.last_name, nlu.email

    def on_nothing_stored(self, turn, nlu):
        turn.not_understood()


class GuestFirstNameStep(GuestDetailStep):
    state = GUEST_FIRST_NAME
    expects = nlu_types.EXPECT_FIRST_NAME

    def prompt(self, turn):
        turn.say(turn._("To complete the booking I need a few details. What is your first name?"))


class GuestLastNameStep(GuestDetailStep):
    state = GUEST_LAST_NAME
    expects = nlu_types.EXPECT_LAST_NAME

    def prompt(self, turn):
        turn.say(turn._("What is your last name?"))

    def details(self, nlu):
        if nlu.first_name and not nlu.last_name and not nlu.email:
            # a lone name given when the last name was asked for is the last name
            return None, nlu.first_name, nlu.email
        return super().details(nlu)


class GuestEmailStep(GuestDetailStep):
    state = GUEST_EMAIL
    expects = nlu_types.EXPECT_EMAIL

    def prompt(self, turn):
        turn.say(turn._("What email address should we send the confirmation to?"))

    def read_strict(self, turn, text):
        return strict.read_email(text)

    def on_nothing_stored(self, turn, nlu):
        if nlu.email or "@" in (turn.event.text or "") or nlu.intent in (
                nlu_types.UNKNOWN, nlu_types.PROVIDE_GUEST_INFO, nlu_types.OTHER):
            if turn.strike():
                return
            turn.say(turn._("That doesn't look like an email address. Please type it like name@example.com."))
            turn.prompt()
            return
        turn.not_understood()
