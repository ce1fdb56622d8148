"""Changing the dates of, or cancelling, one of the guest's own reservations.

Nothing changes without the guest's yes on the last step (``ManageConfirmStep``): the button, its
number or title, or a plain yes typed there. The hotel services check again that the reservation is
the guest's, and that the room is free.
"""

from guestmsg.bot.dialog import flow, reservations, stay
from guestmsg.bot.dialog.dates_text import date_text, stay_texts
from guestmsg.bot.dialog.limits import CONFIDENCE_FLOOR
from guestmsg.bot.dialog.reservations import PURPOSE_CANCEL, PURPOSE_CHANGE, current
from guestmsg.bot.dialog.steps.base import Step
from guestmsg.bot.dialog.steps.rooms import RoomsStep, alternative_option, chosen_alternative, offers
from guestmsg.bot.dialog.types import (
    MANAGE, MANAGE_CONFIRM, MANAGE_DATES, MANAGE_PICK, MANAGE_ROOMS, REASON_EXISTING_RESERVATION, REPLY_ESCALATE,
    REPLY_MANAGE_CANCEL, REPLY_MANAGE_CHANGE, REPLY_MANAGE_KEEP, REPLY_MANAGE_NO, REPLY_MANAGE_YES,
    ROOM_REPLY_PREFIX, NotifyStaff, ReservationChanged, RoomUnavailable,
)
from guestmsg.bot.dialog.validators import as_date
from guestmsg.bot.nlu import types as nlu_types
from guestmsg.channels.capabilities import Buttons, Option, OptionList


class ManageStep(Step):
    """Shared by the managing steps: a reservation must be chosen, and "cancel"/"stop" leaves it alone."""

    def incomplete(self, turn):
        if current(turn.ctx) is not None:
            return False
        reservations.show_upcoming(turn)
        return True

    def on_nlu(self, turn, nlu):
        confident = nlu.confidence >= CONFIDENCE_FLOOR
        if confident and nlu.intent == nlu_types.MY_RESERVATIONS:
            reservations.show_upcoming(turn)
        elif confident and nlu.intent in (nlu_types.BOOK, nlu_types.AVAILABILITY) and not stay.slots(nlu):
            flow.start(turn, nlu.intent)
            flow.complete_stay(turn)
        else:
            self.on_answer(turn, nlu)

    def on_answer(self, turn, nlu):
        turn.not_understood()

    def on_not_understood(self, turn):
        turn.say(turn._("Sorry, I didn't understand that."))
        turn.prompt()


class ManagePickStep(ManageStep):
    """Several upcoming reservations listed: which one?"""

    state = MANAGE_PICK
    expects = nlu_types.EXPECT_MENU

    def incomplete(self, turn):
        if reservations.listed(turn.ctx):
            return False
        reservations.show_upcoming(turn)
        return True

    def prompt(self, turn):
        turn.show(OptionList(turn._("Choose a reservation to change or cancel it."), turn._("Reservations"),
                             reservations.pick_options(turn)))

    def on_reply(self, turn, reply_id):
        reservation = reservations.chosen(turn, reply_id)
        if reservation is None:
            return False
        reservations.choose(turn, reservation)
        return True

    def on_answer(self, turn, nlu):
        if nlu.confidence >= CONFIDENCE_FLOOR and nlu.intent in (nlu_types.CANCEL, nlu_types.CHANGE):
            turn.ctx["manage_purpose"] = PURPOSE_CANCEL if nlu.intent == nlu_types.CANCEL else PURPOSE_CHANGE
        named = reservations.mentioned(turn)
        if named:
            reservations.choose(turn, named)
        elif "manage_purpose" in turn.ctx:
            turn.prompt()
        else:
            turn.not_understood()


