"""Collecting the stay: check-in, check-out and the party."""

from guestmsg.bot.dialog import stay, strict
from guestmsg.bot.dialog.dates_text import date_text
from guestmsg.bot.dialog.steps.base import BookingFlowStep
from guestmsg.bot.dialog.types import DATES
from guestmsg.bot.dialog.validators import as_count
from guestmsg.bot.nlu import types as nlu_types


class DatesStep(BookingFlowStep):
    """Asks for whatever of the stay is still missing."""

    state = DATES

    def expecting(self, turn):
        missing = stay.missing(turn.ctx)
        if "check_in" in missing and "check_out" in missing:
            return nlu_types.EXPECT_DATES
        if "check_in" in missing:
            return nlu_types.EXPECT_CHECK_IN
        if "check_out" in missing:
            return nlu_types.EXPECT_CHECK_OUT
        return nlu_types.EXPECT_GUESTS

    def read_strict(self, turn, text):
        if "adults" in stay.missing(turn.ctx):
            return strict.read_count(text)
        return None

    def prompt(self, turn):
        turn.say(self.question(turn))

    @staticmethod
    def question(turn) -> str:
        missing = stay.missing(turn.ctx)
        check_in, _check_out = stay.dates(turn.ctx)
        nights = as_count(turn.ctx.get("nights"))
        if "check_in" in missing and "check_out" in missing and not nights:
            if "adults" in missing:
                return turn._('When would you like to stay, and for how many guests? For example: "March 15 to '
                              '18 for 2 adults" or "tomorrow for 3 nights".')
            return turn._('What are your check-in and check-out dates? For example: "March 15 to 18" or '
                          '"tomorrow for 3 nights".')
        if "check_in" in missing:
            if "adults" in missing:
                return turn._("What is your check-in date, and how many guests will be staying?")
            return turn._("What is your check-in date?")
        if "check_out" in missing:
            if "adults" in missing:
                return turn._("Check-in on %(date)s. What is your check-out date (or how many nights), and how "
                              "many guests will be staying?", date=date_text(check_in, turn.language()))
            return turn._("Check-in on %(date)s. What is your check-out date, or how many nights will you "
                          "stay?", date=date_text(check_in, turn.language()))
        return turn._("How many guests will be staying?")
