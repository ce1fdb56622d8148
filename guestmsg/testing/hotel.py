"""A hotel in memory that implements the dialog's HotelServices, for tests and the bot's evaluation."""

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from guestmsg.bot.dialog.types import (
    BookingRequest, BookingResult, ReservationSummary, RoomOffer, RoomUnavailable,
)


@dataclass
class Room:
    room_id: int
    name: str
    rate: str
    capacity: int
    currency: str = "EUR"


def _nights(check_in, check_out):
    night = check_in
    while night < check_out:
        yield night
        night += timedelta(days=1)


@dataclass
class InMemoryHotel:
    """HotelServices over a few rooms, a set of booked nights and the guest's reservations.

    A reservation given with a ``reservation_id`` and a ``room_id`` holds its room's nights.
    """

    rooms: list = field(default_factory=lambda: [
        Room(1, "Double Room", "120", 2),
        Room(2, "Family Suite", "210.50", 4),
        Room(3, "Single Room", "80", 1),
        Room(4, "Twin Room", "110", 2),
    ])
    greeting_text: str = "Welcome to Hotel Sol! How can we help?"
    guests: dict = field(default_factory=dict)
    reservations: list = field(default_factory=list)
    knowledge_entries: list = field(default_factory=list)
    booked_nights: set = field(default_factory=set)
    taken_on_booking: set = field(default_factory=set)
    ignore_capacity: bool = False
    calls: list = field(default_factory=list)
    created: list = field(default_factory=list)

    def greeting(self, language=None):
        self.calls.append(("greeting",))
        return self.greeting_text

    def _held(self, ignoring=None):
        held = set(self.booked_nights)
        for reservation in self.reservations:
            if reservation.room_id is None or reservation.reservation_id == ignoring:
                continue
            if str(reservation.state or "").startswith("cancel"):
                continue
            held.update((reservation.room_id, night) for night in _nights(reservation.check_in, reservation.check_out))
        return held

    def _offers(self, check_in, check_out, guests, ignoring=None):
        assert isinstance(check_in, date) and isinstance(check_out, date)
        held = self._held(ignoring)
        return [
            RoomOffer(r.room_id, r.name, Decimal(r.rate), r.currency, r.capacity)
            for r in self.rooms
            if (self.ignore_capacity or r.capacity >= guests)
            and not any((r.room_id, night) in held for night in _nights(check_in, check_out))
        ]

    def search_availability(self, check_in, check_out, adults, children):
        self.calls.append(("search_availability", check_in, check_out, adults, children))
        return self._offers(check_in, check_out, adults + children)

    def find_guest(self, guest_phone):
        self.calls.append(("find_guest", guest_phone))
        return self.guests.get(guest_phone)

    def create_reservation(self, request):
        self.calls.append(("create_reservation", request))
        assert isinstance(request, BookingRequest)
        if request.room_id in self.taken_on_booking:
            self.taken_on_booking.discard(request.room_id)
            self.booked_nights.update((request.room_id, n) for n in _nights(request.check_in, request.check_out))
            raise RoomUnavailable(request.room_id)
        self.created.append(request)
        return BookingResult(f"RES-{len(self.created):04d}", 100 + len(self.created))

    def list_reservations(self, guest_key, guest_phone):
        self.calls.append(("list_reservations", guest_key, guest_phone))
        return list(self.reservations)

    def knowledge(self, language):
        self.calls.append(("knowledge", language))
        return list(self.knowledge_entries)

    def _reservation(self, reservation_id):
        for index, reservation in enumerate(self.reservations):
            if reservation.reservation_id is not None and str(reservation.reservation_id) == str(reservation_id):
                return index, reservation
        raise LookupError(f"no reservation {reservation_id} of this guest")

    def rooms_for_change(self, reservation_id, check_in, check_out):
        self.calls.append(("rooms_for_change", reservation_id, check_in, check_out))
        _index, reservation = self._reservation(reservation_id)
        return self._offers(check_in, check_out, reservation.adults + reservation.children,
                            ignoring=reservation.reservation_id)

    def change_reservation(self, reservation_id, check_in, check_out, room_id=None):
        self.calls.append(("change_reservation", reservation_id, check_in, check_out, room_id))
        index, reservation = self._reservation(reservation_id)
        room_id = reservation.room_id if room_id is None else room_id
        free = {str(o.room_id) for o in self.rooms_for_change(reservation_id, check_in, check_out)}
        if str(room_id) not in free:
            raise RoomUnavailable(room_id)
        room = next(r for r in self.rooms if str(r.room_id) == str(room_id))
        changed = dataclasses.replace(reservation, check_in=check_in, check_out=check_out, room_id=room.room_id,
                                      room_name=room.name)
        self.reservations[index] = changed
        return changed

    def cancel_reservation(self, reservation_id):
        self.calls.append(("cancel_reservation", reservation_id))
        index, reservation = self._reservation(reservation_id)
        cancelled = dataclasses.replace(reservation, state="cancel")
        self.reservations[index] = cancelled
        return cancelled

    def called(self, name):
        return [c for c in self.calls if c[0] == name]


def reservation(reference, room, check_in, check_out, reservation_id=None, room_id=None, adults=2, children=0,
                state="confirm"):
    """A ReservationSummary the guest may manage when it has a ``reservation_id``."""
    return ReservationSummary(reference, room, check_in, check_out, state, reservation_id, room_id, adults, children)
