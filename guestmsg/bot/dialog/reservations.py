"""The guest's upcoming reservations, listed on request."""

from guestmsg.bot.dialog import flow
from guestmsg.bot.dialog.limits import MAX_LISTED_RESERVATIONS
from guestmsg.bot.dialog.types import START
from guestmsg.bot.dialog.validators import as_date

_CANCELLED_STATES = ("cancel", "cancelled", "canceled")


def show_upcoming(turn):
    """End any flow and list the reservations not yet over and not cancelled, soonest first."""
    reservations = turn.services.list_reservations(turn.event.guest_key, turn.event.guest_phone) or []
    upcoming = []
    for reservation in reservations:
        check_in, check_out = as_date(reservation.check_in), as_date(reservation.check_out)
        if not check_in or not check_out or check_out < turn.today:
            continue
        if str(reservation.state or "").lower() in _CANCELLED_STATES:
            continue
        upcoming.append((check_in, check_out, reservation))
    upcoming.sort(key=lambda item: (item[0], str(item[2].reference)))
    flow.end(turn, START)
    if not upcoming:
        turn.say(turn._("I couldn't find any upcoming reservations for you. To book a stay, just tell me "
                        "your dates."))
        return
    lines = [turn._("Your upcoming reservations:")]
    for check_in, check_out, reservation in upcoming[:MAX_LISTED_RESERVATIONS]:
        lines.append(turn._("%(reference)s: %(room)s, %(check_in)s to %(check_out)s",
                            reference=reservation.reference, room=reservation.room_name,
                            check_in=check_in.isoformat(), check_out=check_out.isoformat()))
    if len(upcoming) > MAX_LISTED_RESERVATIONS:
        lines.append(turn._("…and %(count)s more.", count=len(upcoming) - MAX_LISTED_RESERVATIONS))
    turn.say("\n".join(lines))
