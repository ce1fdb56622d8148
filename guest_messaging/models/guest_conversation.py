# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import psycopg2
from guestmsg.channels import channel, decide
from guestmsg.channels.capabilities import degrade
from guestmsg.channels.sandbox import SANDBOX
from guestmsg.channels.wire import text_length
from guestmsg.core import conversation_status as cs
from guestmsg.core.json_values import is_int
from guestmsg.core.phone import national_digits, to_e164
from guestmsg.core.routing import AgentLoad, pick_agent

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

PG_CONCURRENCY_ERRORS = (psycopg2.errors.SerializationFailure, psycopg2.errors.DeadlockDetected)
# how many of the latest outbound messages a tapped option's title is looked for in
OFFERED_TITLE_LOOKBACK = 10
# The spec's conversation timeouts in minutes, changed in Settings (read through _timeout_minutes)
BOT_IDLE_TIMEOUT_PARAM, BOT_IDLE_TIMEOUT_MINUTES = "guest_messaging.bot_idle_timeout_minutes", 60
UNCLAIMED_TIMEOUT_PARAM, UNCLAIMED_TIMEOUT_MINUTES = "guest_messaging.unclaimed_timeout_minutes", 30
MAX_TIMEOUT_MINUTES = 7 * 24 * 60

STATUS_SELECTION = [(status, cs.STATUS_LABELS[status]) for status in cs.STATUSES]
# Staff may edit only these directly; every other field of the product changes through the public
# actions below, which check who may do what and then write as the platform.
STAFF_WRITABLE_FIELDS = frozenset({"guest_name"})
INBOX_SUBCHANNEL = "guest_messaging/agents"
# the ids whose inbox notification waits for the end of _inbox_notifications_held
INBOX_HELD = "guest_messaging.inbox_held"


