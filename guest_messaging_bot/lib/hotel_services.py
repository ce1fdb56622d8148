# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dialog engine's hotel services over OCA hotel_reservation."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytz
from guestmsg.bot.dialog.types import (
    BookingResult, GuestInfo, GuestLimitReached, ReservationSummary, RoomOffer, RoomUnavailable,
)
from guestmsg.core.json_values import is_int
from guestmsg.core.phone import to_e164

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .bot_nlu import count_param

# the hours of the day, in the hotel's timezone, the bot books stays with and answers with
CHECK_IN_HOUR_PARAM, DEFAULT_CHECK_IN_HOUR = "guest_messaging_bot.check_in_hour", 14
CHECK_OUT_HOUR_PARAM, DEFAULT_CHECK_OUT_HOUR = "guest_messaging_bot.check_out_hour", 11
# room photos as Meta fetches them for room cards (see controllers/room_photo.py)
ROOM_PHOTO_ROUTE = "/guest_messaging/room_photo"
DEFAULT_MAX_BOOKINGS_PER_DAY = 3


def _hour_param(env, key, default):
    """An hour of the day (0 to 23) from Settings: ``default`` when unset or not a whole hour of the day."""
    # sudo: ir.config_parameter - the bot reads the hotel's hours for an anonymous guest
    value = env["ir.config_parameter"].sudo().get_param(key)
    try:
        hour = int(str(value).strip())
    except ValueError:
        return default
    return hour if 0 <= hour <= 23 else default


def check_in_hour(env):
    return _hour_param(env, CHECK_IN_HOUR_PARAM, DEFAULT_CHECK_IN_HOUR)


def check_out_hour(env):
    return _hour_param(env, CHECK_OUT_HOUR_PARAM, DEFAULT_CHECK_OUT_HOUR)


