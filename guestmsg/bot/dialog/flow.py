"""Moves through the booking flow that several steps share: where the conversation goes next."""

from datetime import timedelta
from decimal import Decimal

from guestmsg.bot.dialog import guest_details, stay
from guestmsg.bot.dialog.context import kept
from guestmsg.bot.dialog.limits import ALTERNATIVE_DAYS, MAX_ALTERNATIVES, MAX_LISTED_ROOMS
from guestmsg.bot.dialog.types import (
    CONFIRM, DATES, GUEST_EMAIL, GUEST_FIRST_NAME, GUEST_LAST_NAME, NO_ROOMS, REASON_NO_AVAILABILITY, ROOMS, START,
)
from guestmsg.bot.dialog.validators import as_count, as_date, as_money


def start(turn, purpose: str):
    """A new flow at the dates step; ``purpose`` is the NLU's book or availability intent."""
    _forget_flow(turn.ctx)
    turn.ctx["purpose"] = purpose
    turn.state = DATES


def end(turn, state: str):
    _forget_flow(turn.ctx)
    turn.state = state


def cancel(turn):
    end(turn, START)
    turn.say(turn._("No problem, I've cancelled this booking request. Write to us any time if you need "
                    "anything."))


def change_dates(turn):
    """Back to the dates, keeping the party and the guest's details."""
    for key in ("room", "offers", "rooms_total", "nights", "alternatives"):
        turn.ctx.pop(key, None)
    stay.set_dates(turn.ctx, None, None)
    turn.state = DATES
    turn.prompt()


def complete_stay(turn, errors=()):
    """Say the errors, then ask for what is still missing, or search and show the free rooms."""
    for error in dict.fromkeys(errors):
        turn.say(error)
    if stay.missing(turn.ctx):
        turn.state = DATES
        turn.prompt()
        return
    search_rooms(turn)


def search_rooms(turn):
    """List the rooms free for the stay, cheapest first, or say that none is."""
    ctx = turn.ctx
    check_in, check_out = stay.dates(ctx)
    adults = as_count(ctx.get("adults"))
    children = as_count(ctx.get("children")) or 0
    offers = turn.services.search_availability(check_in, check_out, adults, children) or []
    fitting = []
    seen = set()
    for offer in offers:
        capacity = as_count(getattr(offer, "capacity", None))
        if (capacity is not None and capacity < adults + children) or str(offer.room_id) in seen:
            continue
        seen.add(str(offer.room_id))
        fitting.append({
            "room_id": offer.room_id,
            "name": str(offer.name or "").strip(),
            "rate": str(as_money(offer.nightly_rate)),
            "currency": str(offer.currency or ""),
            "capacity": capacity,
            "image_url": str(getattr(offer, "image_url", None) or "")[:2048] or None,
        })
    fitting.sort(key=lambda o: (Decimal(o["rate"]), o["name"], str(o["room_id"])))
    ctx.pop("room", None)
    ctx.pop("alternatives", None)
    if not fitting:
        ctx.pop("offers", None)
        ctx.pop("rooms_total", None)
        turn.state = NO_ROOMS
        ctx["escalation_reason"] = REASON_NO_AVAILABILITY
        ctx["alternatives"] = nearest_free_stays(turn, check_in, check_out, lambda ci, co: [
            o for o in turn.services.search_availability(ci, co, adults, children) or ()
            if (as_count(getattr(o, "capacity", None)) or adults + children) >= adults + children])
    else:
        ctx["offers"] = fitting[:MAX_LISTED_ROOMS]
        ctx["rooms_total"] = len(fitting)
        turn.state = ROOMS
        ctx.pop("escalation_reason", None)
    turn.prompt()


def next_guest_detail(turn):
    """Ask for the next missing guest detail, or show the summary; the guest is looked up once by phone."""
    ctx = turn.ctx
    if not guest_details.is_complete(ctx) and not ctx.get("guest_looked_up"):
        ctx["guest_looked_up"] = True
        known = turn.services.find_guest(turn.event.guest_phone)
        if known is not None:
            guest_details.store(ctx, known.first_name, known.last_name, known.email, known.partner_id, keep=True)
    guest = guest_details.read(ctx)
    if not guest.get("first_name"):
        turn.state = GUEST_FIRST_NAME
    elif not guest.get("last_name"):
        turn.state = GUEST_LAST_NAME
    elif not guest.get("email"):
        turn.state = GUEST_EMAIL
    else:
        turn.state = CONFIRM
    turn.prompt()


def _forget_flow(ctx):
    lasting = kept(ctx)
    ctx.clear()
    ctx.update(lasting)


def nearest_free_stays(turn, check_in, check_out, free_rooms) -> list:
    """Up to ``MAX_ALTERNATIVES`` stays as long as the one asked that have a room free, nearest first: the
    first one earlier (from today on) and the first one later, within ``ALTERNATIVE_DAYS`` days.

    ``free_rooms(check_in, check_out)`` lists the rooms free for the party; stored as ISO date pairs.
    """
    length = check_out - check_in
    found = {}
    for offset in range(1, ALTERNATIVE_DAYS + 1):
        for direction in (-1, 1):
            if direction in found:
                continue
            start = check_in + timedelta(days=direction * offset)
            if start < turn.today:
                continue
            if free_rooms(start, start + length):
                found[direction] = [start.isoformat(), (start + length).isoformat()]
        if len(found) == 2:
            break
    stays = sorted(found.values(), key=lambda pair: (abs((as_date(pair[0]) - check_in).days), pair[0]))
    return stays[:MAX_ALTERNATIVES]


def stored_alternatives(ctx) -> list:
    """The nearest free stays last offered, as (check-in, check-out) dates."""
    stays = []
    for pair in ctx.get("alternatives") or ():
        if isinstance(pair, list) and len(pair) == 2:
            check_in, check_out = as_date(pair[0]), as_date(pair[1])
            if check_in and check_out and check_out > check_in:
                stays.append((check_in, check_out))
    return stays
