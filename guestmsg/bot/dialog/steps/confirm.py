"""The summary with Confirm / Change / Cancel, and the booking itself: the only step that books."""

from guestmsg.channels.capabilities import Buttons, Option
from guestmsg.bot.dialog import flow, guest_details, stay
from guestmsg.bot.dialog.dates_text import date_text
from guestmsg.bot.dialog.steps.base import BookingFlowStep
from guestmsg.bot.dialog.steps.rooms import missing_room
from guestmsg.bot.dialog.types import (
    CONFIRM, REASON_GUEST_LIMIT, REPLY_CANCEL, REPLY_CHANGE, REPLY_CONFIRM, START, Booked, BookingRequest,
    GuestInfo, GuestLimitReached, NotifyStaff, RoomUnavailable,
)
from guestmsg.bot.dialog.validators import as_count, as_money
from guestmsg.bot.nlu import types as nlu_types


class ConfirmStep(BookingFlowStep):
    """Books on the Confirm button, its number or title, or a plain yes typed here."""

    state = CONFIRM
    expects = nlu_types.EXPECT_CONFIRM
    affirmative_reply = REPLY_CONFIRM

    def incomplete(self, turn):
        if missing_room(turn):
            return True
        if not ready_to_book(turn.ctx):
            flow.next_guest_detail(turn)
            return True
        return False

    def prompt(self, turn):
        turn.show(Buttons(summary(turn), (
            Option(REPLY_CONFIRM, turn._("Confirm")),
            Option(REPLY_CHANGE, turn._("Change")),
            Option(REPLY_CANCEL, turn._("Cancel")))))

    def on_answer(self, turn, nlu):
        if nlu.intent == nlu_types.PROVIDE_GUEST_INFO and guest_details.store(
                turn.ctx, nlu.first_name, nlu.last_name, nlu.email):
            turn.prompt()
            return
        if turn.strike():
            return
        turn.say(turn._('To book, tap "Confirm" or reply "yes". To change something, tap "Change".'))
        turn.prompt()

    def on_reply(self, turn, reply_id):
        if reply_id == REPLY_CONFIRM:
            book(turn)
        elif reply_id == REPLY_CHANGE:
            flow.change_dates(turn)
        elif reply_id == REPLY_CANCEL:
            flow.cancel(turn)
        else:
            return False
        return True


def summary(turn) -> str:
    room = turn.ctx["room"]
    check_in, check_out = stay.dates(turn.ctx)
    nights = (check_out - check_in).days
    guest = guest_details.read(turn.ctx)
    total = as_money(as_money(room["rate"]) * nights)
    lines = [
        turn._("Please check your booking:"),
        turn._("Room: %(room)s", room=room.get("name") or room["room_id"]),
        turn._("Check-in: %(date)s", date=date_text(check_in, turn.language())),
        turn._("Check-out: %(date)s", date=date_text(check_out, turn.language())),
        turn._("Nights: %(count)s", count=nights),
        turn._("Guests: %(guests)s", guests=stay.guests_label(turn)),
        turn._("Name: %(name)s", name=f"{guest.get('first_name', '')} {guest.get('last_name', '')}".strip()),
        turn._("Email: %(email)s", email=guest.get("email", "")),
        turn._("Total: %(amount)s %(currency)s", amount=total, currency=room.get("currency", "")),
    ]
    return "\n".join(lines)


def ready_to_book(ctx: dict) -> bool:
    check_in, check_out = stay.dates(ctx)
    return bool(ctx.get("room") and check_in and check_out and check_out > check_in
                and as_count(ctx.get("adults")) and guest_details.is_complete(ctx))


def book(turn):
    """Reserve the chosen room; when it was just taken, list what is still free."""
    ctx = turn.ctx
    if not ready_to_book(ctx):
        flow.complete_stay(turn)
        return
    room = ctx["room"]
    check_in, check_out = stay.dates(ctx)
    guest = guest_details.read(ctx)
    request = BookingRequest(
        room_id=room["room_id"], check_in=check_in, check_out=check_out,
        adults=as_count(ctx["adults"]), children=as_count(ctx.get("children")) or 0,
        guest=GuestInfo(guest["first_name"], guest["last_name"], guest["email"], guest.get("partner_id")),
        guest_key=turn.event.guest_key, guest_phone=turn.event.guest_phone,
    )
    try:
        result = turn.services.create_reservation(request)
    except RoomUnavailable:
        turn.say(turn._("Sorry, %(room)s was just booked by someone else. Here is what is still available "
                        "for your dates.", room=room.get("name") or room["room_id"]))
        flow.search_rooms(turn)
        return
    except GuestLimitReached:
        turn.offer_escalation(REASON_GUEST_LIMIT, body=turn._(
            "You have already made several bookings with me today. Our team will be glad to help with "
            "more: would you like to talk to them?"))
        return
    reference = str(result.reference)
    stay_line = stay.describe(turn)
    name = f"{guest['first_name']} {guest['last_name']}"
    turn.actions.append(Booked(reference, result.reservation_id))
    turn.actions.append(NotifyStaff(
        turn._("New booking %(reference)s from the chat", reference=reference),
        turn._("%(name)s (%(email)s) booked %(room)s: %(stay)s. Reference %(reference)s.",
               name=name, email=guest["email"], room=room.get("name") or room["room_id"], stay=stay_line,
               reference=reference),
    ))
    flow.end(turn, START)
    turn.say(turn._("Your booking is confirmed! Your reference is %(reference)s. We look forward to "
                    "welcoming you.", reference=reference))
