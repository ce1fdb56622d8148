"""What a natural-language understanding component gives the dialog engine.

An NLU only fills slots: every value it returns is a suggestion that the
engine validates before using it.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Protocol, runtime_checkable

BOOK = "book"
AVAILABILITY = "availability"
MY_RESERVATIONS = "my_reservations"
GREETING = "greeting"
PROVIDE_DATES = "provide_dates"
PROVIDE_GUEST_INFO = "provide_guest_info"
CONFIRM = "confirm"
CHANGE = "change"
CANCEL = "cancel"
ESCALATE = "escalate"
OTHER = "other"
UNKNOWN = "unknown"

INTENTS = (
    BOOK, AVAILABILITY, MY_RESERVATIONS, GREETING, PROVIDE_DATES, PROVIDE_GUEST_INFO,
    CONFIRM, CHANGE, CANCEL, ESCALATE, OTHER, UNKNOWN,
)

# What the engine is waiting for, passed as ``expecting``; an NLU may use it to
# decide, for instance, whether a lone date is a check-in or a check-out.
EXPECT_MENU = "menu"
EXPECT_DATES = "dates"
EXPECT_CHECK_IN = "check_in"
EXPECT_CHECK_OUT = "check_out"
EXPECT_GUESTS = "guests"
EXPECT_ROOM = "room"
EXPECT_FIRST_NAME = "first_name"
EXPECT_LAST_NAME = "last_name"
EXPECT_EMAIL = "email"
EXPECT_CONFIRM = "confirm"
EXPECT_ESCALATION = "escalation"

SLOT_NAMES = ("check_in", "check_out", "nights", "adults", "children", "first_name", "last_name", "email")


@dataclass
class NluResult:
    """``language`` is None when the text gave no clue (a bare number, a name)."""

    intent: str = UNKNOWN
    confidence: float = 0.0
    check_in: date | None = None
    check_out: date | None = None
    nights: int | None = None
    adults: int | None = None
    children: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    language: str | None = None
    faq: str | None = None  # the key of the knowledge-base entry the guest asks about, as a model chose it
    source: str = "offline"
    input_tokens: int = 0
    output_tokens: int = 0

    def slots(self) -> dict:
        """The slots that were filled, by name."""
        return {name: getattr(self, name) for name in SLOT_NAMES if getattr(self, name) is not None}

    def as_dict(self) -> dict:
        """A JSON-friendly copy (dates as ISO strings)."""
        result = {}
        for field in fields(self):
            value = getattr(self, field.name)
            result[field.name] = value.isoformat() if isinstance(value, date) else value
        return result


@runtime_checkable
class Nlu(Protocol):
    def understand(self, text: str, now: datetime, expecting: str | None) -> NluResult:
        """Intent and slots of one guest message; ``now`` is aware, in the hotel's timezone."""
