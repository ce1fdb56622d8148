"""The booking dialog's vocabulary: states, events, results, actions, and the hotel it talks to."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

# --- states ---------------------------------------------------------------------------------------

START = "start"  # nothing said yet, or the last flow ended: the next message is a first message
MENU = "menu"  # greeted, the three buttons offered
DATES = "dates"  # collecting check-in, check-out and party
ROOMS = "rooms"  # free rooms listed, waiting for a choice
NO_ROOMS = "no_rooms"  # nothing free: "Other dates" / "Talk to our team"
GUEST_FIRST_NAME = "guest_first_name"
GUEST_LAST_NAME = "guest_last_name"
GUEST_EMAIL = "guest_email"
CONFIRM = "confirm"  # summary shown with Confirm / Change / Cancel
ESCALATION_OFFER = "escalation_offer"  # "Talk to our team" / "Keep the assistant"
ESCALATED = "escalated"  # handed to the team; the next message starts afresh
MANAGE_PICK = "manage_pick"  # the guest's upcoming reservations listed, one to choose
MANAGE = "manage"  # one reservation shown: "Change dates" / "Cancel booking" / "Keep it"
MANAGE_DATES = "manage_dates"  # collecting the reservation's new dates
MANAGE_ROOMS = "manage_rooms"  # its room is taken on the new dates: other free rooms listed
MANAGE_CONFIRM = "manage_confirm"  # the change or the cancellation shown: "Yes" / "No"

INITIAL_STATE = START
STATES = (START, MENU, DATES, ROOMS, NO_ROOMS, GUEST_FIRST_NAME, GUEST_LAST_NAME, GUEST_EMAIL, CONFIRM,
          ESCALATION_OFFER, ESCALATED, MANAGE_PICK, MANAGE, MANAGE_DATES, MANAGE_ROOMS, MANAGE_CONFIRM)
BOOKING_FLOW_STATES = (DATES, ROOMS, NO_ROOMS, GUEST_FIRST_NAME, GUEST_LAST_NAME, GUEST_EMAIL, CONFIRM)
MANAGE_STATES = (MANAGE_PICK, MANAGE, MANAGE_DATES, MANAGE_ROOMS, MANAGE_CONFIRM)
# the states an answer from the knowledge base, or the team's offer declined, returns to
RESUMABLE_STATES = BOOKING_FLOW_STATES + MANAGE_STATES

# --- reply ids ------------------------------------------------------------------------------------

REPLY_BOOK = "book"
REPLY_AVAILABILITY = "availability"
REPLY_MY_RESERVATIONS = "my_reservations"
REPLY_CONFIRM = "confirm"
REPLY_CHANGE = "change"
REPLY_CANCEL = "cancel"
REPLY_ESCALATE = "escalate"
REPLY_CONTINUE = "continue"
REPLY_OTHER_DATES = "other_dates"
ROOM_REPLY_PREFIX = "room:"
ALTERNATIVE_REPLY_PREFIX = "alt:"  # alt:<check-in>:<check-out>, nearest free dates
RESERVATION_REPLY_PREFIX = "reservation:"  # reservation:<id>, one of the guest's own
REPLY_MANAGE_CHANGE = "manage_change"
REPLY_MANAGE_CANCEL = "manage_cancel"
REPLY_MANAGE_KEEP = "manage_keep"
REPLY_MANAGE_YES = "manage_yes"
REPLY_MANAGE_NO = "manage_no"

# --- escalation reasons ---------------------------------------------------------------------------

REASON_GUEST_REQUEST = "guest_request"  # asked for a person in words
REASON_LOW_CONFIDENCE = "low_confidence"  # not understood outside a booking flow
REASON_REPEATED_FAILURES = "repeated_failures"  # three messages in a row not understood
REASON_NO_AVAILABILITY = "no_availability"  # nothing free, the guest chose the team
REASON_EXISTING_RESERVATION = "existing_reservation"  # wants to change or cancel a booking
REASON_UNANSWERED_QUESTION = "unanswered_question"  # asked something the knowledge base does not answer
REASON_GUEST_LIMIT = "guest_limit"  # reached a per-guest limit (bookings a day, language-model calls an hour)
# how reports name them
ESCALATION_REASON_LABELS = {
    REASON_GUEST_REQUEST: "The guest asked for a person",
    REASON_LOW_CONFIDENCE: "Not understood",
    REASON_REPEATED_FAILURES: "Three messages not understood",
    REASON_NO_AVAILABILITY: "No room free",
    REASON_EXISTING_RESERVATION: "About an existing booking",
    REASON_UNANSWERED_QUESTION: "A question without an answer",
    REASON_GUEST_LIMIT: "A limit reached",
}


# --- events and results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundEvent:
    """One guest message: typed ``text``, or the id of a tapped button / list row in ``reply_id``.

    ``now`` is an aware datetime in the hotel's timezone; relative dates are read against it.
    """

    text: str | None
    reply_id: str | None
    now: datetime
    guest_key: str | None = None
    guest_phone: str | None = None


@dataclass
class StepResult:
    """``messages`` are capabilities.Text / Buttons / OptionList; ``context`` is JSON-serialisable."""

    state: str
    context: dict
    messages: list = field(default_factory=list)
    actions: list = field(default_factory=list)


@dataclass(frozen=True)
class Escalate:
    """Hand the conversation to the team. ``asked`` is True when the guest chose it, False when the
    bot gave up (three messages in a row not understood)."""

    reason: str
    asked: bool


@dataclass(frozen=True)
class Booked:
    reference: str
    reservation_id: int | None


@dataclass(frozen=True)
class NotifyStaff:
    subject: str
    body: str


@dataclass(frozen=True)
class Unanswered:
    """A question the bot had no answer for, for staff to answer in the knowledge base."""

    text: str
    language: str | None = None


@dataclass(frozen=True)
class KnowledgeAnswered:
    """The bot answered with the knowledge-base entry ``key``."""

    key: int | str


@dataclass(frozen=True)
class ReservationChanged:
    """The guest changed (``cancelled`` False) or cancelled one of their reservations in the chat."""

    reference: str
    reservation_id: int | str | None
    cancelled: bool


# --- the hotel ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomOffer:
    room_id: int | str
    name: str
    nightly_rate: Decimal
    currency: str
    capacity: int | None = None
    image_url: str | None = None  # a public photo, for channels that show room cards


@dataclass(frozen=True)
class GuestInfo:
    first_name: str | None
    last_name: str | None
    email: str | None
    partner_id: int | None = None


@dataclass(frozen=True)
class BookingRequest:
    room_id: int | str
    check_in: date
    check_out: date
    adults: int
    children: int
    guest: GuestInfo
    guest_key: str | None
    guest_phone: str | None


@dataclass(frozen=True)
class BookingResult:
    reference: str
    reservation_id: int | None = None


@dataclass(frozen=True)
class ReservationSummary:
    reference: str
    room_name: str
    check_in: date
    check_out: date
    state: str | None = None
    reservation_id: int | str | None = None  # set when the guest may change or cancel it here
    room_id: int | str | None = None
    adults: int = 1
    children: int = 0


class RoomUnavailable(Exception):
    """The room was taken between the offer and the booking."""


class GuestLimitReached(Exception):
    """A per-guest limit is reached: bookings in a day (raised by the services) or language-model calls
    in an hour (raised by the NLU). The bot answers politely and offers the team."""


@runtime_checkable
class HotelServices(Protocol):
    def greeting(self, language: str | None = None) -> str:
        """The connection's greeting text in ``language``; empty when staff wrote none in it."""

    def search_availability(self, check_in: date, check_out: date, adults: int, children: int) -> list:
        """RoomOffer for every room free on every night from ``check_in`` to the night before ``check_out``
        that holds the party."""

    def find_guest(self, guest_phone: str | None) -> GuestInfo | None:
        """The guest already known by this phone number, if any."""

    def create_reservation(self, request: BookingRequest) -> BookingResult:
        """Book it, or raise RoomUnavailable when the room is no longer free."""

    def list_reservations(self, guest_key: str | None, guest_phone: str | None) -> list:
        """ReservationSummary for the guest's upcoming reservations."""

    def knowledge(self, language: str | None) -> list:
        """The hotel's KnowledgeEntry list, answers in ``language`` where staff translated them."""

    def rooms_for_change(self, reservation_id, check_in: date, check_out: date) -> list:
        """RoomOffer for every room free from ``check_in`` to ``check_out`` for the reservation's party,
        not counting the reservation itself (its own room included when free)."""

    def change_reservation(self, reservation_id, check_in: date, check_out: date,
                           room_id=None) -> ReservationSummary:
        """Move one of the guest's reservations to new dates (and ``room_id``), or raise RoomUnavailable."""

    def cancel_reservation(self, reservation_id) -> ReservationSummary:
        """Cancel one of the guest's reservations."""
