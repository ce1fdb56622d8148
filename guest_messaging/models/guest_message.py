# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from guestmsg.channels.errors import ChannelCredentialError, ChannelError, ChannelTransientError
from guestmsg.channels.sandbox import SANDBOX
from guestmsg.core.backoff import backoff_delay

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OUTBOX_CRON_XMLID = "guest_messaging.ir_cron_send_outbox"
# how long a claimed message is left to its worker: a send makes at most a couple of Graph calls, each
# bounded by the client's timeouts (3 s to connect, 20 s to read); past it without an outcome, the worker died
SEND_LEASE = timedelta(minutes=3)
# transient failures are retried with full-jitter exponential backoff from 5 s, at most 5 minutes apart,
# for as long as Meta would still take the message (see _send_refusal)
RETRY_BASE_SECONDS = 5
RETRY_CAP_SECONDS = 300
# Datetime fields keep whole seconds: a shorter delay could be stored as already due
MIN_RETRY_SECONDS = 2
# templates may go out at any time; a booking notice Meta could not take within a day is stale
TEMPLATE_SEND_DEADLINE = timedelta(hours=24)
RESENDABLE_STATUSES = ("uncertain", "failed")

MESSAGE_TYPES = [
    ("text", "Text"),
    ("interactive", "Interactive"),
    ("template", "Template"),
    ("image", "Image"),
    ("audio", "Audio"),
    ("video", "Video"),
    ("document", "Document"),
    ("sticker", "Sticker"),
    ("location", "Location"),
    ("contacts", "Contacts"),
    ("reaction", "Reaction"),
    ("system", "System"),
    ("unsupported", "Unsupported"),
]

DIRECTIONS = [("inbound", "Inbound"), ("outbound", "Outbound")]
AUTHOR_TYPES = [("guest", "Guest"), ("bot", "Bot"), ("agent", "Agent"), ("system", "System")]

# named for the report that first needed it, kept so that existing databases are not indexed twice
CONVERSATION_DATE_INDEX = "guest_message_conversation_report_index"