class ManageChoiceStep(ManageStep):
    """One reservation shown: "Change dates" / "Cancel booking" / "That's all"."""

    state = MANAGE
    expects = nlu_types.EXPECT_MENU

    def prompt(self, turn):
        managed = current(turn.ctx)
        turn.show(Buttons(
            turn._("What would you like to do with %(reference)s?", reference=managed["reference"]),
            (Option(REPLY_MANAGE_CHANGE, turn._("Change dates")), Option(REPLY_MANAGE_CANCEL, turn._("Cancel booking")),
             Option(REPLY_MANAGE_KEEP, turn._("That's all")))))

    def on_reply(self, turn, reply_id):
        if reply_id == REPLY_MANAGE_CHANGE:
            reservations.ask_new_dates(turn)
        elif reply_id == REPLY_MANAGE_CANCEL:
            reservations.ask_to_cancel(turn)
        elif reply_id == REPLY_MANAGE_KEEP:
            reservations.end(turn, turn._("Perfect. If you need anything else, just write to us."))
        else:
            return False
        return True

    def on_answer(self, turn, nlu):
        confident = nlu.confidence >= CONFIDENCE_FLOOR
        if stay.slots(nlu):
            reservations.ask_new_dates(turn)
            ManageDatesStep().on_answer(turn, nlu)
        elif confident and nlu.intent == nlu_types.CANCEL:
            reservations.ask_to_cancel(turn)
        elif confident and nlu.intent == nlu_types.CHANGE:
            reservations.ask_new_dates(turn)
        elif turn.understood(nlu) and nlu.intent in (nlu_types.OTHER, nlu_types.GREETING):
            reservations.end(turn, turn._("Perfect. If you need anything else, just write to us."))
        else:
            turn.not_understood()


class ManageDatesStep(ManageStep):
    """The new dates of the reservation; given only a new check-in, the stay keeps its length."""

    state = MANAGE_DATES
    expects = nlu_types.EXPECT_DATES

    def prompt(self, turn):
        managed = current(turn.ctx)
        alternatives = flow.stored_alternatives(turn.ctx)
        if alternatives:
            turn.show(Buttons(
                turn._("%(room)s is not free from %(check_in)s to %(check_out)s, and no other room for your party "
                       "is either. These are the nearest dates of the same length with a room free. Choose one, "
                       "tell me other dates, or talk to our team.", room=managed.get("room") or managed["reference"],
                       **_new_dates(turn)),
                (*(alternative_option(turn, *pair) for pair in alternatives),
                 Option(REPLY_ESCALATE, turn._("Talk to our team")))))
            return
        turn.say(turn._('What are the new dates for %(reference)s? For example: "March 15 to 18". If you give '
                        'only the arrival, the stay keeps its %(nights)s.',
                        reference=managed["reference"], nights=stay.nights_label(turn, _length(managed))))

    def on_reply(self, turn, reply_id):
        if current(turn.ctx) is None:
            return False
        pair = chosen_alternative(turn, reply_id)
        if pair is None:
            return False
        stay.set_dates(turn.ctx, *pair)
        check_change(turn)
        return True

    def on_answer(self, turn, nlu):
        given = stay.slots(nlu)
        if not given:
            if nlu.intent == nlu_types.CANCEL and nlu.confidence >= CONFIDENCE_FLOOR:
                reservations.end(turn, turn._("No problem, your reservation stays as it is."))
                return
            turn.not_understood()
            return
        turn.ctx.pop("alternatives", None)
        managed = current(turn.ctx)
        if "check_in" in given and "check_out" not in given and "nights" not in given:
            turn.ctx["nights"] = _length(managed)
        for key in ("adults", "children"):
            turn.ctx[key] = managed.get(key) or (1 if key == "adults" else 0)
        errors = stay.apply(turn, nlu)
        for key in ("adults", "children"):
            turn.ctx[key] = managed.get(key) or (1 if key == "adults" else 0)
        for error in dict.fromkeys(errors):
            turn.say(error)
        if stay.missing(turn.ctx):
            turn.prompt()
            return
        check_change(turn)