class GuestConversation(models.Model):
    _name = "guest.conversation"
    _description = "Guest Conversation"
    _inherit = ["mail.thread"]
    _order = "last_message_at desc, id desc"
    _rec_names_search = ["guest_name", "guest_phone", "guest_external_id"]

    # === FIELDS === #
    connection_id = fields.Many2one(
        "guest.channel.connection", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    channel_type = fields.Selection(related="connection_id.channel_type", store=True)
    partner_id = fields.Many2one("res.partner", "Guest contact", index="btree_not_null", tracking=True)
    guest_name = fields.Char(index="trigram")
    guest_locale = fields.Char(readonly=True, copy=False,
                               help="The guest's language and country as the channel gives them, e.g. es_ES.")
    guest_external_id = fields.Char(
        "Guest ID on the channel", required=True, help="WhatsApp wa_id, Messenger PSID or Instagram IGSID."
    )
    guest_phone = fields.Char(index="trigram", help="E.164 when known.")
    status = fields.Selection(
        STATUS_SELECTION, required=True, default=cs.BOT_HANDLING, index=True, tracking=True
    )
    agent_id = fields.Many2one("res.users", "Agent", index="btree_not_null", tracking=True)
    last_message_at = fields.Datetime(index=True, readonly=True)
    last_inbound_at = fields.Datetime(readonly=True, help="When the guest last wrote: opens the 24-hour window.")
    last_message_preview = fields.Char(readonly=True)
    escalated_at = fields.Datetime(readonly=True)
    unclaimed_notified = fields.Boolean(
        readonly=True, copy=False, help="Agents were told this escalation waits with nobody free to take it."
    )
    unread_count = fields.Integer(default=0, readonly=True)
    bot_state = fields.Char(readonly=True, copy=False)
    bot_context = fields.Json(readonly=True, copy=False)
    guest_message_ids = fields.One2many("guest.message", "conversation_id", "Guest messages")
    may_act = fields.Boolean(
        compute="_compute_may_act", help="Whether the current user may resolve or hand back this conversation."
    )
    is_closed = fields.Boolean(
        "Closed", compute="_compute_is_closed", search="_search_is_closed",
        help="Resolved or expired: the guest's next message starts again with the bot.",
    )

    _sql_constraints = [
        (
            "guest_unique_per_connection",
            "unique(connection_id, guest_external_id)",
            "A conversation with this guest already exists on this connection.",
        ),
        (
            "assigned_has_agent",
            "CHECK(status != 'agent_assigned' OR agent_id IS NOT NULL)",
            "A conversation assigned to an agent needs an agent.",
        ),
        ("unread_not_negative", "CHECK(unread_count >= 0)", "The unread count cannot be negative."),
    ]

    # === COMPUTE === #
    @api.depends("partner_id.name", "guest_name", "guest_phone", "guest_external_id")
    def _compute_display_name(self):
        # the contact staff linked (or the guest booked as) over the channel's profile name
        for conversation in self:
            conversation.display_name = (
                conversation.partner_id.name or conversation.guest_name or conversation.guest_phone
                or conversation.guest_external_id
            )

    def _profile_name(self):
        """The name the channel gives the guest, when the conversation is listed under another one."""
        self.ensure_one()
        return self.guest_name if self.guest_name and self.guest_name != self.display_name else ""

    @api.depends_context("uid")
    @api.depends("status", "agent_id")
    def _compute_may_act(self):
        is_manager = self.env.user.has_group("guest_messaging.group_manager")
        for conversation in self:
            conversation.may_act = (
                is_manager or conversation.status != cs.AGENT_ASSIGNED or conversation.agent_id == self.env.user
            )

    @api.depends("status")
    def _compute_is_closed(self):
        for conversation in self:
            conversation.is_closed = cs.is_closed(conversation.status)

    def _search_is_closed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search closed conversations with = or != and True or False."))
        closed = (operator == "=") == value
        return [("status", "in" if closed else "not in", list(cs.CLOSED_STATUSES))]

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._(
                "Guest conversations are started by the guests' messages, not created by hand."))
        connections = self.env["guest.channel.connection"].browse(
            {vals["connection_id"] for vals in vals_list if vals.get("connection_id")})
        for vals in vals_list:
            if vals.get("status", cs.BOT_HANDLING) == cs.AGENT_ASSIGNED and not vals.get("agent_id"):
                raise UserError(self.env._("A conversation assigned to an agent needs an agent."))
            if vals.get("connection_id"):
                # the related columns, written with the row rather than by an update after it
                connection = connections.browse(vals["connection_id"])
                vals["company_id"] = connection.company_id.id
                vals["channel_type"] = connection.channel_type
        conversations = super().create(vals_list)
        conversations._notify_inbox()
        return conversations

    def write(self, vals):
        self._check_staff_write(vals)
        if "agent_id" in vals:
            self._check_can_set_agent(vals["agent_id"])
        if "status" in vals:
            self._check_status_transition(vals["status"])
        frees_a_slot = ("status" in vals or "agent_id" in vals) and any(
            conversation.status == cs.AGENT_ASSIGNED for conversation in self
        )
        result = super().write(vals)
        if frees_a_slot:
            self._trigger_routing()
        self._notify_inbox()
        return result

    # === BUSINESS === #
    def _check_staff_write(self, vals):
        """Raw writes by people may not touch what the actions own (identity, routing, status, bot)."""
        if self.env.su:
            return
        owned = sorted(
            name for name in vals
            if name in self._fields and name not in STAFF_WRITABLE_FIELDS
            and (self._fields[name]._module or "").startswith("guest_messaging")
        )
        if owned:
            raise AccessError(self.env._(
                "%(fields)s of a guest conversation change only through its actions "
                "(Claim, Take Over, Assign, Resolve, Hand Back, Link Contact).",
                fields=", ".join(self._fields[name].string for name in owned)))

    @api.model
    def _inbox_bus_channel(self, company):
        """The bus channel of one company's agents; ir.websocket subscribes agents to their companies'."""
        return (company, INBOX_SUBCHANNEL)

    def _notify_inbox(self):
        """Tell the open inboxes of these conversations' companies that they changed: one bus message per
        transaction and company.

        Only ids travel; each inbox reloads the rows it may read.
        """
        if not self:
            return
        held = self.env.cr.postcommit.data.get(INBOX_HELD)
        if held is not None:
            held.update(self.ids)
            return
        data = self.env.cr.precommit.data
        if "guest_messaging.inbox_changed" not in data:
            data["guest_messaging.inbox_changed"] = set()
            env = self.env

            @env.cr.precommit.add
            def send_inbox_changes():
                ids = data.pop("guest_messaging.inbox_changed", ())
                if not ids:
                    return
                # sudo: guest.conversation - only which company each changed conversation belongs to
                conversations = env["guest.conversation"].sudo().browse(ids).exists()
                for company in conversations.company_id:
                    changed = conversations.filtered(lambda c, company=company: c.company_id == company)
                    env["bus.bus"]._sendone(
                        self._inbox_bus_channel(company), "guest_messaging/inbox",
                        {"conversation_ids": sorted(changed.ids)})
        data["guest_messaging.inbox_changed"].update(self.ids)

    @api.model
    @contextmanager
    def _inbox_notifications_held(self, into=None):
        """Gather the inbox notifications of the work inside into one, sent when it ends without error;
        with ``into``, add the conversations' ids to that set instead, for the caller to notify later.

        The ORM flushes, and so runs precommit hooks, whenever a savepoint starts or ends, and every
        transaction that sends a bus message opens a connection for its NOTIFY: without this, a worker
        handling many guests would send the inbox a bus message per guest, or per message sent.
        """
        data = self.env.cr.postcommit.data
        if data.get(INBOX_HELD) is not None:
            yield
            return
        data[INBOX_HELD] = held = set() if into is None else into
        try:
            yield
        finally:
            data.pop(INBOX_HELD, None)
        if into is None:
            self.browse(sorted(held))._notify_inbox()

    def _check_status_transition(self, new_status):
        """The one authority over status changes: every path writes through here."""
        for conversation in self:
            if not cs.is_allowed(conversation.status, new_status):
                raise UserError(str(cs.IllegalTransition(conversation.status, new_status)))

    def _check_can_set_agent(self, agent_id):
        if self.env.su or self.env.user.has_group("guest_messaging.group_manager"):
            return
        for conversation in self:
            if agent_id and agent_id != self.env.uid:
                raise AccessError(self.env._("Only Guest Messaging managers can assign conversations to others."))
            if not agent_id and conversation.agent_id and conversation.agent_id != self.env.user:
                raise AccessError(self.env._("Only Guest Messaging managers can unassign another agent."))

    # === INBOUND === #
    @api.model
    def _ingest_inbound(self, connection, guest_external_id, platform_message_id, message_vals,
                        guest_name=None, guest_phone=None):
        """Record one guest message exactly once; returns the new guest.message, or False for a duplicate."""
        Message = self.env["guest.message"]
        if platform_message_id and Message.search_count(
            [("connection_id", "=", connection.id), ("platform_message_id", "=", platform_message_id)], limit=1
        ):
            return False
        conversation = self._get_or_create(connection, guest_external_id)
        conversation._update_guest(guest_name, guest_phone)
        # a rating (or its comment) answers the survey of a resolved conversation, and does not reopen it
        survey_answer = conversation._survey_answer(message_vals)
        if conversation.is_closed and not survey_answer:
            conversation.write({"status": cs.BOT_HANDLING, "agent_id": False, "bot_state": False,
                                "bot_context": False, "escalated_at": False})
        elif conversation.status == cs.AWAITING_AGENT:
            # the router skips rows a worker holds; a guest writing again is a good moment to retry
            conversation._trigger_routing()
        reply_id = (message_vals.get("payload") or {}).get("reply_id")
        if reply_id and not (message_vals.get("body") or "").strip():
            # a channel that sends only the tapped option's id: the thread shows its title
            message_vals = {**message_vals, "body": conversation._offered_title(reply_id)}
        message = Message.create({
            **message_vals,
            "conversation_id": conversation.id,
            "direction": "inbound",
            "author_type": "guest",
            "platform_message_id": platform_message_id,
        })
        if survey_answer:
            conversation._record_survey_answer(survey_answer)
        elif not conversation._apply_consent(message):
            conversation._on_inbound_message(message)
        return message

    def _offered_title(self, reply_id):
        """The title of the option ``reply_id`` among the latest ones offered to the guest, else ""."""
        self.ensure_one()
        if not isinstance(reply_id, str):
            return ""
        offered = self.env["guest.message"].search(
            [("conversation_id", "=", self.id), ("direction", "=", "outbound"), ("message_type", "!=", "system")],
            order="id desc", limit=OFFERED_TITLE_LOOKBACK)
        for message in offered:
            for option in (message.payload or {}).get("options") or ():
                if isinstance(option, dict) and option.get("id") == reply_id:
                    return option.get("title") or ""
        return ""

    @api.model
    def _get_or_create(self, connection, guest_external_id):
        domain = [("connection_id", "=", connection.id), ("guest_external_id", "=", guest_external_id)]
        conversation = self.search(domain, limit=1)
        if conversation:
            return conversation
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                # the thread shows the guest's first message: no "created" note, and the worker follows nothing
                return self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
                    {"connection_id": connection.id, "guest_external_id": guest_external_id})
        except psycopg2.errors.UniqueViolation:
            return self.search(domain, limit=1)

    def _update_guest(self, guest_name, guest_phone):
        self.ensure_one()
        vals = {}
        if guest_name and guest_name != self.guest_name:
            vals["guest_name"] = guest_name[:256]
        e164 = to_e164(guest_phone) if guest_phone else None
        if e164 and e164 != self.guest_phone:
            vals["guest_phone"] = e164
        if not self.partner_id and (e164 or self.guest_phone):
            partner = self._match_partner(e164 or self.guest_phone, self.company_id)
            if partner:
                vals["partner_id"] = partner.id
        if vals:
            self.write(vals)

    @api.model
    def _match_partner(self, e164, company=None):
        """The contact of ``company`` (or shared) whose phone or mobile is this number, through the
        sanitized, indexed phone fields of phone_validation: the stored E.164 number first, then a
        number typed in international form."""
        Partner = self.env["res.partner"]
        if not e164 or len(national_digits(e164)) < 6:
            return Partner
        company = company or self.company_id or self.env.company
        scope = [("company_id", "in", [company.id, False])]
        return (Partner.search([("phone_sanitized", "=", e164), *scope], order="id", limit=1)
                or Partner.search([("phone_mobile_search", "=", e164), *scope], order="id", limit=1))

    def action_link_partner(self, partner_id):
        """Staff link the guest to a contact they know is theirs; the bot never does on what a guest types."""
        self.ensure_one()
        if not self.env.user.has_group("guest_messaging.group_agent"):
            raise AccessError(self.env._("Only Guest Messaging agents can link contacts."))
        self.check_access("write")
        self._check_may_act()
        if isinstance(partner_id, models.BaseModel):
            partner_id = partner_id.id
        if not is_int(partner_id) or partner_id < 0:
            raise UserError(self.env._("Choose the contact by its id."))
        partner = self.env["res.partner"].browse(partner_id).exists()
        if partner_id and not partner:
            raise UserError(self.env._("That contact does not exist."))
        if partner:
            partner.check_access("read")
            if partner.company_id and partner.company_id != self.company_id:
                raise UserError(self.env._("%(contact)s belongs to another company.", contact=partner.display_name))
        # sudo: guest.conversation - the contact is the action's to write; access was checked above
        self.sudo().write({"partner_id": partner.id})
        self._post_system_message(
            self.env._("Linked to %(contact)s by %(agent)s", contact=partner.display_name, agent=self.env.user.name)
            if partner else self.env._("Contact unlinked by %(agent)s", agent=self.env.user.name))
        return True

    def action_new_reservation(self):
        """Staff: the reservation form, filled from the conversation; the guest's contact is made from the
        conversation when there is none yet (from what the channel verified, never from what the guest typed)."""
        self.ensure_one()
        if not self.env.user.has_group("guest_messaging.group_agent"):
            raise AccessError(self.env._("Only Guest Messaging agents create reservations from a conversation."))
        self.check_access("read")
        self.env["hotel.reservation"].check_access("create")
        if not self.partner_id:
            # sudo: res.partner - agents need no right to create contacts at large; this one holds only what
            # the channel verified, for this conversation
            partner = self.env["res.partner"].sudo().create({
                "name": self.display_name, "phone": self.guest_phone or False, "company_id": self.company_id.id})
            # sudo: guest.conversation - the contact was just made from this conversation, for it
            self.sudo().write({"partner_id": partner.id})
            self._post_system_message(self.env._("Contact %(contact)s created by %(agent)s",
                                                 contact=partner.display_name, agent=self.env.user.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New reservation for %(guest)s", guest=self.display_name),
            "res_model": "hotel.reservation",
            "views": [[False, "form"]],
            "target": "new",
            "context": {f"default_{name}": value for name, value in self._reservation_defaults().items()},
        }

    def _reservation_defaults(self):
        """Field values a reservation made from this conversation starts with; addons add what they know."""
        return {"partner_id": self.partner_id.id, "company_id": self.company_id.id}

    def _guest_picture_url(self):
        """The guest's profile picture where the channel shares one, else False."""
        return False

    def _on_inbound_message(self, message):
        """Hook for the booking bot and routing; the inbox alone only records the message."""

    # === OUTBOUND === #
    def _reply_window(self, human_agent):
        """The channel's reply window now: ``guestmsg.channels.WindowDecision``."""
        self.ensure_one()
        declared = channel(self.channel_type)
        last = self.last_inbound_at.replace(tzinfo=timezone.utc) if self.last_inbound_at else None
        return decide(declared.reply_window, declared.label, last, datetime.now(timezone.utc), human_agent)

    def _in_service_window(self):
        """Whether anything, the bot's messages included, may be sent as free text now."""
        return self._reply_window(human_agent=False).allowed

    def _agent_reply_refusal(self):
        """Why an agent cannot send free text to the guest right now, or False when they can."""
        self.ensure_one()
        decision = self._reply_window(human_agent=True)
        if decision.allowed:
            return False
        window = channel(self.channel_type).reply_window
        if window.templates_after:
            return self.env._(
                "The guest last wrote more than %(hours)s hours ago, so %(channel)s only accepts an approved "
                "template now. Send a template message, or wait for the guest to write again.",
                hours=window.hours, channel=channel(self.channel_type).label)
        return decision.reason

    def _check_agent_text(self, body):
        """``body`` as the channel would take it from an agent, else a UserError saying why not."""
        profile = self._capability_profile()
        length = text_length(body, profile.text_unit)
        if length > profile.text_max:
            label = channel(self.channel_type).label
            if profile.text_unit == "utf8":
                raise UserError(self.env._(
                    "%(channel)s takes messages of at most %(limit)s bytes; this one has %(length)s. Shorten it "
                    "or send it in two parts.", channel=label, limit=profile.text_max, length=length))
            raise UserError(self.env._(
                "%(channel)s takes messages of at most %(limit)s characters; this one has %(length)s. Shorten "
                "it or send it in two parts.", channel=label, limit=profile.text_max, length=length))

    def _check_service_window(self):
        for conversation in self:
            refusal = conversation._agent_reply_refusal()
            if refusal:
                raise UserError(refusal)

    def _queue_outbound(self, vals_list):
        """Create outbound messages as queued; the outbox worker sends them after this transaction commits."""
        self.ensure_one()
        messages = self.env["guest.message"].create([
            {"direction": "outbound", "message_type": "text", **vals, "conversation_id": self.id,
             "delivery_status": "queued"}
            for vals in vals_list
        ])
        messages._queue_wake()
        return messages

    def _capability_profile(self):
        """What the channel can show; a Sandbox conversation shows what its connection's profile channel can."""
        if self.channel_type == SANDBOX.code and self.connection_id.sandbox_profile:
            return channel(self.connection_id.sandbox_profile).profile
        return channel(self.channel_type).profile

    def _wire_payloads_sandbox(self, rendered):
        """What the Guest Simulator draws: the message as the chosen channel's profile rendered it."""
        return [{
            "type": "text" if rendered.kind == "text" else "interactive",
            "kind": rendered.kind,
            "body": rendered.body,
            "header": rendered.header,
            "footer": rendered.footer,
            "button_label": rendered.button_label,
            "options": [{"id": o.id, "title": o.title, "description": o.description} for o in rendered.options],
            "numbered": bool(rendered.numbered_options),
            "profile": rendered.profile,
        }]

    def _queue_rich(self, message, author_type="bot"):
        """Queue an abstract message (Text, Buttons, OptionList) fitted to this channel's capabilities.

        Options that had to become a numbered list are kept on the message, so a guest who answers
        "2" is understood.
        """
        self.ensure_one()
        rendered = degrade(message, self._capability_profile())
        wire_builder = getattr(self, f"_wire_payloads_{self.channel_type}")
        options = [{"id": o.id, "title": o.title} for o in rendered.options]
        return self._queue_outbound([
            {
                "author_type": author_type,
                "message_type": "text" if self._wire_text(wire) is not None else "interactive",
                "body": self._wire_text(wire) or rendered.body,
                "payload": {"wire": wire, "kind": rendered.kind, "options": options},
            }
            for wire in wire_builder(rendered)
        ])

    @api.model
    def _wire_text(self, wire):
        """The text of a plain-text wire body (WhatsApp's or the Send API's), else None."""
        if wire.get("type") == "text":
            return (wire.get("text") or {}).get("body")
        message = wire.get("message")
        if isinstance(message, dict) and set(message) == {"text"}:
            return message["text"]
        return None

    def send_agent_message(self, body):
        """Send ``body`` to the guest as the current agent, within the channel's limits and reply window.

        Writing in a conversation the bot handles, or one waiting for a person, takes it: from
        then on the bot stays quiet.
        """
        self.ensure_one()
        self.check_access("write")
        if not isinstance(body, str):
            raise UserError(self.env._("A message is text."))
        body = body.strip()
        if not body:
            raise UserError(self.env._("Write a message before sending."))
        self._check_agent_text(body)
        if self.is_closed:
            raise UserError(self._closed_message())
        if self.status == cs.AGENT_ASSIGNED:
            self._check_may_act()
        self._check_service_window()
        if self.status in (cs.BOT_HANDLING, cs.AWAITING_AGENT):
            self._take_as_current_user()
        # sudo: guest.message - agents create messages through this method only; access was checked above
        message = self.sudo()._queue_outbound([{"author_type": "agent", "author_id": self.env.uid, "body": body}])
        return message.id

    # === HANDOVER === #
    def _request_agent(self):
        """The bot cannot help: the conversation waits for a person and the router looks for one."""
        self.write({"status": cs.AWAITING_AGENT, "agent_id": False, "escalated_at": fields.Datetime.now(),
                    "unclaimed_notified": False})
        self._post_system_message(self.env._("Bot escalated to agent"))
        self._trigger_routing()

    def action_claim(self):
        """Take a conversation waiting for an agent (or still with the bot: the same intent)."""
        self._take_as_current_user()
        return True

    def action_take_over(self):
        """Take a conversation from the bot (or one already waiting: the same intent)."""
        self._take_as_current_user()
        return True

    def action_assign(self, user_id):
        """Managers give conversations to an agent, whatever their status or load."""
        if not (self.env.su or self.env.user.has_group("guest_messaging.group_manager")):
            raise AccessError(self.env._("Only Guest Messaging managers can assign conversations."))
        self.check_access("write")
        agent = self._valid_agent(user_id)
        for conversation in self._lock_rows():
            if conversation.is_closed:
                raise UserError(conversation._closed_message())
            if conversation.status == cs.AGENT_ASSIGNED and conversation.agent_id == agent:
                continue
            conversation._assign(agent, self.env._(
                "Assigned to %(agent)s by %(manager)s", agent=agent.name, manager=self.env.user.name))
        return True

    def action_resolve(self):
        """Close the conversation; the guest's next message starts a fresh bot conversation."""
        self.check_access("write")
        for conversation in self._lock_rows():
            conversation._check_may_act()
            if conversation.is_closed:
                continue
            # sudo: guest.conversation - status and agent are the action's to write; access was checked above
            # escalated_at stays: the reports measure the first response from it
            conversation.sudo().write({"status": cs.RESOLVED, "bot_state": False,
                                       "agent_id": conversation.agent_id.id or self.env.uid})
            conversation._post_system_message(self.env._("Resolved by %(agent)s", agent=self.env.user.name))
        return True

    def action_hand_back_to_bot(self):
        """Give the conversation back to the bot, which greets the guest on their next message."""
        self.check_access("write")
        for conversation in self._lock_rows():
            conversation._check_may_act()
            if conversation.status == cs.BOT_HANDLING:
                continue
            if conversation.is_closed:
                raise UserError(conversation._closed_message())
            # sudo: guest.conversation - status and bot state are the action's to write; access was checked above
            conversation.sudo().write({"status": cs.BOT_HANDLING, "agent_id": False, "escalated_at": False})
            conversation.sudo()._on_handed_back_to_bot()
            conversation._post_system_message(
                self.env._("Handed back to the bot by %(agent)s", agent=self.env.user.name))
        return True

    def _take_as_current_user(self):
        agent = self.env.user
        if not agent.has_group("guest_messaging.group_agent"):
            raise AccessError(self.env._("Only Guest Messaging agents can take conversations."))
        self.check_access("write")
        for conversation in self._lock_rows():
            if conversation.status == cs.AGENT_ASSIGNED:
                if conversation.agent_id == agent:
                    continue
                raise UserError(self.env._(
                    "%(agent)s is already handling this conversation.", agent=conversation.agent_id.name))
            if conversation.is_closed:
                raise UserError(conversation._closed_message())
            if conversation.status == cs.AWAITING_AGENT:
                body = self.env._("%(agent)s claimed the conversation", agent=agent.name)
            else:
                body = self.env._("%(agent)s took over from the bot", agent=agent.name)
            conversation._assign(agent, body)

    def _lock_rows(self):
        """Lock these conversations for this transaction, so two people acting at once cannot both win.

        The loser waits, then fails with a serialization error that Odoo retries; the retry sees
        the winner's change.
        """
        if self:
            self.flush_recordset()
            self.env.cr.execute(SQL(
                "SELECT id FROM guest_conversation WHERE id IN %s ORDER BY id FOR NO KEY UPDATE", tuple(self.ids)
            ), log_exceptions=False)
        return self

    def _check_may_act(self):
        """Conversations owned by an agent are theirs; managers may act on any."""
        for conversation in self:
            if conversation.status != cs.AGENT_ASSIGNED or conversation.agent_id == self.env.user:
                continue
            if self.env.su or self.env.user.has_group("guest_messaging.group_manager"):
                continue
            raise AccessError(self.env._(
                "%(agent)s is handling this conversation: only they or a manager can do that.",
                agent=conversation.agent_id.name))

    def _closed_message(self):
        return self.env._(
            "This conversation is %(status)s. It starts again with the bot when the guest writes.",
            status=dict(STATUS_SELECTION)[self.status].lower())

    @api.model
    def _valid_agent(self, user_id):
        if isinstance(user_id, models.BaseModel):
            user_id = user_id.id
        if not is_int(user_id) or user_id <= 0:
            raise UserError(self.env._("Choose the agent by their user id."))
        # sudo: res.users - any agent may be chosen, including ones the manager cannot read
        agent = self.env["res.users"].sudo().browse(user_id).exists()
        if not agent or not agent.active or agent.share or not agent.has_group("guest_messaging.group_agent"):
            raise UserError(self.env._("Conversations can only be assigned to active Guest Messaging agents."))
        missing = self.company_id - agent.company_ids
        if missing:
            raise UserError(self.env._(
                "%(agent)s has no access to %(company)s.", agent=agent.name, company=missing[0].name))
        return agent.with_env(self.env)

    def _assign(self, agent, body):
        """Give the conversation to ``agent``, leave ``body`` in the thread and tell the agent at once."""
        self.ensure_one()
        # every path that adds to an agent's load writes their row: two transactions adding to the
        # same agent conflict, so no maximum is exceeded from stale counts
        self.env.cr.execute(SQL(
            "UPDATE res_users SET guest_last_assigned_at = %s WHERE id = %s", fields.Datetime.now(), agent.id
        ), log_exceptions=False)
        agent.invalidate_recordset(["guest_last_assigned_at"])
        # sudo: guest.conversation - every caller checked who may give this conversation to whom
        self.sudo().write({"status": cs.AGENT_ASSIGNED, "agent_id": agent.id, "unclaimed_notified": False})
        self._post_system_message(body)
        # sudo: res.users - the bus message goes to the agent's own channel
        agent.sudo()._bus_send("guest_messaging/conversation_assigned", self._bus_summary())

    def _bus_summary(self):
        return {
            "id": self.id,
            "guest_name": self.display_name,
            "channel_type": self.channel_type,
            "status": self.status,
            "agent_id": self.agent_id.id,
            "preview": self.last_message_preview or "",
        }

    def _on_handed_back_to_bot(self):
        """The bot starts over; the booking bot overrides this to greet the guest."""
        self.write({"bot_state": False, "bot_context": False})

    def _on_no_agent_available(self):
        """Nobody eligible is free: tell the agents once per wait, so someone can claim it."""
        self.ensure_one()
        if self.unclaimed_notified:
            return
        self.unclaimed_notified = True
        # sudo: res.users - every agent of the company hears of it, whatever the current user may read
        agents = self.env["res.users"].sudo().search([
            ("groups_id", "in", self.env.ref("guest_messaging.group_agent").id),
            ("share", "=", False),
            ("company_ids", "in", self.company_id.id),
            ("guest_agent_status", "!=", "offline"),
        ])
        summary = self._bus_summary()
        for agent in agents:
            agent._bus_send("guest_messaging/conversation_waiting", summary)

    # === ROUTING === #
    def _trigger_routing(self):
        # sudo: guest.conversation - whether anybody waits is not the caller's business to see
        if self.sudo().search_count([("status", "=", cs.AWAITING_AGENT)], limit=1):
            self.env.ref("guest_messaging.ir_cron_route_conversations").sudo()._trigger()

    @api.model
    def _agent_active_counts(self, agent_ids):
        """How many conversations each agent is handling, in every company: the load routing weighs
        against their maximum. Read from the database, in this transaction's snapshot, whatever the
        current user may read."""
        if not agent_ids:
            return {}
        self.flush_model(["agent_id", "status"])
        return dict(self.env.execute_query(SQL(
            """
            SELECT agent_id, count(*) FROM guest_conversation
             WHERE agent_id = ANY(%s) AND status = %s
             GROUP BY agent_id
            """,
            list(agent_ids), cs.AGENT_ASSIGNED,
        )))

    def _agent_loads(self):
        """The online agents of this conversation's company with their active conversation counts."""
        self.ensure_one()
        rows = self.env.execute_query(SQL(
            """
            SELECT u.id, u.guest_agent_status, u.guest_max_conversations, u.guest_last_assigned_at
              FROM res_users u
             WHERE u.active AND NOT u.share AND u.guest_agent_status = 'online'
               AND EXISTS (SELECT 1 FROM res_groups_users_rel g WHERE g.uid = u.id AND g.gid = %(group)s)
               AND EXISTS (SELECT 1 FROM res_company_users_rel r WHERE r.user_id = u.id AND r.cid = %(company)s)
            """,
            group=self.env.ref("guest_messaging.group_agent").id,
            company=self.company_id.id,
        ))
        counts = self._agent_active_counts([row[0] for row in rows])
        return [AgentLoad(agent_id, status, counts.get(agent_id, 0), maximum, last)
                for agent_id, status, maximum, last in rows]

    def _route_next(self, passed_ids):
        """Route the longest-waiting conversation (of these, if any) not in ``passed_ids``.

        Returns (outcome, id), or (None, None) when nothing is left to route.
        """
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """
            SELECT id FROM guest_conversation
             WHERE status = %s AND NOT id = ANY(%s) AND (%s OR id = ANY(%s))
             ORDER BY escalated_at NULLS FIRST, id
             LIMIT 1
             FOR NO KEY UPDATE SKIP LOCKED
            """,
            cs.AWAITING_AGENT, list(passed_ids), not self, self.ids,
        ), log_exceptions=False)
        row = self.env.cr.fetchone()
        if not row:
            return None, None
        conversation = self.browse(row[0])
        conversation.invalidate_recordset()
        try:
            with self.env.cr.savepoint():
                chosen = pick_agent(conversation._agent_loads())
                if chosen is None:
                    conversation._on_no_agent_available()
                    return "waiting", conversation.id
                agent = self.env["res.users"].browse(chosen.agent_id)
                conversation._assign(agent, self.env._("Assigned to %(agent)s automatically", agent=agent.name))
                return "routed", conversation.id
        except PG_CONCURRENCY_ERRORS:
            raise
        # one broken conversation must not stop the others being routed
        except Exception:  # pylint: disable=broad-except
            _logger.exception("Routing conversation %s failed; it stays waiting.", conversation.id)
            return "failed", conversation.id

    @api.model
    def _cron_route_conversations(self, limit=200):
        return self.browse()._route_waiting(limit)

    def _route_waiting(self, limit=200):
        """Give waiting conversations (these, or all when called on none) to the least-loaded online
        agents, oldest escalation first; returns how many were assigned.

        One conversation per transaction: a conflict with a claim or another router (serialization
        failure) costs one retry on a fresh snapshot, never a double assignment.
        """
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        passed, routed, conflicts = set(), 0, 0
        while len(passed) < limit:
            try:
                outcome, conversation_id = self._route_next(passed)
            except PG_CONCURRENCY_ERRORS:
                if not auto_commit:
                    raise
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                conflicts += 1
                if conflicts > limit:
                    self.env.ref("guest_messaging.ir_cron_route_conversations")._trigger(
                        fields.Datetime.now() + timedelta(seconds=5))
                    break
                continue
            if outcome is None:
                break
            passed.add(conversation_id)
            routed += outcome == "routed"
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return routed

    # === SYSTEM MESSAGES === #
    def _post_system_message(self, body):
        """A line in the thread for staff ("Bot escalated to agent"); never sent to the guest."""
        # sudo: guest.message - system lines are written by the platform on behalf of whoever acted
        return self.env["guest.message"].sudo().create([
            {"conversation_id": conversation.id, "direction": "outbound", "author_type": "system",
             "message_type": "system", "body": body}
            for conversation in self
        ])

    # === TIMEOUTS === #
    @api.model
    def _timeout_minutes(self, param, default):
        """A timeout of Settings in minutes: ``default`` when unset, not a whole number or below one minute,
        at most a week."""
        # sudo: ir.config_parameter - the timeouts are read by the cron and the settings alike
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            minutes = int(str(value).strip())
        except (TypeError, ValueError):
            return default
        return min(minutes, MAX_TIMEOUT_MINUTES) if minutes >= 1 else default

    @api.model
    def _timed_out(self, status, column, older_than, batch_size):
        """Conversations in ``status`` whose ``column`` is older than the limit, locked for this transaction.

        Rows a webhook worker is busy with are skipped (SKIP LOCKED) and caught on the next run.
        """
        self.flush_model()
        limit_at = fields.Datetime.now() - older_than
        rows = self.env.execute_query(SQL(
            """
            SELECT id FROM guest_conversation
             WHERE status = %s AND %s < %s
             ORDER BY id
             LIMIT %s
             FOR NO KEY UPDATE SKIP LOCKED
            """,
            status, SQL.identifier(column), limit_at, batch_size,
        ))
        return self.browse([row[0] for row in rows])

    @api.model
    def _cron_conversation_timeouts(self, batch_size=500):
        """Idle bot conversations expire; unclaimed escalations go back to the bot."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        idle_minutes = self._timeout_minutes(BOT_IDLE_TIMEOUT_PARAM, BOT_IDLE_TIMEOUT_MINUTES)
        expired = self._timed_out(cs.BOT_HANDLING, "last_message_at", timedelta(minutes=idle_minutes), batch_size)
        if expired:
            expired.write({"status": cs.EXPIRED, "bot_state": False, "bot_context": False})
            expired._post_system_message(self.env._(
                "Conversation expired after %(minutes)s minutes without activity", minutes=idle_minutes))
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        unclaimed_minutes = self._timeout_minutes(UNCLAIMED_TIMEOUT_PARAM, UNCLAIMED_TIMEOUT_MINUTES)
        unclaimed = self._timed_out(cs.AWAITING_AGENT, "escalated_at", timedelta(minutes=unclaimed_minutes),
                                    batch_size)
        if unclaimed:
            unclaimed.write({"status": cs.BOT_HANDLING, "escalated_at": False, "unclaimed_notified": False})
            for conversation in unclaimed:
                conversation._on_handed_back_to_bot()
            unclaimed._post_system_message(self.env._(
                "No agent claimed the conversation within %(minutes)s minutes; handed back to the bot",
                minutes=unclaimed_minutes))
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        if len(expired) == batch_size or len(unclaimed) == batch_size:
            self.env.ref("guest_messaging.ir_cron_conversation_timeouts")._trigger()
        return len(expired), len(unclaimed)