class GuestMessage(models.Model):
    _name = "guest.message"
    _inherit = ["guest.queue.mixin"]
    _description = "Guest Conversation Message"
    _order = "id"
    _rec_name = "body"
    _queue_cron_xmlid = OUTBOX_CRON_XMLID

    # === FIELDS === #
    conversation_id = fields.Many2one("guest.conversation", required=True, index=True, ondelete="cascade")
    # the messages of a period: counted for the reports a quarter hour at a time (guest.message.tally)
    create_date = fields.Datetime(index=True)
    connection_id = fields.Many2one(related="conversation_id.connection_id", store=True, index=True)
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    direction = fields.Selection(DIRECTIONS, required=True)
    author_type = fields.Selection(AUTHOR_TYPES, required=True)
    author_id = fields.Many2one("res.users", "Author", index="btree_not_null")
    body = fields.Text()
    message_type = fields.Selection(MESSAGE_TYPES, required=True, default="text")
    payload = fields.Json()
    platform_message_id = fields.Char("Platform message ID", copy=False)
    delivery_status = fields.Selection(
        [
            ("received", "Received"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("read", "Read"),
            ("failed", "Failed"),
            ("uncertain", "Uncertain"),
        ],
        index="btree_not_null",
        help="Uncertain: the send was cut off and Meta may or may not have taken the message. It is never "
             "sent again by itself: check the guest's chat, then use Resend.",
    )
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    send_attempts = fields.Integer(readonly=True, default=0)
    next_attempt_at = fields.Datetime(readonly=True)
    send_started_at = fields.Datetime(readonly=True, copy=False)
    resent_at = fields.Datetime(readonly=True, copy=False, help="When staff last queued the message again.")
    attachment_id = fields.Many2one("ir.attachment", readonly=True, copy=False, ondelete="set null")

    _sql_constraints = [
        (
            "platform_message_id_unique",
            "unique(connection_id, platform_message_id)",
            "This platform message was already recorded for this connection.",
        ),
    ]

    def init(self):
        # a conversation's messages over time, with who wrote them: read from this index alone when the
        # counters are counted again and when a template report looks for the guest's last message
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS %s ON guest_message (conversation_id, create_date) "
            "INCLUDE (direction, author_type)",
            SQL.identifier(CONVERSATION_DATE_INDEX),
        ))

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        self._check_platform_only()
        conversations = self.env["guest.conversation"].browse(
            {vals["conversation_id"] for vals in vals_list if vals.get("conversation_id")})
        for vals in vals_list:
            if not vals.get("delivery_status") and vals.get("direction") == "inbound":
                vals["delivery_status"] = "received"
            if vals.get("conversation_id"):
                # the related columns, written with the row rather than by an update after it
                conversation = conversations.browse(vals["conversation_id"])
                vals["connection_id"] = conversation.connection_id.id
                vals["company_id"] = conversation.company_id.id
        messages = super().create(vals_list)
        messages._update_conversations()
        return messages

    def write(self, vals):
        self._check_platform_only()
        result = super().write(vals)
        if "delivery_status" in vals:
            self.conversation_id._notify_inbox()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_write_off_counted_messages(self):
        self.env["guest.message.tally"]._write_off(SQL("gm.id = ANY(%s)", self.ids))

    @api.model
    def _check_platform_only(self):
        """Messages are written by the product alone (guests' webhooks, the bot, agents' Send, template
        events): a message created or changed by hand could reach a guest from the outbox, as root."""
        if not self.env.su:
            raise AccessError(self.env._(
                "Guest messages are written by Guest Messaging itself: use Send in the inbox to write to a guest."))

    def _has_fetchable_media(self):
        """Whether the channel holds media of this message that staff may download through the server."""
        self.ensure_one()
        return bool((self.payload or {}).get("media_id"))

    def _shared_link(self):
        """A link the guest shared (a post, a location...): shown to staff as a link, never fetched."""
        self.ensure_one()
        url = (self.payload or {}).get("url")
        if self._has_fetchable_media() or not isinstance(url, str):
            return False
        return url if urlsplit(url).scheme in ("http", "https") else False

    # === ACTION === #
    def action_fetch_media(self):
        """Download the media of an inbound message into an attachment, once, when staff open it."""
        self.ensure_one()
        if not self.attachment_id:
            handler = getattr(self, f"_fetch_media_{self.connection_id.channel_type}", None)
            if handler is None or not ((self.payload or {}).get("media_id") or (self.payload or {}).get("url")):
                return False
            # sudo: ir.attachment - the media belongs to a conversation this user can read
            self.sudo().attachment_id = handler()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_resend(self):
        """Queue failed messages, or ones Meta may not have received, again: staff checked the guest's chat."""
        conversations = self.conversation_id
        conversations.check_access("write")
        conversations._check_may_act()
        for message in self:
            refusal = message._resend_refusal()
            if refusal:
                raise UserError(refusal)
        # sudo: guest.message - messages are written by the platform; the user may act on these conversations
        resent = self.sudo()
        resent.write({
            "delivery_status": "queued",
            "resent_at": fields.Datetime.now(),
            "send_attempts": 0,
            "next_attempt_at": False,
            "send_started_at": False,
            "error_code": False,
            "error_message": False,
        })
        resent._queue_wake()
        return True

    # === BUSINESS === #
    def _update_conversations(self):
        """Keep the conversations' list columns (last message, unread) and counters in step."""
        for conversation in self.conversation_id:
            conversation._add_messages(self.filtered(lambda m, c=conversation: m.conversation_id == c))

    # === OUTBOX === #
    def _queue_waiting(self):
        return SQL("delivery_status = 'queued' AND direction = 'outbound'")

    @api.model
    def _cron_send_outbox(self, batch_size=50):
        """Send queued messages, each in its own transaction, after the one that queued it committed."""
        return self._queue_run(batch_size, lambda message, _auto_commit: message._send_one())

    def _queue_claim(self):
        """Lease the message to this worker for one send, or settle it without calling Meta: when an
        earlier claim never came to an outcome, or a retry Meta would no longer take."""
        self.ensure_one()
        if self.send_started_at:
            # a worker died during the call: Meta may have accepted it, and sending again could deliver it twice
            self._mark_uncertain("interrupted", self.env._("sending was interrupted"))
            return False
        refusal = self.send_attempts and self._send_refusal()
        if refusal:
            self._fail(ChannelError(message=refusal, code="expired"))
            return False
        now = fields.Datetime.now()
        self.write({"send_started_at": now, "send_attempts": self.send_attempts + 1,
                    "next_attempt_at": now + SEND_LEASE})
        return True

    def _send_refusal(self):
        """Why Meta would no longer take this message, or False. Free text goes while the conversation
        lets staff write to the guest (Meta's window); a template until TEMPLATE_SEND_DEADLINE after it
        was queued."""
        self.ensure_one()
        if self.message_type != "template":
            return self.conversation_id._agent_reply_refusal()
        if fields.Datetime.now() - (self.resent_at or self.create_date) < TEMPLATE_SEND_DEADLINE:
            return False
        return self.env._("This template could not be sent within 24 hours of being queued and was given up.")

    def _send_one(self):
        self.ensure_one()
        sender = getattr(self, f"_send_{self.connection_id.channel_type}", None)
        try:
            if sender is None:
                raise NotImplementedError(f"No sender is installed for {self.connection_id.channel_type}.")
            if self.connection_id.state == "disconnected":
                raise ChannelError(message=self.env._("The connection is disconnected."))
            platform_id = sender()
        except ChannelError as exc:
            self._on_send_error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in one message never blocks the outbox
            _logger.exception("Sending guest message %s failed", self.id)
            self._fail(ChannelError(message=f"{type(exc).__name__}: {exc}"))
        else:
            self.write({
                "delivery_status": "sent",
                "platform_message_id": platform_id,
                "send_started_at": False,
                "next_attempt_at": False,
                "error_code": False,
                "error_message": False,
            })

    def _send_sandbox(self):
        """The Guest Simulator reads the message from the database: it is delivered at once."""
        return f"{SANDBOX.code}.{uuid.uuid4().hex}"

    def _on_send_error(self, exc):
        if exc.ambiguous:
            # e.g. a read timeout: Meta may have taken it, and the Cloud API has no idempotency key
            self._mark_uncertain(str(exc.code or exc.http_status or "uncertain"), exc.message)
        elif isinstance(exc, ChannelTransientError):
            self._retry_later(exc)
        elif isinstance(exc, ChannelCredentialError):
            self._fail(exc)
            self.connection_id._set_credentials_error(exc)
        else:
            self._fail(exc)

    def _retry_later(self, exc):
        retry_at = fields.Datetime.now() + timedelta(seconds=backoff_delay(
            self.send_attempts, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS, retry_after=exc.retry_after,
            floor=MIN_RETRY_SECONDS))
        self.write({
            "next_attempt_at": retry_at,
            "send_started_at": False,
            "error_code": str(exc.code or exc.http_status or ""),
            "error_message": self.env._("Will retry: %(error)s", error=exc.message),
        })
        self.env.ref(OUTBOX_CRON_XMLID)._trigger(at=retry_at)

    def _mark_uncertain(self, code, reason):
        self.write({
            "delivery_status": "uncertain",
            "send_started_at": False,
            "next_attempt_at": False,
            "error_code": code,
            "error_message": self.env._(
                "Meta may or may not have received this message (%(reason)s). Check the guest's chat, and "
                "use Resend if it did not arrive.", reason=reason),
        })

    def _fail(self, exc):
        self.write({
            "delivery_status": "failed",
            "send_started_at": False,
            "next_attempt_at": False,
            "error_code": str(exc.code or exc.http_status or "error"),
            "error_message": exc.message,
        })

    def _is_resendable(self):
        """Whether the message is one Resend applies to, whoever asks."""
        self.ensure_one()
        return (self.direction == "outbound" and self.author_type in ("agent", "bot")
                and self.delivery_status in RESENDABLE_STATUSES)

    def _resend_refusal(self):
        """Why this message cannot be queued again now, or False."""
        self.ensure_one()
        if not self._is_resendable():
            return self.env._(
                "Only agent and bot messages that failed, or that Meta may not have received, can be sent again.")
        if self.message_type != "template":
            return self.conversation_id._agent_reply_refusal()
        return False
