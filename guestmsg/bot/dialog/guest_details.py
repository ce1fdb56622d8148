"""The guest's details in the context: first name, last name and email."""

from guestmsg.bot.nlu.vocabulary import valid_email, valid_name

REQUIRED = ("first_name", "last_name", "email")


def read(ctx: dict) -> dict:
    guest = ctx.get("guest")
    return guest if isinstance(guest, dict) else {}


def is_complete(ctx: dict) -> bool:
    guest = read(ctx)
    return all(guest.get(k) for k in REQUIRED)


def store(ctx: dict, first_name=None, last_name=None, email=None, partner_id=None, keep=False) -> bool:
    """Store the valid details; with ``keep``, only where nothing was given yet. True if any was stored."""
    guest = dict(read(ctx))
    stored = False
    for key, value in (("first_name", valid_name(first_name)), ("last_name", valid_name(last_name)),
                       ("email", valid_email(email))):
        if value and not (keep and guest.get(key)):
            guest[key] = value
            stored = True
    if isinstance(partner_id, int) and not isinstance(partner_id, bool):
        guest["partner_id"] = partner_id
    if guest:
        ctx["guest"] = guest
    return stored


def remember(ctx: dict, nlu):
    """Keep whatever valid details a message gave in passing."""
    store(ctx, nlu.first_name, nlu.last_name, nlu.email)
