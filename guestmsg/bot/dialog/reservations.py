"""The guest's upcoming reservations: listed on request, and the one the guest chooses to manage.

Only reservations the hotel services list for this guest are ever shown or managed: the context keeps
them (``ctx["reservations"]``), and a tapped or typed choice must be one of those.
"""

from guestmsg.bot.dialog import flow
from guestmsg.bot.dialog.dates_text import stay_texts, stay_title
from guestmsg.bot.dialog.limits import MAX_LISTED_RESERVATIONS
from guestmsg.bot.dialog.types import (
    MANAGE, MANAGE_CONFIRM, MANAGE_DATES, MANAGE_PICK, REASON_EXISTING_RESERVATION, RESERVATION_REPLY_PREFIX, START,
)
from guestmsg.bot.dialog.validators import as_count, as_date
from guestmsg.channels.capabilities import Option, OptionList

_CANCELLED_STATES = ("cancel", "cancelled", "canceled")
# what the guest asked to do with a reservation, kept until one is chosen
PURPOSE_CHANGE = "change"
PURPOSE_CANCEL = "cancel"


def upcoming(turn) -> list:
    """The reservations not yet over and not cancelled, soonest first, as the services list them."""
    reservations = turn.services.list_reservations(turn.event.guest_key, turn.event.guest_phone) or []
    found = []
    for reservation in reservations:
        check_in, check_out = as_date(reservation.check_in), as_date(reservation.check_out)
        if not check_in or not check_out or check_out < turn.today:
            continue
        if str(reservation.state or "").lower() in _CANCELLED_STATES:
            continue
        found.append((check_in, check_out, reservation))
    found.sort(key=lambda item: (item[0], str(item[2].reference)))
    return found


def show_upcoming(turn, purpose=None):
    """End any flow, list the upcoming reservations, and let the guest choose one to change or cancel.

    With ``purpose`` (the guest asked to change or cancel), a single reservation goes straight to it; and
    when none is found, the team is offered instead.
    """
    found = upcoming(turn)
    flow.end(turn, START)
    if not found:
        if purpose:
            turn.offer_escalation(REASON_EXISTING_RESERVATION, body=turn._(
                "I couldn't find an upcoming reservation made from this chat or this number. Would you like to "
                "talk to our team?"))
        else:
            turn.say(turn._("I couldn't find any upcoming reservations for you. To book a stay, just tell me "
                            "your dates."))
        return
    lines = [turn._("Your upcoming reservations:")]
    for check_in, check_out, reservation in found[:MAX_LISTED_RESERVATIONS]:
        lines.append(describe(turn, reservation.reference, reservation.room_name, check_in, check_out))
    if len(found) > MAX_LISTED_RESERVATIONS:
        lines.append(turn._("…and %(count)s more.", count=len(found) - MAX_LISTED_RESERVATIONS))
    manageable = [store(check_in, check_out, r) for check_in, check_out, r in found[:MAX_LISTED_RESERVATIONS]
                  if r.reservation_id is not None]
    if not manageable:
        turn.say("\n".join(lines))
        return
    turn.ctx["reservations"] = manageable
    if purpose:
        turn.ctx["manage_purpose"] = purpose
    named = mentioned(turn)
    if len(manageable) == 1 or named:
        choose(turn, named or manageable[0], intro="\n".join(lines))
        return
    turn.state = MANAGE_PICK
    turn.show(OptionList("\n".join([*lines, "", turn._("Choose a reservation to change or cancel it.")]),
                         turn._("Reservations"), pick_options(turn)))


def describe(turn, reference, room, check_in, check_out) -> str:
    return turn._("%(reference)s: %(room)s, %(check_in)s to %(check_out)s", reference=reference, room=room,
                  **stay_texts(check_in, check_out, turn.language()))


def store(check_in, check_out, reservation) -> dict:
    return {
        "id": reservation.reservation_id, "reference": str(reservation.reference),
        "room": str(reservation.room_name or ""), "room_id": reservation.room_id,
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(),
        "adults": as_count(reservation.adults) or 1, "children": as_count(reservation.children) or 0,
    }


def listed(ctx) -> list:
    """The reservations last listed to the guest, as stored in the context."""
    stored = ctx.get("reservations")
    if not isinstance(stored, list):
        return []
    return [r for r in stored if isinstance(r, dict) and {"id", "reference", "check_in", "check_out"} <= set(r)
            and as_date(r["check_in"]) and as_date(r["check_out"])]


def pick_options(turn) -> tuple:
    return tuple(
        Option(f"{RESERVATION_REPLY_PREFIX}{r['id']}", r["reference"],
               stay_title(as_date(r["check_in"]), as_date(r["check_out"]), turn.language()))
        for r in listed(turn.ctx))


def chosen(turn, reply_id):
    """The listed reservation ``reply_id`` picks, or None."""
    if not reply_id.startswith(RESERVATION_REPLY_PREFIX):
        return None
    wanted = reply_id[len(RESERVATION_REPLY_PREFIX):]
    return next((r for r in listed(turn.ctx) if str(r["id"]) == wanted), None)


def mentioned(turn):
    """The listed reservation whose reference the guest's message names, or None."""
    text = (turn.event.text or "").casefold()
    named = [r for r in listed(turn.ctx) if r["reference"] and r["reference"].casefold() in text]
    return named[0] if len(named) == 1 else None


def current(ctx):
    """The reservation being managed, as stored in the context, or None."""
    managed = ctx.get("managed")
    if isinstance(managed, dict) and any(str(r["id"]) == str(managed.get("id")) for r in listed(ctx)):
        return managed
    return None


def choose(turn, reservation: dict, intro=None):
    """Manage this reservation: go to what the guest already asked for, or offer the choices."""
    turn.ctx["managed"] = dict(reservation)
    purpose = turn.ctx.pop("manage_purpose", None)
    if intro:
        turn.say(intro)
    if purpose == PURPOSE_CANCEL:
        ask_to_cancel(turn)
    elif purpose == PURPOSE_CHANGE:
        ask_new_dates(turn)
    else:
        turn.state = MANAGE
        turn.prompt()


def ask_to_cancel(turn):
    turn.ctx["managed"]["action"] = PURPOSE_CANCEL
    turn.state = MANAGE_CONFIRM
    turn.prompt()


def ask_new_dates(turn):
    """Collect new dates for the party of the reservation (the stay keys of the context, as a booking does)."""
    managed = turn.ctx["managed"]
    managed["action"] = PURPOSE_CHANGE
    for key in ("check_in", "check_out", "nights", "offers", "rooms_total", "alternatives", "room"):
        turn.ctx.pop(key, None)
    turn.ctx["adults"] = as_count(managed.get("adults")) or 1
    turn.ctx["children"] = as_count(managed.get("children")) or 0
    turn.state = MANAGE_DATES
    turn.prompt()


def end(turn, body=None):
    """Leave the reservation as it is, or as it now is, and forget it."""
    flow.end(turn, START)
    if body:
        turn.say(body)
