"""The booking bot's dialog: a pure state machine over abstract messages and hotel services."""

from guestmsg.bot.dialog.engine import Engine, default_translate
from guestmsg.bot.dialog.types import (
    BOOKING_FLOW_STATES, CONFIRM, DATES, ESCALATED, ESCALATION_OFFER, GUEST_EMAIL, GUEST_FIRST_NAME,
    GUEST_LAST_NAME, INITIAL_STATE, MENU, NO_ROOMS, ROOMS, START, STATES, Booked, BookingRequest, BookingResult,
    Escalate, GuestInfo, GuestLimitReached, HotelServices, InboundEvent, NotifyStaff, ReservationSummary, RoomOffer,
    KnowledgeAnswered, ReservationChanged, RoomUnavailable, StepResult, Unanswered,
)
from guestmsg.bot.nlu.vocabulary import is_affirmative, valid_email, valid_name

__all__ = [
    "BOOKING_FLOW_STATES", "CONFIRM", "DATES", "ESCALATED", "ESCALATION_OFFER", "GUEST_EMAIL", "GUEST_FIRST_NAME",
    "GUEST_LAST_NAME", "INITIAL_STATE", "MENU", "NO_ROOMS", "ROOMS", "START", "STATES", "Booked", "BookingRequest",
    "BookingResult", "Engine", "Escalate", "GuestInfo", "GuestLimitReached", "HotelServices", "InboundEvent",
    "KnowledgeAnswered", "NotifyStaff", "ReservationChanged", "ReservationSummary", "RoomOffer", "RoomUnavailable",
    "StepResult", "Unanswered", "default_translate",
    "is_affirmative", "valid_email", "valid_name",
]
