# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

import pytz
from guestmsg.bot.dialog import (
    INITIAL_STATE, Booked, Engine, Escalate, InboundEvent, KnowledgeAnswered, NotifyStaff, ReservationChanged,
    Unanswered,
)
from guestmsg.bot.dialog import stay
from guestmsg.bot.dialog.validators import as_count
from guestmsg.bot.nlu.language import LANGUAGES
from guestmsg.channels.capabilities import Text
from guestmsg.core import conversation_status as cs

from odoo import fields, models
from odoo.tools.translate import code_translations

from ..lib.bot_nlu import build_nlu, llm_calls_per_hour
from ..lib.hotel_services import OdooHotelServices

_logger = logging.getLogger(__name__)

TYPED_MESSAGE_TYPES = ("text", "interactive")
LLM_WINDOW = timedelta(hours=1)


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    reservation_ids = fields.One2many("hotel.reservation", "guest_conversation_id", "Reservations booked here")
    reservation_count = fields.Integer(compute="_compute_reservation_count")
    bot_language = fields.Char(readonly=True, help="Language the guest writes in, as the bot understood it.")
    bot_input_tokens = fields.Integer("NLU input tokens", readonly=True, default=0)
    bot_output_tokens = fields.Integer("NLU output tokens", readonly=True, default=0)
    bot_llm_window_start = fields.Datetime(readonly=True, copy=False,
                                           help="Start of the hour whose Claude calls bot_llm_calls counts.")
    bot_llm_calls = fields.Integer("Claude calls this hour", readonly=True, default=0, copy=False)

    def _compute_reservation_count(self):
        counts = dict(
            self.env["hotel.reservation"]._read_group(
                [("guest_conversation_id", "in", self.ids)], ["guest_conversation_id"], ["__count"]
            )
        )
        for conversation in self:
            conversation.reservation_count = counts.get(conversation, 0)

    def action_view_reservations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hotel_reservation.action_hotel_reservation_tree_all")
        action["domain"] = [("guest_conversation_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _reservation_defaults(self):
        """What the bot gathered: the stay's dates at the hotel's hours and the party."""
        values = {**super()._reservation_defaults(), "guest_conversation_id": self.id}
        context = self.bot_context or {}
        check_in, check_out = stay.dates(context)
        if check_in and check_out:
            services = OdooHotelServices(self)
            values["checkin"], values["checkout"] = (fields.Datetime.to_string(moment)
                                                     for moment in services._stay(check_in, check_out))
        for key in ("adults", "children"):
            if as_count(context.get(key)):
                values[key] = as_count(context.get(key))
        return values

    # === BOT === #
    def _guest_language(self):
        # the language the bot read in the guest's own messages comes first
        return self.bot_language or super()._guest_language()

    def _guest_lang(self):
        """The installed language closest to the one the guest writes in."""
        self.ensure_one()
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        wanted = self.bot_language or ""
        for code in installed:
            if wanted and (code == wanted or code.split("_")[0] == wanted):
                return code
        return (self.partner_id.lang if self.partner_id.lang in installed else None) or self.env.lang or "en_US"

    def _bot_translate(self, language=None):
        """The bot's sentences in ``language`` (one of the bot's languages, e.g. "fr"), read from the addon's
        catalogue whether or not that language is installed; otherwise in the conversation's language."""
        code = language if language in LANGUAGES else self._guest_lang()
        catalogue = ({} if code.split("_")[0] == "en"
                     else code_translations.get_python_translations("guest_messaging_bot", code))

        def translate(msgid, **params):
            text = catalogue.get(msgid) or msgid
            return text % params if params else text

        return translate

    def _bot_translations(self):
        """``language -> translate`` for the dialog engine, each catalogue read once per message."""
        cache = {}

        def translations(language):
            if language not in cache:
                cache[language] = self._bot_translate(language)
            return cache[language]

        return translations

    def _bot_now(self):
        tz = pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")
        return fields.Datetime.now().replace(tzinfo=pytz.UTC).astimezone(tz)

    def _on_inbound_message(self, message):
        result = super()._on_inbound_message(message)
        if self.status == cs.AWAITING_AGENT:
            self._bot_acknowledge_waiting()
        elif self.status == cs.BOT_HANDLING:
            self._bot_step(message)
        return result

    def _bot_acknowledge_waiting(self):
        """While the guest waits for a person the bot only acknowledges, once per wait."""
        context = dict(self.bot_context or {})
        if context.get("waiting_acknowledged"):
            return
        self.bot_context = {**context, "waiting_acknowledged": True}
        self._queue_rich(Text(self._bot_translate(self.bot_language)("Our team will respond shortly.")))

    def _bot_llm_window(self):
        """(start, calls) of this conversation's current one-hour window of language-model calls."""
        now = fields.Datetime.now()
        if not self.bot_llm_window_start or now - self.bot_llm_window_start >= LLM_WINDOW:
            return now, 0
        return self.bot_llm_window_start, self.bot_llm_calls

    def _bot_step(self, message):
        window_start, window_calls = self._bot_llm_window()
        services = OdooHotelServices(self)
        nlu = build_nlu(self.env, llm_budget=max(0, llm_calls_per_hour(self.env) - window_calls),
                        knowledge=lambda: [(entry.key, entry.question) for entry in services.knowledge(None)])
        engine = Engine(services, nlu, translations=self._bot_translations(),
                        escalation_keywords=self.env["guest.bot.escalation.keyword"]._bot_keywords(services.company))
        payload = message.payload or {}
        event = InboundEvent(
            text=message.body if message.message_type in TYPED_MESSAGE_TYPES else None,
            reply_id=payload.get("reply_id"),
            now=self._bot_now(),
            guest_key=self.guest_external_id,
            guest_phone=self.guest_phone,
        )
        context = dict(self.bot_context or {})
        locale_language = (self.guest_locale or "").split("_")[0]
        if not context.get("lang") and locale_language in LANGUAGES:
            # the channel's locale speaks for the guest until a message of theirs does
            context["lang"] = locale_language
        result = engine.step(self.bot_state or INITIAL_STATE, context, event)
        language = (result.context or {}).get("lang")
        self.write({
            "bot_state": result.state,
            "bot_context": result.context,
            "bot_language": language or self.bot_language,
            "bot_input_tokens": self.bot_input_tokens + nlu.input_tokens,
            "bot_output_tokens": self.bot_output_tokens + nlu.output_tokens,
            **({"bot_llm_window_start": window_start, "bot_llm_calls": window_calls + nlu.calls}
               if nlu.uses_llm else {}),
        })
        for outbound in result.messages:
            self._queue_rich(outbound)
        for action in result.actions:
            if isinstance(action, Escalate):
                self._escalate(action.reason)
            elif isinstance(action, Booked):
                self._post_system_message(self.env._("Reservation %(reference)s booked by the bot",
                                                     reference=action.reference))
            elif isinstance(action, NotifyStaff):
                self._notify_staff(action.subject, action.body)
            elif isinstance(action, ReservationChanged):
                self._post_system_message(
                    self.env._("Reservation %(reference)s cancelled by the guest", reference=action.reference)
                    if action.cancelled else
                    self.env._("Reservation %(reference)s changed by the guest", reference=action.reference))
            elif isinstance(action, Unanswered):
                self.env["guest.bot.question"]._record(self, action.text, action.language)
            elif isinstance(action, KnowledgeAnswered):
                self.env["guest.knowledge.entry"].sudo().browse(int(action.key)).exists()._count_answer()

    def _escalate(self, reason):
        self._request_agent()
        self.bot_context = {**(self.bot_context or {}), "waiting_acknowledged": False, "escalation_reason": reason}

    def _on_no_agent_available(self):
        result = super()._on_no_agent_available()
        self._bot_acknowledge_waiting()
        return result

    def _on_handed_back_to_bot(self):
        welcome = Engine.welcome_back(self.bot_context or {})
        self.write({"bot_state": welcome.state, "bot_context": welcome.context})

    def _notify_staff(self, subject, body):
        agents = self.env.ref("guest_messaging.group_agent").users.filtered(
            lambda u: not u.share and self.company_id in u.company_ids)
        # sudo: guest.conversation - the bot posts the staff notification on behalf of the guest
        self.sudo().message_post(
            subject=subject, body=body, partner_ids=agents.partner_id.ids,
            message_type="notification", subtype_xmlid="mail.mt_note",
        )
