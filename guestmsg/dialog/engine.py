"""The booking bot as a pure state machine.

``Engine.step(state, context, event)`` returns the next state, the next
context, the messages to send (capabilities.Text / Buttons / OptionList) and
the actions for the addon (Escalate, Booked, NotifyStaff). The hotel is reached
only through ``HotelServices``; the context stays JSON-serialisable.

Guest text goes through the NLU, but the NLU only fills slots: the engine
validates every value, books only on the confirmation step (the Confirm
button, its number or title, or a plain yes typed there), and answers tapped
buttons, numbers picking an offered option and strict formats (YYYY-MM-DD, a
bare party size, a bare email address) without calling the NLU.
"""

import copy
import logging
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from guestmsg.capabilities import Buttons, Option, OptionList, Text, resolve_reply
from guestmsg.dialog import types as D
from guestmsg.nlu import types as N
from guestmsg.nlu.offline import fold, find_escalation_keyword

_logger = logging.getLogger(__name__)

MAX_NIGHTS = 30
MAX_GUESTS = 20
MAX_YEARS_AHEAD = 2
MAX_LISTED_ROOMS = 10
MAX_LISTED_RESERVATIONS = 10
STRIKES_BEFORE_ESCALATION = 3
CONFIDENCE_FLOOR = 0.5

_CANCELLED_STATES = ("cancel", "cancelled", "canceled")


def default_translate(msgid: str, **params) -> str:
    """No translation; ``%(name)s`` placeholders filled as Odoo's ``_()`` does."""
    return msgid % params if params else msgid


# --- strict formats ---------------------------------------------------------------------------

_ISO = r"(\d{4}-\d{2}-\d{2})"
_STRICT_DATES_RE = re.compile(
    rf"{_ISO}(?:\s*(?:to|-|–|—|->|→|until|till|al|a|au|bis|ate|até|,|/)?\s*{_ISO})?", re.IGNORECASE)
_STRICT_COUNT_RE = re.compile(r"\d{1,3}")
_INVALID_DATE = object()
EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
_NAME_RE = re.compile(r"[^\W\d_]+(?:(?:[ '\-]|\. ?)[^\W\d_]+)*\.?")

# A typed yes only books when the whole message is made of these words.
_AFFIRMATIVE_WORDS = frozenset("""
    yes yeah yep yup yea sure ok okay oki okey k confirm confirmed confirming correct right perfect great
    absolutely definitely go ahead do it book that's fine good sounds
    si sip vale claro confirmo confirmar confirmado confirmada correcto perfecto adelante dale venga acuerdo
    oui d'accord parfait bien sur je confirme
    ja jawohl genau klar bestatigen bestatige passt
    sim certo confirmar perfeito isso pode ser com certeza
    """.split())
_AFFIRMATIVE_FILLER = frozenset("""
    please pls thanks thank you it i the booking reservation de por favor gracias s'il vous plait merci bitte
    danke obrigado obrigada lo la eu all is that all's
    """.split())


def is_affirmative(text: str) -> bool:
    """Whether ``text`` is nothing but a yes ("yes", "Yes please!", "sí, confirmo", "👍")."""
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", fold(text or ""))
    if not words or len(words) > 8:
        return False
    if not any(w in _AFFIRMATIVE_WORDS for w in words):
        return False
    return all(w in _AFFIRMATIVE_WORDS or w in _AFFIRMATIVE_FILLER for w in words)


def valid_email(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().strip(".,;:<>()[]\"'")
    if len(value) > 254 or not EMAIL_RE.fullmatch(value):
        return None
    local, _, domain = value.rpartition("@")
    if len(local) > 64:
        return None
    return f"{local}@{domain.lower()}"


def valid_name(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split()).strip(" ,;:")
    if not value or len(value) > 60 or not _NAME_RE.fullmatch(value):
        return None
    if value.islower() or value.isupper():
        value = value.title()
    return value


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_count(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer():
        return _as_count(int(value))
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _money(value) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return Decimal("0.00")


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Engine:
    """``Engine(services, nlu, translate=None)``; ``translate(msgid, **params)`` defaults to
    :func:`default_translate`."""

    def __init__(self, services, nlu, translate=None):
        self.services = services
        self.nlu = nlu
        self.translate = translate or default_translate

    @staticmethod
    def reset(context: dict | None = None) -> D.StepResult:
        """The initial state; only the guest's language (and details already given) survive."""
        return D.StepResult(D.INITIAL_STATE, _kept(context or {}), [], [])

    @staticmethod
    def welcome_back(context: dict | None = None) -> D.StepResult:
        """After a person hands the guest back: the initial state, and the next reply opens with the greeting."""
        return D.StepResult(D.INITIAL_STATE, {**_kept(context or {}), GREET_NEXT: True}, [], [])

    def step(self, state: str, context: dict, event: D.InboundEvent) -> D.StepResult:
        return _Turn(self, state, context, event).run()


GREET_NEXT = "greet_next"


def _kept(context):
    kept = {}
    for key in ("lang", "guest", "guest_looked_up"):
        if key in context:
            kept[key] = copy.deepcopy(context[key])
    return kept


class _Turn:
    """One step: the mutable state, context and output of a single inbound event."""

    def __init__(self, engine, state, context, event):
        self.engine = engine
        self.services = engine.services
        self._ = engine.translate
        self.state = state if state in D.STATES else D.INITIAL_STATE
        self.ctx = copy.deepcopy(context) if isinstance(context, dict) else {}
        self.event = event
        self.today = event.now.date()
        self.messages = []
        self.actions = []
        self.struck = False
        self.greeted = False
        self.greet_next = bool(self.ctx.pop(GREET_NEXT, False))
        if self.state == D.ESCALATED:
            self.state, self.ctx = D.START, _kept(self.ctx)

    # --- entry -----------------------------------------------------------------------------

    def run(self):
        event = self.event
        if event.reply_id:
            self.on_reply(str(event.reply_id))
        else:
            text = (event.text or "").strip()
            if not text:
                self.on_nothing()
            else:
                self.on_text(text)
        if not self.struck:
            self.ctx.pop("strikes", None)
        if self.greet_next and not self.greeted:
            # the guest asked for something straight away: greet, then answer it
            self.messages.insert(0, Text(self.greeting_text()))
        return D.StepResult(self.state, self.ctx, self.messages, self.actions)

    def on_text(self, text, after_offer=False):
        option = resolve_reply(text, self.options())
        if option is not None:
            self.on_reply(option.id)
            return
        if self.state == D.CONFIRM and is_affirmative(text):
            self.on_reply(D.REPLY_CONFIRM)
            return
        if self.state == D.ESCALATION_OFFER and is_affirmative(text):
            self.on_reply(D.REPLY_ESCALATE)
            return
        strict = self.strict(text)
        if strict is _INVALID_DATE:
            self.say(self._("%(text)s is not a valid date.", text=text))
            self.prompt()
            return
        if strict is not None:
            self.leave_offer()
            self.dispatch(strict)
            return
        try:
            nlu = self.understand(text)
        except D.GuestLimitReached:
            self.offer_escalation(D.REASON_GUEST_LIMIT, body=self._(
                "You have sent me a lot of messages in a short time, so I will pause here. Our team will be "
                "glad to help: would you like to talk to them?"))
            return
        wants_person = find_escalation_keyword(text) is not None or (
            nlu.intent == N.ESCALATE and nlu.confidence >= CONFIDENCE_FLOOR)
        if self.state == D.ESCALATION_OFFER:
            if wants_person:
                self.escalate(self.ctx.get("escalation_reason") or D.REASON_GUEST_REQUEST, asked=True)
                return
            if not self.understood(nlu):
                self.not_understood()
                return
            if nlu.intent == N.CANCEL and not self.stay_slots(nlu):
                # "no" to "talk to our team?" means carry on, not abandon the booking
                self.resume()
                return
            self.leave_offer()
        elif wants_person and not after_offer:
            self.offer_escalation(D.REASON_GUEST_REQUEST, pending=text if self.actionable(nlu) else None)
            return
        self.dispatch(nlu)

    def on_nothing(self):
        """A message without text (a sticker, a photo): greeted at first, otherwise not understood."""
        if self.state == D.START:
            self.greet()
        else:
            self.not_understood()

    # --- NLU -----------------------------------------------------------------------------------

    def expecting(self):
        state = self.state
        if state == D.DATES:
            missing = self.missing()
            if "check_in" in missing and "check_out" in missing:
                return N.EXPECT_DATES
            if "check_in" in missing:
                return N.EXPECT_CHECK_IN
            if "check_out" in missing:
                return N.EXPECT_CHECK_OUT
            return N.EXPECT_GUESTS
        return {
            D.START: None, D.MENU: N.EXPECT_MENU, D.ROOMS: N.EXPECT_ROOM, D.NO_ROOMS: N.EXPECT_DATES,
            D.GUEST_FIRST_NAME: N.EXPECT_FIRST_NAME, D.GUEST_LAST_NAME: N.EXPECT_LAST_NAME,
            D.GUEST_EMAIL: N.EXPECT_EMAIL, D.CONFIRM: N.EXPECT_CONFIRM, D.ESCALATION_OFFER: N.EXPECT_ESCALATION,
        }.get(state)

    def understand(self, text):
        try:
            result = self.engine.nlu.understand(text, self.event.now, self.expecting())
        except D.GuestLimitReached:
            raise
        except Exception:  # pylint: disable=broad-except
            _logger.exception("The NLU failed; the message is treated as not understood.")
            return N.NluResult()
        if not isinstance(result, N.NluResult):
            return N.NluResult()
        language = result.language
        if isinstance(language, str) and re.fullmatch(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?", language):
            self.ctx["lang"] = language
        return result

    def strict(self, text):
        """An NluResult for text in a strict format, read without the NLU; None otherwise."""
        match = _STRICT_DATES_RE.fullmatch(text)
        if match:
            first, second = match.group(1), match.group(2)
            result = N.NluResult(intent=N.PROVIDE_DATES, confidence=1.0, source="strict")
            try:
                first_date = date.fromisoformat(first)
                second_date = date.fromisoformat(second) if second else None
            except ValueError:
                return _INVALID_DATE
            if second_date is None and self.state == D.DATES and self.expecting() == N.EXPECT_CHECK_OUT:
                result.check_out = first_date
            else:
                result.check_in, result.check_out = first_date, second_date
            return result
        if self.state == D.DATES and "adults" in self.missing() and _STRICT_COUNT_RE.fullmatch(text):
            return N.NluResult(intent=N.PROVIDE_DATES, confidence=1.0, adults=int(text), source="strict")
        if self.state == D.GUEST_EMAIL and valid_email(text) and " " not in text:
            return N.NluResult(intent=N.PROVIDE_GUEST_INFO, confidence=1.0, email=text, source="strict")
        return None

    @staticmethod
    def understood(nlu):
        return nlu.confidence >= CONFIDENCE_FLOOR and nlu.intent not in (N.UNKNOWN,)

    def actionable(self, nlu):
        return self.understood(nlu) and nlu.intent not in (N.ESCALATE, N.GREETING, N.OTHER)

    # --- dispatch ------------------------------------------------------------------------------

    def dispatch(self, nlu):
        state = self.state
        if state in (D.START, D.MENU):
            self.at_menu(nlu)
        elif state in D.BOOKING_FLOW_STATES:
            if not self.in_flow(nlu):
                {
                    D.DATES: self.at_dates, D.ROOMS: self.at_rooms, D.NO_ROOMS: self.at_rooms,
                    D.GUEST_FIRST_NAME: self.at_guest, D.GUEST_LAST_NAME: self.at_guest,
                    D.GUEST_EMAIL: self.at_guest, D.CONFIRM: self.at_confirm,
                }[state](nlu)
        else:
            self.state = D.MENU
            self.at_menu(nlu)

    def on_reply(self, reply_id):
        offered = {o.id for o in self.options()}
        if reply_id not in offered and reply_id not in (D.REPLY_BOOK, D.REPLY_AVAILABILITY,
                                                        D.REPLY_MY_RESERVATIONS, D.REPLY_ESCALATE):
            self.say(self._("That option is no longer available."))
            self.prompt()
            return
        if reply_id in (D.REPLY_BOOK, D.REPLY_AVAILABILITY):
            self.start_flow(reply_id)
            self.complete_stay()
        elif reply_id == D.REPLY_MY_RESERVATIONS:
            self.my_reservations()
        elif reply_id == D.REPLY_ESCALATE:
            self.escalate(self.ctx.get("escalation_reason") or D.REASON_GUEST_REQUEST, asked=True)
        elif reply_id == D.REPLY_CONTINUE:
            self.resume()
        elif reply_id == D.REPLY_OTHER_DATES:
            self.change(clear_dates=True)
        elif reply_id == D.REPLY_CONFIRM:
            self.book()
        elif reply_id == D.REPLY_CHANGE:
            self.change(clear_dates=True)
        elif reply_id == D.REPLY_CANCEL:
            self.cancel_flow()
        elif reply_id.startswith(D.ROOM_REPLY_PREFIX):
            self.select_room(reply_id[len(D.ROOM_REPLY_PREFIX):])
        else:
            self.prompt()

    # --- start and menu ----------------------------------------------------------------------

    def at_menu(self, nlu):
        intent = nlu.intent
        if not self.understood(nlu):
            if self.state == D.START:
                self.greet()
            else:
                self.not_understood()
            return
        if intent in (N.BOOK, N.AVAILABILITY, N.PROVIDE_DATES):
            self.start_flow(N.BOOK if intent == N.BOOK else N.AVAILABILITY)
            errors = self.apply_stay(nlu)
            self.remember_guest(nlu)
            self.complete_stay(errors)
        elif intent == N.MY_RESERVATIONS:
            self.my_reservations()
        elif intent in (N.CANCEL, N.CHANGE) and nlu.confidence >= 0.7:
            self.offer_escalation(D.REASON_EXISTING_RESERVATION, body=self._(
                "I can't change or cancel an existing reservation here, but our team can. "
                "Would you like to talk to them?"))
        else:
            self.remember_guest(nlu)
            if self.state == D.START:
                self.greet()
            else:
                self.prompt()

    def greeting_text(self):
        try:
            greeting = str(self.services.greeting() or "").strip()
        except Exception:  # pylint: disable=broad-except
            _logger.exception("The greeting could not be read.")
            greeting = ""
        return greeting or self._("Hello! How can I help you today?")

    def greet(self):
        self.greeted = True
        self.state = D.MENU
        self.show(Buttons(self.greeting_text(), self.menu_options()))

    def menu_options(self):
        return (
            Option(D.REPLY_BOOK, self._("Book a Stay")),
            Option(D.REPLY_AVAILABILITY, self._("Check Availability")),
            Option(D.REPLY_MY_RESERVATIONS, self._("My Reservations")),
        )

    def start_flow(self, purpose):
        kept = _kept(self.ctx)
        self.ctx.clear()
        self.ctx.update(kept)
        self.ctx["purpose"] = purpose
        self.state = D.DATES

    def my_reservations(self):
        reservations = self.services.list_reservations(self.event.guest_key, self.event.guest_phone) or []
        upcoming = []
        for reservation in reservations:
            check_in, check_out = _as_date(reservation.check_in), _as_date(reservation.check_out)
            if not check_in or not check_out or check_out < self.today:
                continue
            if str(reservation.state or "").lower() in _CANCELLED_STATES:
                continue
            upcoming.append((check_in, check_out, reservation))
        upcoming.sort(key=lambda item: (item[0], str(item[2].reference)))
        self.end_flow(D.START)
        if not upcoming:
            self.say(self._("I couldn't find any upcoming reservations for you. To book a stay, just tell me "
                            "your dates."))
            return
        lines = [self._("Your upcoming reservations:")]
        for check_in, check_out, reservation in upcoming[:MAX_LISTED_RESERVATIONS]:
            lines.append(self._("%(reference)s: %(room)s, %(check_in)s to %(check_out)s",
                                reference=reservation.reference, room=reservation.room_name,
                                check_in=check_in.isoformat(), check_out=check_out.isoformat()))
        if len(upcoming) > MAX_LISTED_RESERVATIONS:
            lines.append(self._("…and %(count)s more.", count=len(upcoming) - MAX_LISTED_RESERVATIONS))
        self.say("\n".join(lines))

    # --- dates -----------------------------------------------------------------------------------

    def in_flow(self, nlu):
        """What any booking step understands: cancel, my reservations, new dates or party, change."""
        intent = nlu.intent
        confident = nlu.confidence >= CONFIDENCE_FLOOR
        if intent == N.CANCEL and confident:
            self.cancel_flow()
            return True
        if intent == N.MY_RESERVATIONS and confident:
            self.my_reservations()
            return True
        if self.stay_slots(nlu):
            self.ctx.pop("room", None)
            errors = self.apply_stay(nlu)
            self.complete_stay(errors)
            return True
        if intent == N.CHANGE and confident:
            self.change(clear_dates=True)
            return True
        return False

    def at_dates(self, nlu):
        if self.understood(nlu) and nlu.intent in (N.BOOK, N.AVAILABILITY):
            self.prompt()
            return
        self.not_understood()

    @staticmethod
    def stay_slots(nlu):
        values = {
            "check_in": _as_date(nlu.check_in), "check_out": _as_date(nlu.check_out),
            "nights": _as_count(nlu.nights), "adults": _as_count(nlu.adults), "children": _as_count(nlu.children),
        }
        return {k: v for k, v in values.items() if v is not None}

    def stay(self):
        check_in, check_out = _as_date(self.ctx.get("check_in")), _as_date(self.ctx.get("check_out"))
        if check_in and check_out and check_out <= check_in:
            check_out = None
        return check_in, check_out

    def set_stay(self, check_in, check_out):
        for key, value in (("check_in", check_in), ("check_out", check_out)):
            if value is None:
                self.ctx.pop(key, None)
            else:
                self.ctx[key] = value.isoformat()

    def apply_stay(self, nlu):
        """Merge the stay slots of ``nlu`` into the context and validate; the error sentences are returned
        and what was invalid is forgotten."""
        slots = self.stay_slots(nlu)
        errors = []
        old_in, old_out = self.stay()
        check_in, check_out = old_in, old_out
        nights = slots.get("nights")
        if nights is not None and nights < 1:
            errors.append(self._("A stay is at least one night."))
            nights = None
        elif nights is not None and nights > MAX_NIGHTS:
            errors.append(self.too_long())
            nights = None
        if "check_in" in slots:
            check_in = slots["check_in"]
            if "check_out" in slots:
                check_out = slots["check_out"]
            elif nights is not None:
                check_out = check_in + timedelta(days=nights)
            elif _as_count(self.ctx.get("nights")):
                check_out = check_in + timedelta(days=self.ctx["nights"])
            elif old_in and old_out:
                check_out = check_in + (old_out - old_in)
        elif "check_out" in slots:
            check_out = slots["check_out"]
        elif nights is not None:
            if check_in:
                check_out = check_in + timedelta(days=nights)
            else:
                self.ctx["nights"] = nights
        if check_in and check_out:
            self.ctx.pop("nights", None)

        if check_in and check_in < self.today:
            errors.append(self._("%(date)s has already passed. Please choose a check-in date from today on.",
                                 date=check_in.isoformat()))
            check_in = check_out = None
        elif check_in and check_in > _add_years(self.today, MAX_YEARS_AHEAD):
            errors.append(self._("We take bookings up to two years ahead. Please choose an earlier check-in "
                                 "date."))
            check_in = check_out = None
        if check_out and check_in and check_out <= check_in:
            errors.append(self._("The check-out date must be after the check-in date."))
            check_out = None
        elif check_out and check_in and (check_out - check_in).days > MAX_NIGHTS:
            errors.append(self.too_long())
            check_out = None
        elif check_out and not check_in and check_out <= self.today:
            errors.append(self._("%(date)s has already passed. Please choose a later check-out date.",
                                 date=check_out.isoformat()))
            check_out = None
        self.set_stay(check_in, check_out)

        adults = slots.get("adults", _as_count(self.ctx.get("adults")))
        children = slots.get("children", _as_count(self.ctx.get("children")))
        if "adults" in slots and adults < 1:
            errors.append(self._("At least one adult needs to stay. How many guests will there be?"))
            adults = None
        if (adults or 0) + (children or 0) > MAX_GUESTS:
            errors.append(self._("I can book up to %(count)s guests here. For larger groups, our team will be "
                                 "happy to help.", count=MAX_GUESTS))
            adults = children = None
        for key, value in (("adults", adults), ("children", children)):
            if value is None:
                self.ctx.pop(key, None)
            else:
                self.ctx[key] = value
        return errors

    def too_long(self):
        return self._("I can book stays of up to %(count)s nights here. For longer stays, our team will be "
                      "happy to help.", count=MAX_NIGHTS)

    def missing(self):
        check_in, check_out = self.stay()
        missing = []
        if not check_in:
            missing.append("check_in")
        if not check_out:
            missing.append("check_out")
        if not _as_count(self.ctx.get("adults")):
            missing.append("adults")
        return missing

    def complete_stay(self, errors=()):
        """Ask for what is still missing, or search and show the free rooms."""
        for error in dict.fromkeys(errors):
            self.say(error)
        if self.missing():
            self.state = D.DATES
            self.prompt()
            return
        self.search_rooms()

    def dates_question(self):
        missing = self.missing()
        check_in, _check_out = self.stay()
        nights = _as_count(self.ctx.get("nights"))
        if "check_in" in missing and "check_out" in missing and not nights:
            if "adults" in missing:
                return self._('When would you like to stay, and for how many guests? For example: "March 15 to '
                              '18 for 2 adults", "tomorrow for 3 nights" or 2025-03-15 to 2025-03-18.')
            return self._('What are your check-in and check-out dates? For example: "March 15 to 18", '
                          '"tomorrow for 3 nights" or 2025-03-15 to 2025-03-18.')
        if "check_in" in missing:
            if "adults" in missing:
                return self._("What is your check-in date, and how many guests will be staying?")
            return self._("What is your check-in date?")
        if "check_out" in missing:
            if "adults" in missing:
                return self._("Check-in on %(date)s. What is your check-out date (or how many nights), and how "
                              "many guests will be staying?", date=check_in.isoformat())
            return self._("Check-in on %(date)s. What is your check-out date, or how many nights will you "
                          "stay?", date=check_in.isoformat())
        return self._("How many guests will be staying?")

    # --- rooms -----------------------------------------------------------------------------------

    def search_rooms(self):
        check_in, check_out = self.stay()
        adults = _as_count(self.ctx.get("adults"))
        children = _as_count(self.ctx.get("children")) or 0
        offers = self.services.search_availability(check_in, check_out, adults, children) or []
        fitting = []
        seen = set()
        for offer in offers:
            capacity = _as_count(getattr(offer, "capacity", None))
            if (capacity is not None and capacity < adults + children) or str(offer.room_id) in seen:
                continue
            seen.add(str(offer.room_id))
            fitting.append({
                "room_id": offer.room_id,
                "name": str(offer.name or "").strip(),
                "rate": str(_money(offer.nightly_rate)),
                "currency": str(offer.currency or ""),
                "capacity": capacity,
                "image_url": str(getattr(offer, "image_url", None) or "")[:2048] or None,
            })
        fitting.sort(key=lambda o: (Decimal(o["rate"]), o["name"], str(o["room_id"])))
        self.ctx.pop("room", None)
        if not fitting:
            self.ctx.pop("offers", None)
            self.ctx.pop("rooms_total", None)
            self.state = D.NO_ROOMS
            self.ctx["escalation_reason"] = D.REASON_NO_AVAILABILITY
        else:
            self.ctx["offers"] = fitting[:MAX_LISTED_ROOMS]
            self.ctx["rooms_total"] = len(fitting)
            self.state = D.ROOMS
            self.ctx.pop("escalation_reason", None)
        self.prompt()

    def stay_line(self):
        check_in, check_out = self.stay()
        return self._("%(check_in)s to %(check_out)s, %(nights)s, %(guests)s",
                      check_in=check_in.isoformat(), check_out=check_out.isoformat(),
                      nights=self.nights_label((check_out - check_in).days), guests=self.guests_label())

    def nights_label(self, count):
        return self._("1 night") if count == 1 else self._("%(count)s nights", count=count)

    def guests_label(self):
        adults = _as_count(self.ctx.get("adults")) or 0
        children = _as_count(self.ctx.get("children")) or 0
        label = self._("1 adult") if adults == 1 else self._("%(count)s adults", count=adults)
        if children:
            label = self._("%(adults)s and %(children)s", adults=label, children=(
                self._("1 child") if children == 1 else self._("%(count)s children", count=children)))
        return label

    def offers(self):
        offers = self.ctx.get("offers")
        if not isinstance(offers, list):
            return []
        return [o for o in offers if isinstance(o, dict) and {"room_id", "name", "rate", "currency"} <= set(o)]

    def room_options(self):
        options = []
        for offer in self.offers():
            title = offer["name"] or self._("Room %(id)s", id=offer["room_id"])
            image = offer.get("image_url")
            options.append(Option(f"{D.ROOM_REPLY_PREFIX}{offer['room_id']}", title, self._(
                "%(rate)s %(currency)s / night", rate=offer["rate"], currency=offer["currency"]),
                image_url=image if isinstance(image, str) and image.startswith("https://") else None))
        return tuple(options)

    def at_rooms(self, nlu):
        if self.understood(nlu) and nlu.intent in (N.BOOK, N.AVAILABILITY):
            self.prompt()
            return
        self.not_understood()

    def select_room(self, room_id):
        offer = next((o for o in self.offers() if str(o["room_id"]) == room_id), None)
        if offer is None:
            self.say(self._("That option is no longer available."))
            self.prompt()
            return
        self.ctx["room"] = offer
        self.ctx["purpose"] = N.BOOK
        self.guest_step()

    # --- guest -----------------------------------------------------------------------------------

    def guest(self):
        guest = self.ctx.get("guest")
        return guest if isinstance(guest, dict) else {}

    def guest_step(self):
        """Ask for the next missing guest detail, or show the summary."""
        guest = self.guest()
        if not all(guest.get(k) for k in ("first_name", "last_name", "email")) and not self.ctx.get(
                "guest_looked_up"):
            self.ctx["guest_looked_up"] = True
            known = self.services.find_guest(self.event.guest_phone)
            if known is not None:
                self.store_guest(known.first_name, known.last_name, known.email, known.partner_id, keep=True)
                guest = self.guest()
        if not guest.get("first_name"):
            self.state = D.GUEST_FIRST_NAME
        elif not guest.get("last_name"):
            self.state = D.GUEST_LAST_NAME
        elif not guest.get("email"):
            self.state = D.GUEST_EMAIL
        else:
            self.state = D.CONFIRM
        self.prompt()

    def store_guest(self, first_name=None, last_name=None, email=None, partner_id=None, keep=False):
        """Store the valid details; with ``keep``, only where nothing was given yet. True if any was stored."""
        guest = dict(self.guest())
        stored = False
        for key, value in (("first_name", valid_name(first_name)), ("last_name", valid_name(last_name)),
                           ("email", valid_email(email))):
            if value and not (keep and guest.get(key)):
                guest[key] = value
                stored = True
        if isinstance(partner_id, int) and not isinstance(partner_id, bool):
            guest["partner_id"] = partner_id
        if guest:
            self.ctx["guest"] = guest
        return stored

    def remember_guest(self, nlu):
        self.store_guest(nlu.first_name, nlu.last_name, nlu.email)

    def at_guest(self, nlu):
        first_name, last_name = nlu.first_name, nlu.last_name
        if self.state == D.GUEST_LAST_NAME and first_name and not last_name and not nlu.email:
            # a lone name given when the last name was asked for is the last name
            first_name, last_name = None, first_name
        if self.store_guest(first_name, last_name, nlu.email):
            self.guest_step()
            return
        if self.state == D.GUEST_EMAIL and (nlu.email or "@" in (self.event.text or "") or nlu.intent in (
                N.UNKNOWN, N.PROVIDE_GUEST_INFO, N.OTHER)):
            if self.strike():
                return
            self.say(self._("That doesn't look like an email address. Please type it like name@example.com."))
            self.prompt()
            return
        self.not_understood()

    # --- confirmation and booking ---------------------------------------------------------------

    def at_confirm(self, nlu):
        if nlu.intent == N.PROVIDE_GUEST_INFO and self.store_guest(nlu.first_name, nlu.last_name, nlu.email):
            self.prompt()
            return
        if self.strike():
            return
        self.say(self._('To book, tap "Confirm" or reply "yes". To change something, tap "Change".'))
        self.prompt()

    def summary(self):
        room = self.ctx["room"]
        check_in, check_out = self.stay()
        nights = (check_out - check_in).days
        guest = self.guest()
        total = _money(_money(room["rate"]) * nights)
        lines = [
            self._("Please check your booking:"),
            self._("Room: %(room)s", room=room.get("name") or room["room_id"]),
            self._("Check-in: %(date)s", date=check_in.isoformat()),
            self._("Check-out: %(date)s", date=check_out.isoformat()),
            self._("Nights: %(count)s", count=nights),
            self._("Guests: %(guests)s", guests=self.guests_label()),
            self._("Name: %(name)s", name=f"{guest.get('first_name', '')} {guest.get('last_name', '')}".strip()),
            self._("Email: %(email)s", email=guest.get("email", "")),
            self._("Total: %(amount)s %(currency)s", amount=total, currency=room.get("currency", "")),
        ]
        return "\n".join(lines)

    def ready_to_book(self):
        check_in, check_out = self.stay()
        guest = self.guest()
        return bool(self.ctx.get("room") and check_in and check_out and check_out > check_in
                    and _as_count(self.ctx.get("adults"))
                    and all(guest.get(k) for k in ("first_name", "last_name", "email")))

    def book(self):
        if not self.ready_to_book():
            self.complete_stay()
            return
        room = self.ctx["room"]
        check_in, check_out = self.stay()
        guest = self.guest()
        request = D.BookingRequest(
            room_id=room["room_id"], check_in=check_in, check_out=check_out,
            adults=_as_count(self.ctx["adults"]), children=_as_count(self.ctx.get("children")) or 0,
            guest=D.GuestInfo(guest["first_name"], guest["last_name"], guest["email"], guest.get("partner_id")),
            guest_key=self.event.guest_key, guest_phone=self.event.guest_phone,
        )
        try:
            result = self.services.create_reservation(request)
        except D.RoomUnavailable:
            self.say(self._("Sorry, %(room)s was just booked by someone else. Here is what is still available "
                            "for your dates.", room=room.get("name") or room["room_id"]))
            self.search_rooms()
            return
        except D.GuestLimitReached:
            self.offer_escalation(D.REASON_GUEST_LIMIT, body=self._(
                "You have already made several bookings with me today. Our team will be glad to help with "
                "more: would you like to talk to them?"))
            return
        reference = str(result.reference)
        stay_line = self.stay_line()
        name = f"{guest['first_name']} {guest['last_name']}"
        self.actions.append(D.Booked(reference, result.reservation_id))
        self.actions.append(D.NotifyStaff(
            self._("New booking %(reference)s from the chat", reference=reference),
            self._("%(name)s (%(email)s) booked %(room)s: %(stay)s. Reference %(reference)s.",
                   name=name, email=guest["email"], room=room.get("name") or room["room_id"], stay=stay_line,
                   reference=reference),
        ))
        self.end_flow(D.START)
        self.say(self._("Your booking is confirmed! Your reference is %(reference)s. We look forward to "
                        "welcoming you.", reference=reference))

    def change(self, clear_dates):
        """Back to the dates, keeping the party and the guest's details."""
        self.ctx.pop("room", None)
        self.ctx.pop("offers", None)
        self.ctx.pop("rooms_total", None)
        if clear_dates:
            self.set_stay(None, None)
            self.ctx.pop("nights", None)
        self.state = D.DATES
        self.prompt()

    def cancel_flow(self):
        self.end_flow(D.START)
        self.say(self._("No problem, I've cancelled this booking request. Write to us any time if you need "
                        "anything."))

    def end_flow(self, state):
        kept = _kept(self.ctx)
        self.ctx.clear()
        self.ctx.update(kept)
        self.state = state

    # --- escalation ------------------------------------------------------------------------------

    def offer_escalation(self, reason, body=None, pending=None):
        if self.state != D.ESCALATION_OFFER:
            self.ctx["resume_state"] = self.state
        self.ctx["escalation_reason"] = reason
        if pending:
            self.ctx["pending_text"] = pending
        else:
            self.ctx.pop("pending_text", None)
        self.state = D.ESCALATION_OFFER
        self.show(Buttons(body or self._("Would you like to talk to our team, or continue with the assistant?"),
                          self.escalation_options()))

    def escalation_options(self):
        return (Option(D.REPLY_ESCALATE, self._("Talk to our team")),
                Option(D.REPLY_CONTINUE, self._("Continue with assistant")))

    def leave_offer(self):
        if self.state == D.ESCALATION_OFFER:
            resume = self.ctx.get("resume_state")
            self.state = resume if resume in D.BOOKING_FLOW_STATES else D.MENU
            for key in ("resume_state", "pending_text", "escalation_reason", "options"):
                self.ctx.pop(key, None)

    def resume(self):
        pending = self.ctx.get("pending_text")
        self.leave_offer()
        if pending:
            self.on_text(pending, after_offer=True)
        else:
            self.prompt()

    def escalate(self, reason, asked):
        self.actions.append(D.Escalate(reason, asked))
        for key in ("options", "resume_state", "pending_text", "escalation_reason", "strikes"):
            self.ctx.pop(key, None)
        self.state = D.ESCALATED
        if asked:
            self.say(self._("Connecting you with our team…"))
        else:
            self.say(self._("Sorry, I'm having trouble understanding. Connecting you with our team…"))

    def strike(self):
        """Count a message not understood; True when that was the third in a row and the team took over."""
        self.struck = True
        self.ctx["strikes"] = _as_count(self.ctx.get("strikes")) or 0
        self.ctx["strikes"] += 1
        if self.ctx["strikes"] >= STRIKES_BEFORE_ESCALATION:
            self.escalate(D.REASON_REPEATED_FAILURES, asked=False)
            return True
        return False

    def not_understood(self):
        if self.strike():
            return
        if self.state in (D.START, D.MENU, D.ESCALATION_OFFER):
            self.offer_escalation(D.REASON_LOW_CONFIDENCE, body=self._(
                "Sorry, I didn't understand that. Would you like to talk to our team, or continue with the "
                "assistant?"))
            return
        self.say(self._("Sorry, I didn't understand that."))
        self.prompt()

    def incomplete_for(self, state):
        """When the context lacks what ``state`` shows (a context from elsewhere or damaged), go to the step
        that gathers it instead, and say True."""
        check_in, check_out = self.stay()
        stay_known = bool(check_in and check_out and _as_count(self.ctx.get("adults")))
        if state in (D.ROOMS, D.NO_ROOMS) and not (stay_known and (state == D.NO_ROOMS or self.offers())):
            self.complete_stay()
            return True
        if state in (D.GUEST_FIRST_NAME, D.GUEST_LAST_NAME, D.GUEST_EMAIL, D.CONFIRM):
            room = self.ctx.get("room")
            if not (stay_known and isinstance(room, dict) and "room_id" in room and "rate" in room):
                self.ctx.pop("room", None)
                self.complete_stay()
                return True
            if state == D.CONFIRM and not self.ready_to_book():
                self.guest_step()
                return True
        return False

    # --- output ------------------------------------------------------------------------------------

    def say(self, body):
        self.messages.append(Text(body))

    def show(self, message):
        """Send a choice and remember its options, so that a typed number or title can pick one."""
        self.messages.append(message)
        self.ctx["options"] = [{"id": o.id, "title": o.title} for o in message.options]

    def options(self):
        stored = self.ctx.get("options") or []
        return tuple(Option(str(o["id"]), str(o["title"])) for o in stored
                     if isinstance(o, dict) and o.get("id") and o.get("title"))

    def prompt(self):
        """The question of the current state, asked again."""
        state = self.state
        self.ctx.pop("options", None)
        if self.incomplete_for(state):
            return
        if state in (D.START, D.MENU):
            self.state = D.MENU
            self.show(Buttons(self._("How can I help you?"), self.menu_options()))
        elif state == D.DATES:
            self.say(self.dates_question())
        elif state == D.ROOMS:
            body = [self.stay_line()]
            if self.ctx.get("purpose") == N.AVAILABILITY:
                body.append(self._("Here are the rooms available for your dates. Choose one if you'd like to "
                                   "book it."))
            else:
                body.append(self._("Here are the rooms available for your dates. Choose one to continue."))
            total = _as_count(self.ctx.get("rooms_total")) or 0
            if total > MAX_LISTED_ROOMS:
                body.append(self._("Showing the %(shown)s lowest prices of %(total)s available rooms.",
                                   shown=MAX_LISTED_ROOMS, total=total))
            self.show(OptionList("\n\n".join(body), self._("Choose a room"), self.room_options(),
                                 section_title=self._("Rooms")))
        elif state == D.NO_ROOMS:
            check_in, check_out = self.stay()
            self.show(Buttons(
                self._("Sorry, we have no rooms available from %(check_in)s to %(check_out)s for %(guests)s.",
                       check_in=check_in.isoformat(), check_out=check_out.isoformat(), guests=self.guests_label()),
                (Option(D.REPLY_OTHER_DATES, self._("Other dates")),
                 Option(D.REPLY_ESCALATE, self._("Talk to our team")))))
        elif state == D.GUEST_FIRST_NAME:
            self.say(self._("To complete the booking I need a few details. What is your first name?"))
        elif state == D.GUEST_LAST_NAME:
            self.say(self._("What is your last name?"))
        elif state == D.GUEST_EMAIL:
            self.say(self._("What email address should we send the confirmation to?"))
        elif state == D.CONFIRM:
            self.show(Buttons(self.summary(), (
                Option(D.REPLY_CONFIRM, self._("Confirm")),
                Option(D.REPLY_CHANGE, self._("Change")),
                Option(D.REPLY_CANCEL, self._("Cancel")))))
        elif state == D.ESCALATION_OFFER:
            self.show(Buttons(self._("Would you like to talk to our team, or continue with the assistant?"),
                              self.escalation_options()))
