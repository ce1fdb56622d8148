# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from datetime import datetime, timedelta

import pytz
from guestmsg.channels.whatsapp import WHATSAPP
from guestmsg.channels.whatsapp.template_events import body_parameters, fill_body, format_day, pick_mapping
from guestmsg.core.phone import may_be_mobile, to_e164
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# set by whoever confirms a reservation while already telling the guest (the booking bot in the chat)
NO_NOTIFICATION_CONTEXT = "guest_messaging_no_notification"


class HotelReservation(models.Model):
    _inherit = "hotel.reservation"

    guest_check_in_reminder_sent_at = fields.Datetime(
        "WhatsApp check-in reminder sent", readonly=True, copy=False,
        help="When the check-in reminder was queued to the guest; it goes once per reservation.",
    )

    def confirmed_reservation(self):
        result = super().confirmed_reservation()
        if not self.env.context.get(NO_NOTIFICATION_CONTEXT):
            for reservation in self:
                reservation._guest_whatsapp_notify("reservation_confirmed")
        return result

    # === WHATSAPP NOTIFICATIONS === #
    def _guest_hotel_tz(self):
        return pytz.timezone(self.company_id.partner_id.tz or "UTC")

    def _guest_language(self):
        return self.partner_id.lang or self.company_id.partner_id.lang or "en_US"

    def _guest_template_variables(self, language):
        """Every variable a reservation event offers, formatted for the guest."""
        self.ensure_one()
        tz = self._guest_hotel_tz()
        check_in = pytz.UTC.localize(self.checkin).astimezone(tz).date()
        check_out = pytz.UTC.localize(self.checkout).astimezone(tz).date()
        rooms = self.reservation_line.reserve
        currency = self.pricelist_id.currency_id or self.company_id.currency_id
        nights = max((check_out - check_in).days, 1)
        total = currency.round(sum(rooms.mapped("list_price")) * nights)
        return {
            "reference": self.reservation_no or "",
            "guestName": self.partner_id.name or "",
            "checkIn": format_day(check_in, language),
            "checkOut": format_day(check_out, language),
            "totalAmount": f"{total:.{currency.decimal_places}f}",
            "currency": currency.name or "",
            "roomName": ", ".join(rooms.mapped("name")),
        }

    def _guest_mappings(self, connections, event_type):
        return self.env["guest.message.template"].sudo().search(
            [("connection_id", "in", connections.ids), ("event_type", "=", event_type)]
        )

    def _guest_whatsapp_conversation(self, event_type):
        """The guest's WhatsApp conversation on a connection that has a template for the event.

        The conversation the guest last wrote in comes first; without one, a mobile number on the
        guest's contact starts one. A channel identity that opted out (STOP) is passed over; when that
        leaves none, the reservation's chatter says so.
        """
        self.ensure_one()
        # sudo: guest.* - reservation staff need not be Guest Messaging users to notify the guest
        Conversation = self.env["guest.conversation"].sudo()
        OptOut = self.env["guest.opt.out"]
        connections = self.env["guest.channel.connection"].sudo().search([
            ("channel_type", "=", WHATSAPP.code), ("state", "=", "connected"), ("company_id", "=", self.company_id.id),
        ])
        connections = self._guest_mappings(connections, event_type).connection_id
        if not connections or not self.partner_id:
            return Conversation
        conversations = Conversation.search(
            [("partner_id", "=", self.partner_id.id), ("connection_id", "in", connections.ids)],
            order="last_inbound_at desc nulls last, id desc", limit=20,
        )
        reachable = conversations.filtered(lambda c: not OptOut._is_opted_out(c.connection_id, c.guest_external_id))
        if reachable:
            return reachable[0]
        opted_out = bool(conversations)
        region = self.company_id.country_id.code
        for number in (self.partner_id.mobile, self.partner_id.phone):
            e164 = to_e164(number, region) if number else None
            if e164 and may_be_mobile(e164):
                if OptOut._is_opted_out(connections[:1], e164.lstrip("+")):
                    opted_out = True
                    continue
                conversation = Conversation._get_or_create(connections[:1], e164.lstrip("+"))
                conversation._update_guest(conversation.guest_name or self.partner_id.name, e164)
                if not conversation.partner_id:
                    conversation.partner_id = self.partner_id
                return conversation
        if opted_out:
            _logger.info("Reservation %s: the %s notification was not sent, the guest opted out.", self.id, event_type)
            self.message_post(body=self.env._("Not sent: the guest opted out of WhatsApp notifications"),
                              subtype_xmlid="mail.mt_note")
        return Conversation

    def _guest_whatsapp_notify(self, event_type):
        """Tell the guest about this reservation on WhatsApp; returns the queued message or False.

        Inside the guest's 24-hour window the template's text goes as a free message; outside it, or
        when the template's text is not known here, the approved template goes.
        """
        self.ensure_one()
        conversation = self._guest_whatsapp_conversation(event_type)
        if not conversation:
            return False
        language = self._guest_language()
        mappings = self._guest_mappings(conversation.connection_id, event_type)
        mapping = pick_mapping([(m.language, m) for m in mappings], language)
        parameters = body_parameters(mapping.parameter_mapping or {}, self._guest_template_variables(language))
        body = mapping.whatsapp_template_id.body
        try:
            if body and conversation._in_service_window():
                message = conversation._queue_outbound([
                    {"author_type": "bot", "body": fill_body(body, parameters)}
                ])
            else:
                message = conversation._queue_whatsapp_template(
                    mapping.template_name, mapping.language, parameters, author_type="bot",
                    summary=fill_body(body, parameters) if body else None,
                )
        except UserError as exc:
            _logger.warning("Reservation %s: the %s template was not queued: %s", self.id, event_type, exc)
            return False
        label = dict(mapping._fields["event_type"].selection)[event_type]
        self.message_post(
            body=Markup("%s <a href='/odoo/guest.conversation/%s'>%s</a>") % (
                self.env._("%(event)s sent on WhatsApp in", event=label), conversation.id, conversation.display_name),
            subtype_xmlid="mail.mt_note",
        )
        return message

    @api.model
    def _cron_send_check_in_reminders(self):
        """Daily: remind guests who arrive tomorrow, in each hotel's timezone, once per reservation."""
        now = fields.Datetime.now()
        # every "tomorrow" on Earth starts within 2 days of now
        # sudo: hotel.reservation - the cron reminds the guests of every company
        candidates = self.sudo().search([
            ("state", "in", ("confirm", "done")),
            ("checkin", ">", now),
            ("checkin", "<", now + timedelta(days=3)),
            ("guest_check_in_reminder_sent_at", "=", False),
        ], order="checkin, id")
        sent = 0
        for reservation in candidates:
            tz = reservation._guest_hotel_tz()
            tomorrow = datetime.now(tz).date() + timedelta(days=1)
            if pytz.UTC.localize(reservation.checkin).astimezone(tz).date() != tomorrow:
                continue
            if reservation._guest_whatsapp_notify("check_in_reminder"):
                reservation.guest_check_in_reminder_sent_at = fields.Datetime.now()
                sent += 1
            if not getattr(threading.current_thread(), "testing", False):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent
