"""The free rooms, the choice of one, and the answer when none is free."""

from guestmsg.bot.dialog import flow, stay
from guestmsg.bot.dialog.dates_text import stay_texts, stay_title
from guestmsg.bot.dialog.limits import MAX_LISTED_ROOMS
from guestmsg.bot.dialog.reservations import current
from guestmsg.bot.dialog.steps.base import BookingFlowStep
from guestmsg.bot.dialog.types import (
    ALTERNATIVE_REPLY_PREFIX, NO_ROOMS, REPLY_ESCALATE, REPLY_OTHER_DATES, ROOM_REPLY_PREFIX, ROOMS,
)
from guestmsg.bot.dialog.validators import as_count
from guestmsg.bot.nlu import types as nlu_types
from guestmsg.channels.capabilities import Buttons, Option, OptionList


class RoomsStep(BookingFlowStep):
    """Free rooms listed, waiting for a choice."""

    state = ROOMS
    expects = nlu_types.EXPECT_ROOM

    def incomplete(self, turn):
        if stay.is_known(turn.ctx) and offers(turn.ctx):
            return False
        flow.complete_stay(turn)
        return True

    def prompt(self, turn):
        body = [stay.describe(turn)]
        if turn.ctx.get("purpose") == nlu_types.AVAILABILITY:
            body.append(turn._("Here are the rooms available for your dates. Choose one if you'd like to "
                               "book it."))
        else:
            body.append(turn._("Here are the rooms available for your dates. Choose one to continue."))
        total = as_count(turn.ctx.get("rooms_total")) or 0
        if total > MAX_LISTED_ROOMS:
            body.append(turn._("Showing the %(shown)s lowest prices of %(total)s available rooms.",
                               shown=MAX_LISTED_ROOMS, total=total))
        turn.show(OptionList("\n\n".join(body), turn._("Choose a room"), self.options(turn),
                             section_title=turn._("Rooms")))

    def on_reply(self, turn, reply_id):
        if not reply_id.startswith(ROOM_REPLY_PREFIX) or current(turn.ctx) is not None:
            # while a reservation is being moved, its step answers the room it offered
            return False
        self.select(turn, reply_id[len(ROOM_REPLY_PREFIX):])
        return True

    @staticmethod
    def options(turn):
        options = []
        for offer in offers(turn.ctx):
            title = offer["name"] or turn._("Room %(id)s", id=offer["room_id"])
            image = offer.get("image_url")
            options.append(Option(f"{ROOM_REPLY_PREFIX}{offer['room_id']}", title, turn._(
                "%(rate)s %(currency)s / night", rate=offer["rate"], currency=offer["currency"]),
                image_url=image if isinstance(image, str) and image.startswith("https://") else None))
        return tuple(options)

    @staticmethod
    def select(turn, room_id: str):
        offer = next((o for o in offers(turn.ctx) if str(o["room_id"]) == room_id), None)
        if offer is None:
            turn.say(turn._("That option is no longer available."))
            turn.prompt()
            return
        turn.ctx["room"] = offer
        turn.ctx["purpose"] = nlu_types.BOOK
        flow.next_guest_detail(turn)


class NoRoomsStep(BookingFlowStep):
    """Nothing free for the stay: "Other dates" / "Talk to our team"."""

    state = NO_ROOMS
    expects = nlu_types.EXPECT_DATES

    def incomplete(self, turn):
        if stay.is_known(turn.ctx):
            return False
        flow.complete_stay(turn)
        return True

    def prompt(self, turn):
        check_in, check_out = stay.dates(turn.ctx)
        body = turn._("Sorry, we have no rooms available from %(check_in)s to %(check_out)s for %(guests)s.",
                      **stay_texts(check_in, check_out, turn.language()), guests=stay.guests_label(turn))
        alternatives = flow.stored_alternatives(turn.ctx)
        if alternatives:
            body = "\n\n".join((body, turn._(
                "These are the nearest dates of the same length with rooms free. Choose one, tell me other "
                "dates, or talk to our team.")))
            options = tuple(alternative_option(turn, *pair) for pair in alternatives)
        else:
            options = (Option(REPLY_OTHER_DATES, turn._("Other dates")),)
        # "Talk to our team" is answered, as everywhere, by the escalation offer's step
        turn.show(Buttons(body, (*options, Option(REPLY_ESCALATE, turn._("Talk to our team")))))

    def on_reply(self, turn, reply_id):
        if reply_id == REPLY_OTHER_DATES:
            flow.change_dates(turn)
            return True
        chosen = chosen_alternative(turn, reply_id)
        if chosen is None or current(turn.ctx) is not None:
            return False
        stay.set_dates(turn.ctx, *chosen)
        flow.search_rooms(turn)
        return True


def alternative_option(turn, check_in, check_out) -> Option:
    return Option(f"{ALTERNATIVE_REPLY_PREFIX}{check_in.isoformat()}:{check_out.isoformat()}",
                  stay_title(check_in, check_out, turn.language()))


def chosen_alternative(turn, reply_id):
    """The (check-in, check-out) of an offered alternative stay ``reply_id`` picks, or None."""
    if not reply_id.startswith(ALTERNATIVE_REPLY_PREFIX):
        return None
    for pair in flow.stored_alternatives(turn.ctx):
        if alternative_option(turn, *pair).id == reply_id:
            return pair
    return None


def offers(ctx: dict) -> list[dict]:
    """The rooms last listed, as stored in the context."""
    stored = ctx.get("offers")
    if not isinstance(stored, list):
        return []
    return [o for o in stored if isinstance(o, dict) and {"room_id", "name", "rate", "currency"} <= set(o)]


def missing_room(turn) -> bool:
    """For the steps after the room choice: without a known stay and a chosen room, go back to the stay and
    say True."""
    room = turn.ctx.get("room")
    if stay.is_known(turn.ctx) and isinstance(room, dict) and "room_id" in room and "rate" in room:
        return False
    turn.ctx.pop("room", None)
    flow.complete_stay(turn)
    return True