class OdooHotelServices:
    """Availability, guests and reservations for one conversation, read and written through the ORM."""

    def __init__(self, conversation):
        # sudo: hotel.* - the bot acts for an anonymous guest; it only reads rooms and books through the
        # reservation model's own methods
        self.env = conversation.env(su=True)
        self.conversation = conversation.sudo()
        self.check_in_hour = check_in_hour(self.env)
        self.check_out_hour = check_out_hour(self.env)
        self.company = self.conversation.company_id or self.env.company
        self.tz = pytz.timezone(self.company.partner_id.tz or self.env.user.tz or "UTC")
        self._knowledge = {}

    # --- helpers ---
    def _utc(self, day, hour):
        local = self.tz.localize(datetime.combine(day, time(hour)))
        return local.astimezone(pytz.UTC).replace(tzinfo=None)

    def _stay(self, check_in, check_out):
        start = max(self._utc(check_in, self.check_in_hour), fields.Datetime.now() + timedelta(minutes=5))
        return start, self._utc(check_out, self.check_out_hour)

    def _currency(self):
        return self.company.currency_id

    def _busy_room_ids(self, start, end, rooms, excluding=None):
        """The rooms among ``rooms`` taken at some moment from ``start`` to ``end``; the nights of the
        reservation ``excluding`` do not count (it is the one being moved)."""
        busy = self.env["hotel.room.reservation.line"].search([
            ("room_id", "in", rooms.ids),
            ("check_in", "<", end),
            ("check_out", ">", start),
            ("status", "in", ("confirm", "done")),
            *([("reservation_id", "!=", excluding.id)] if excluding else []),
        ]).room_id
        busy |= self.env["folio.room.line"].search([
            ("room_id", "in", rooms.ids),
            ("check_in", "<", end),
            ("check_out", ">", start),
            ("status", "not in", ("cancel",)),
        ]).room_id
        return set(busy.ids)

    # --- HotelServices ---
    def greeting(self, language=None):
        """The connection's greeting as staff wrote it in ``language``; empty when they wrote none in it, so
        that the bot greets with its own sentence in the guest's language."""
        connection = self.conversation.connection_id
        if not language or language == "en":
            return connection.with_context(lang=self.conversation._guest_lang()).greeting_message
        written = connection._fields["greeting_message"]._get_stored_translations(connection) or {}
        return next((text for code, text in sorted(written.items())
                     if code == language or code.startswith(f"{language}_")), "")

    def search_availability(self, check_in, check_out, adults, children, excluding=None):
        start, end = self._stay(check_in, check_out)
        rooms = self.env["hotel.room"].search(
            [("capacity", ">=", adults + (children or 0)), ("company_id", "in", [self.company.id, False])],
            order="list_price, name",
        )
        busy = self._busy_room_ids(start, end, rooms, excluding=excluding)
        currency = self._currency()
        base_url = (self.env["ir.config_parameter"].get_param("web.base.url") or "").rstrip("/")
        with_photo = set(rooms.with_context(bin_size=True).filtered("image_128").ids)
        return [
            RoomOffer(
                room_id=room.id,
                name=room.name,
                nightly_rate=Decimal(str(currency.round(room.list_price))),
                currency=currency.name,
                capacity=room.capacity,
                image_url=f"{base_url}{ROOM_PHOTO_ROUTE}/{room.id}" if room.id in with_photo else None,
            )
            for room in rooms
            if room.id not in busy
        ]

    def _known_partner(self):
        """The contact this conversation is known to be: linked already, or matched by the number the
        channel verified (never by what the guest typed)."""
        partner = self.conversation.partner_id
        phone = self.conversation.guest_phone
        if not partner and phone and to_e164(phone):
            partner = self.env["guest.conversation"]._match_partner(to_e164(phone), self.company)
        return partner

    def find_guest(self, guest_phone):
        partner = self._known_partner()
        if not partner:
            return None
        first, _sep, last = (partner.name or "").partition(" ")
        return GuestInfo(first_name=first, last_name=last, email=partner.email or "", partner_id=partner.id)

    def _partner_for(self, guest):
        """The conversation's own contact: one the channel's verified number matched, one staff linked,
        or a new one with the details the guest typed. What a guest types (an email, a name) never
        selects an existing contact: anyone can type anyone's email."""
        partner = self._known_partner()
        if not partner:
            partner = self.env["res.partner"].create({
                "name": f"{guest.first_name} {guest.last_name}".strip(),
                "email": guest.email,
                "phone": self.conversation.guest_phone,
                "company_id": self.company.id,
            })
        if not self.conversation.partner_id:
            self.conversation.partner_id = partner
        return partner

    def _check_booking_limit(self):
        limit = count_param(self.env, "guest_messaging_bot.max_bookings_per_day", DEFAULT_MAX_BOOKINGS_PER_DAY)
        booked = self.env["hotel.reservation"].search_count([
            ("guest_conversation_id", "=", self.conversation.id),
            ("create_date", ">", fields.Datetime.now() - timedelta(days=1)),
        ])
        if booked >= limit:
            raise GuestLimitReached("bookings")

    def create_reservation(self, request):
        self._check_booking_limit()
        room = self.env["hotel.room"].browse(request.room_id).exists()
        if not room:
            raise RoomUnavailable(request.room_id)
        # Take the room's row lock before checking: a concurrent booking of the same room waits here and
        # then fails to serialize, so two guests can never both get it.
        self.env.cr.execute(SQL("UPDATE hotel_room SET write_date = write_date WHERE id = %s", room.id))
        start, end = self._stay(request.check_in, request.check_out)
        if room.id in self._busy_room_ids(start, end, room):
            raise RoomUnavailable(request.room_id)
        partner = self._partner_for(request.guest)
        pricelist = partner.property_product_pricelist or self.env["product.pricelist"].search(
            [("company_id", "in", [self.company.id, False]), ("currency_id", "=", self._currency().id)], limit=1
        )
        if not pricelist:
            # hotel.reservation requires one, and a database without the pricelist feature has none
            pricelist = self.env["product.pricelist"].create({
                "name": self.env._("Guest Messaging bookings"), "currency_id": self._currency().id,
                "company_id": self.company.id,
            })
        try:
            with self.env.cr.savepoint():
                reservation = self.env["hotel.reservation"].create({
                    "partner_id": partner.id,
                    "partner_invoice_id": partner.id,
                    "partner_order_id": partner.id,
                    "partner_shipping_id": partner.id,
                    "pricelist_id": pricelist.id,
                    "company_id": self.company.id,
                    "checkin": start,
                    "checkout": end,
                    "adults": request.adults,
                    "children": request.children or 0,
                    "guest_conversation_id": self.conversation.id,
                    "reservation_line": [
                        Command.create({"categ_id": room.room_categ_id.id, "reserve": [Command.set(room.ids)]})
                    ],
                })
                # the bot tells the guest itself, in the chat
                reservation.with_context(guest_messaging_no_notification=True).confirmed_reservation()
        except ValidationError as exc:
            raise RoomUnavailable(request.room_id) from exc
        return BookingResult(reference=reservation.reservation_no, reservation_id=reservation.id)

    def _guest_reservations_domain(self):
        """The guest's upcoming reservations: booked in this conversation, or of its contact (matched by
        the channel's verified number, created here, or linked by staff)."""
        mine = [("guest_conversation_id", "=", self.conversation.id)]
        if self.conversation.partner_id:
            mine = ["|", *mine, ("partner_id", "=", self.conversation.partner_id.id)]
        return [*mine, ("company_id", "=", self.company.id), ("checkout", ">=", fields.Datetime.now()),
                ("state", "in", ("draft", "confirm"))]

    def _summary(self, reservation):
        rooms = reservation.reservation_line.reserve
        local = reservation.with_context(tz=self.tz.zone)
        return ReservationSummary(
            reference=reservation.reservation_no,
            room_name=", ".join(rooms.mapped("name")),
            check_in=fields.Datetime.context_timestamp(local, reservation.checkin).date(),
            check_out=fields.Datetime.context_timestamp(local, reservation.checkout).date(),
            state=reservation.state,
            # one room, not yet begun: the bot may move or cancel it; anything else is the team's
            reservation_id=reservation.id if len(rooms) == 1 and reservation.checkin > fields.Datetime.now() else None,
            room_id=rooms[:1].id or None,
            adults=reservation.adults or 1,
            children=reservation.children or 0,
        )

    def list_reservations(self, guest_key, guest_phone):
        reservations = self.env["hotel.reservation"].search(
            self._guest_reservations_domain(), order="checkin", limit=10)
        return [self._summary(r) for r in reservations]

    def _own_reservation(self, reservation_id):
        """One of the guest's reservations that the bot may change, locked; LookupError for any other id."""
        if not is_int(reservation_id):
            raise LookupError(reservation_id)
        reservation = self.env["hotel.reservation"].search(
            [("id", "=", reservation_id), *self._guest_reservations_domain()], limit=1)
        if not reservation or self._summary(reservation).reservation_id is None:
            raise LookupError(reservation_id)
        self.env.cr.execute(SQL("SELECT id FROM hotel_reservation WHERE id = %s FOR UPDATE", reservation.id))
        return reservation

    def knowledge(self, language):
        if language not in self._knowledge:
            self._knowledge[language] = self.env["guest.knowledge.entry"]._bot_entries(
                self.company, self.conversation.connection_id, language)
        return self._knowledge[language]

    def rooms_for_change(self, reservation_id, check_in, check_out):
        reservation = self._own_reservation(reservation_id)
        return self.search_availability(check_in, check_out, reservation.adults or 1, reservation.children or 0,
                                         excluding=reservation)

    def change_reservation(self, reservation_id, check_in, check_out, room_id=None):
        """New dates (and room) through hotel_reservation's own steps: cancel, back to draft, new dates,
        confirm again; the confirmation checks the room once more, and the reservation's chatter says
        what changed."""
        reservation = self._own_reservation(reservation_id)
        before = self._summary(reservation)
        room = self.env["hotel.room"].browse(room_id or before.room_id).exists()
        if not room:
            raise RoomUnavailable(room_id)
        self.env.cr.execute(SQL("UPDATE hotel_room SET write_date = write_date WHERE id = %s", room.id))
        start, end = self._stay(check_in, check_out)
        if room.id in self._busy_room_ids(start, end, room, excluding=reservation):
            raise RoomUnavailable(room.id)
        try:
            with self.env.cr.savepoint():
                reservation.cancel_reservation()
                reservation.set_to_draft_reservation()
                vals = {"checkin": start, "checkout": end}
                if room.id != before.room_id:
                    line = reservation.reservation_line[:1]
                    line.write({"categ_id": room.room_categ_id.id, "reserve": [Command.set(room.ids)]})
                reservation.write(vals)
                # the bot tells the guest itself, in the chat
                reservation.with_context(guest_messaging_no_notification=True).confirmed_reservation()
        except ValidationError as exc:
            raise RoomUnavailable(room.id) from exc
        after = self._summary(reservation)
        reservation.message_post(body=self.env._(
            "The guest changed this reservation in the chat: %(before)s, %(before_in)s to %(before_out)s became "
            "%(after)s, %(after_in)s to %(after_out)s.",
            before=before.room_name, before_in=before.check_in, before_out=before.check_out,
            after=after.room_name, after_in=after.check_in, after_out=after.check_out))
        return after

    def cancel_reservation(self, reservation_id):
        reservation = self._own_reservation(reservation_id)
        summary = self._summary(reservation)
        reservation.cancel_reservation()
        reservation.message_post(body=self.env._("The guest cancelled this reservation in the chat."))
        return ReservationSummary(summary.reference, summary.room_name, summary.check_in, summary.check_out,
                                  "cancel", summary.reservation_id, summary.room_id, summary.adults,
                                  summary.children)