class ManageRoomsStep(ManageStep):
    """The reservation's room is taken on the new dates: the free ones for its party."""

    state = MANAGE_ROOMS
    expects = nlu_types.EXPECT_ROOM

    def prompt(self, turn):
        managed = current(turn.ctx)
        turn.show(OptionList(
            turn._("%(room)s is not free from %(check_in)s to %(check_out)s, but these rooms are. Choose one to "
                   "move your reservation to it.", room=managed.get("room") or managed["reference"],
                   **_new_dates(turn)),
            turn._("Choose a room"), RoomsStep.options(turn), section_title=turn._("Rooms")))

    def on_reply(self, turn, reply_id):
        if current(turn.ctx) is None or not reply_id.startswith(ROOM_REPLY_PREFIX):
            return False
        room_id = reply_id[len(ROOM_REPLY_PREFIX):]
        offer = next((o for o in offers(turn.ctx) if str(o["room_id"]) == room_id), None)
        if offer is None:
            return False
        turn.ctx["managed"]["new_room_id"] = offer["room_id"]
        turn.ctx["managed"]["new_room"] = offer["name"]
        turn.state = MANAGE_CONFIRM
        turn.prompt()
        return True

    def on_answer(self, turn, nlu):
        if stay.slots(nlu):
            turn.state = MANAGE_DATES
            ManageDatesStep().on_answer(turn, nlu)
            return
        turn.not_understood()


class ManageConfirmStep(ManageStep):
    """The change or the cancellation shown: done only on "Yes"."""

    state = MANAGE_CONFIRM
    expects = nlu_types.EXPECT_CONFIRM
    affirmative_reply = REPLY_MANAGE_YES

    def incomplete(self, turn):
        if super().incomplete(turn):
            return True
        managed = current(turn.ctx)
        if managed.get("action") == PURPOSE_CHANGE and not all(stay.dates(turn.ctx)):
            reservations.ask_new_dates(turn)
            return True
        if managed.get("action") not in (PURPOSE_CHANGE, PURPOSE_CANCEL):
            turn.state = MANAGE
            turn.prompt()
            return True
        return False

    def prompt(self, turn):
        managed = current(turn.ctx)
        if managed["action"] == PURPOSE_CANCEL:
            body = turn._("Cancel %(reservation)s? This cannot be undone.", reservation=reservations.describe(
                turn, managed["reference"], managed.get("room") or "", as_date(managed["check_in"]),
                as_date(managed["check_out"])))
            options = (Option(REPLY_MANAGE_YES, turn._("Yes, cancel it")), Option(REPLY_MANAGE_NO, turn._("No, keep it")))
        else:
            check_in, check_out = stay.dates(turn.ctx)
            body = turn._("Change %(reference)s to %(stay)s?", reference=managed["reference"], stay=_stay(
                turn, managed.get("new_room") or managed.get("room") or "", check_in, check_out))
            options = (Option(REPLY_MANAGE_YES, turn._("Yes, change it")), Option(REPLY_MANAGE_NO, turn._("No, keep it")))
        turn.show(Buttons(body, options))

    def on_reply(self, turn, reply_id):
        if reply_id == REPLY_MANAGE_YES:
            apply_change(turn)
        elif reply_id == REPLY_MANAGE_NO:
            reservations.end(turn, turn._("No problem, your reservation stays as it is."))
        else:
            return False
        return True

    def on_answer(self, turn, nlu):
        if nlu.intent == nlu_types.CANCEL and nlu.confidence >= CONFIDENCE_FLOOR:
            # a "no" here keeps the reservation: only a yes changes anything
            reservations.end(turn, turn._("No problem, your reservation stays as it is."))
            return
        if stay.slots(nlu) and current(turn.ctx).get("action") == PURPOSE_CHANGE:
            turn.state = MANAGE_DATES
            ManageDatesStep().on_answer(turn, nlu)
            return
        if turn.strike():
            return
        turn.say(turn._('To go ahead, tap "Yes" or reply "yes".'))
        turn.prompt()


