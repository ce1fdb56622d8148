"""The stay being booked, as the context holds it: dates and party, validated and described."""

from datetime import timedelta

from guestmsg.bot.dialog.dates_text import date_text, stay_texts
from guestmsg.bot.dialog.limits import MAX_GUESTS, MAX_NIGHTS, MAX_YEARS_AHEAD
from guestmsg.bot.dialog.validators import as_count, as_date


def slots(nlu) -> dict:
    """The stay values an NLU result gives, coerced; those it lacks are left out."""
    values = {
        "check_in": as_date(nlu.check_in), "check_out": as_date(nlu.check_out),
        "nights": as_count(nlu.nights), "adults": as_count(nlu.adults), "children": as_count(nlu.children),
    }
    return {k: v for k, v in values.items() if v is not None}


def dates(ctx: dict):
    """Check-in and check-out; a check-out not after the check-in is None."""
    check_in, check_out = as_date(ctx.get("check_in")), as_date(ctx.get("check_out"))
    if check_in and check_out and check_out <= check_in:
        check_out = None
    return check_in, check_out


def set_dates(ctx: dict, check_in, check_out):
    for key, value in (("check_in", check_in), ("check_out", check_out)):
        if value is None:
            ctx.pop(key, None)
        else:
            ctx[key] = value.isoformat()


def missing(ctx: dict) -> list[str]:
    check_in, check_out = dates(ctx)
    missing_keys = []
    if not check_in:
        missing_keys.append("check_in")
    if not check_out:
        missing_keys.append("check_out")
    if not as_count(ctx.get("adults")):
        missing_keys.append("adults")
    return missing_keys


def is_known(ctx: dict) -> bool:
    check_in, check_out = dates(ctx)
    return bool(check_in and check_out and as_count(ctx.get("adults")))


def apply(turn, nlu) -> list[str]:
    """Merge the stay slots of ``nlu`` into the context and validate; the error sentences are returned
    and what was invalid is forgotten."""
    ctx, today = turn.ctx, turn.today
    given = slots(nlu)
    errors = []
    old_in, old_out = dates(ctx)
    check_in, check_out = old_in, old_out
    nights = given.get("nights")
    if nights is not None and nights < 1:
        errors.append(turn._("A stay is at least one night."))
        nights = None
    elif nights is not None and nights > MAX_NIGHTS:
        errors.append(too_long(turn))
        nights = None
    if "check_in" in given:
        check_in = given["check_in"]
        if "check_out" in given:
            check_out = given["check_out"]
        elif nights is not None:
            check_out = check_in + timedelta(days=nights)
        elif as_count(ctx.get("nights")):
            check_out = check_in + timedelta(days=ctx["nights"])
        elif old_in and old_out:
            check_out = check_in + (old_out - old_in)
    elif "check_out" in given:
        check_out = given["check_out"]
    elif nights is not None:
        if check_in:
            check_out = check_in + timedelta(days=nights)
        else:
            ctx["nights"] = nights
    if check_in and check_out:
        ctx.pop("nights", None)

    if check_in and check_in < today:
        errors.append(turn._("%(date)s has already passed. Please choose a check-in date from today on.",
                             date=date_text(check_in, turn.language())))
        check_in = check_out = None
    elif check_in and check_in > _add_years(today, MAX_YEARS_AHEAD):
        errors.append(turn._("We take bookings up to two years ahead. Please choose an earlier check-in "
                             "date."))
        check_in = check_out = None
    if check_out and check_in and check_out <= check_in:
        errors.append(turn._("The check-out date must be after the check-in date."))
        check_out = None
    elif check_out and check_in and (check_out - check_in).days > MAX_NIGHTS:
        errors.append(too_long(turn))
        check_out = None
    elif check_out and not check_in and check_out <= today:
        errors.append(turn._("%(date)s has already passed. Please choose a later check-out date.",
                             date=date_text(check_out, turn.language())))
        check_out = None
    set_dates(ctx, check_in, check_out)

    adults = given.get("adults", as_count(ctx.get("adults")))
    children = given.get("children", as_count(ctx.get("children")))
    if "adults" in given and adults < 1:
        errors.append(turn._("At least one adult needs to stay. How many guests will there be?"))
        adults = None
    if (adults or 0) + (children or 0) > MAX_GUESTS:
        errors.append(turn._("I can book up to %(count)s guests here. For larger groups, our team will be "
                             "happy to help.", count=MAX_GUESTS))
        adults = children = None
    for key, value in (("adults", adults), ("children", children)):
        if value is None:
            ctx.pop(key, None)
        else:
            ctx[key] = value
    return errors


def too_long(turn) -> str:
    return turn._("I can book stays of up to %(count)s nights here. For longer stays, our team will be "
                  "happy to help.", count=MAX_NIGHTS)


def describe(turn) -> str:
    """One line: the dates, the nights and the party."""
    check_in, check_out = dates(turn.ctx)
    return turn._("%(check_in)s to %(check_out)s, %(nights)s, %(guests)s",
                  **stay_texts(check_in, check_out, turn.language()),
                  nights=nights_label(turn, (check_out - check_in).days), guests=guests_label(turn))


def nights_label(turn, count: int) -> str:
    return turn._("1 night") if count == 1 else turn._("%(count)s nights", count=count)


def guests_label(turn) -> str:
    adults = as_count(turn.ctx.get("adults")) or 0
    children = as_count(turn.ctx.get("children")) or 0
    label = turn._("1 adult") if adults == 1 else turn._("%(count)s adults", count=adults)
    if children:
        label = turn._("%(adults)s and %(children)s", adults=label, children=(
            turn._("1 child") if children == 1 else turn._("%(count)s children", count=children)))
    return label


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