def check_change(turn):
    """The reservation's own room if it is free on the new dates, else the other free rooms, else the nearest
    free dates of the same length."""
    managed = current(turn.ctx)
    check_in, check_out = stay.dates(turn.ctx)
    for key in ("new_room_id", "new_room"):
        managed.pop(key, None)
    free = _free_rooms(turn, managed, check_in, check_out)
    if any(str(o.room_id) == str(managed.get("room_id")) for o in free):
        turn.state = MANAGE_CONFIRM
        turn.prompt()
        return
    if free:
        turn.ctx["offers"] = [{"room_id": o.room_id, "name": str(o.name or ""), "rate": str(o.nightly_rate),
                               "currency": str(o.currency or "")} for o in free][:10]
        turn.state = MANAGE_ROOMS
        turn.prompt()
        return
    turn.ctx["alternatives"] = flow.nearest_free_stays(
        turn, check_in, check_out, lambda ci, co: _free_rooms(turn, managed, ci, co))
    turn.state = MANAGE_DATES
    if not turn.ctx["alternatives"]:
        turn.ctx.pop("alternatives")
        turn.offer_escalation(REASON_EXISTING_RESERVATION, body=turn._(
            "Sorry, no room for your party is free from %(check_in)s to %(check_out)s, nor on the days around. "
            "Tell me other dates, or would you like to talk to our team?", **_new_dates(turn)))
        return
    turn.prompt()


def apply_change(turn):
    managed = current(turn.ctx)
    services = turn.services
    try:
        if managed["action"] == PURPOSE_CANCEL:
            result = services.cancel_reservation(managed["id"])
            turn.actions.append(ReservationChanged(str(result.reference), managed["id"], cancelled=True))
            turn.actions.append(NotifyStaff(
                turn._("Reservation %(reference)s cancelled from the chat", reference=result.reference),
                turn._("The guest cancelled %(reservation)s in the chat.", reservation=reservations.describe(
                    turn, result.reference, result.room_name, result.check_in, result.check_out))))
            reservations.end(turn, turn._("Your reservation %(reference)s is cancelled. We hope to welcome you "
                                          "another time.", reference=result.reference))
            return
        check_in, check_out = stay.dates(turn.ctx)
        result = services.change_reservation(managed["id"], check_in, check_out, managed.get("new_room_id"))
    except RoomUnavailable:
        turn.say(turn._("Sorry, that room was just taken. Here is what is free now."))
        check_change(turn)
        return
    turn.actions.append(ReservationChanged(str(result.reference), managed["id"], cancelled=False))
    turn.actions.append(NotifyStaff(
        turn._("Reservation %(reference)s changed from the chat", reference=result.reference),
        turn._("The guest moved %(reference)s from %(old)s to %(new)s.", reference=result.reference,
               old=_stay(turn, managed.get("room") or "", as_date(managed["check_in"]), as_date(managed["check_out"])),
               new=_stay(turn, result.room_name, result.check_in, result.check_out))))
    reservations.end(turn, turn._("Done! %(reservation)s.", reservation=reservations.describe(
        turn, result.reference, result.room_name, result.check_in, result.check_out)))


def _stay(turn, room, check_in, check_out) -> str:
    return turn._("%(room)s, %(check_in)s to %(check_out)s, %(nights)s", room=room,
                  **stay_texts(check_in, check_out, turn.language()),
                  nights=stay.nights_label(turn, (check_out - check_in).days))


def _free_rooms(turn, managed, check_in, check_out):
    return list(turn.services.rooms_for_change(managed["id"], check_in, check_out) or ())


def _length(managed) -> int:
    check_in, check_out = as_date(managed.get("check_in")), as_date(managed.get("check_out"))
    return max(1, (check_out - check_in).days) if check_in and check_out else 1


def _new_dates(turn) -> dict:
    check_in, check_out = stay.dates(turn.ctx)
    if check_in and check_out:
        return stay_texts(check_in, check_out, turn.language())
    return {"check_in": date_text(check_in, turn.language()) if check_in else "",
            "check_out": date_text(check_out, turn.language()) if check_out else ""}
