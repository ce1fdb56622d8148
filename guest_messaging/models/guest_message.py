# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from guestmsg.graph import GraphError, GraphTokenError, GraphTransientError, backoff_delay

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OUTBOX_CRON_XMLID = "guest_messaging.ir_cron_send_outbox"
MAX_SEND_ATTEMPTS = 6
# Datetime fields keep whole seconds: a shorter delay could be stored as already due
MIN_RETRY_SECONDS = 2
# a send that started this long ago without an outcome was interrupted mid-call
UNCERTAIN_AFTER = timedelta(minutes=10)

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

PREVIEW_LENGTH = 120


class GuestMessage(models.Model):
    _name = "guest.message"
    _inherit = ["guest.queue.mixin"]
    _description = "Guest Conversation Message"
    _order = "id"
    _rec_name = "body"
    _queue_cron_xmlid = OUTBOX_CRON_XMLID

    # === FIELDS === #
    conversation_id = fields.Many2one("guest.conversation", required=True, index=True, ondelete="cascade")
    connection_id = fields.Many2one(related="conversation_id.connection_id", store=True, index=True)
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], required=True)
    author_type = fields.Selection(
        [("guest", "Guest"), ("bot", "Bot"), ("agent", "Agent"), ("system", "System")], required=True
    )
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
        ],
        index="btree_not_null",
    )
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    send_attempts = fields.Integer(readonly=True, default=0)
    next_attempt_at = fields.Datetime(readonly=True)
    send_started_at = fields.Datetime(readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", readonly=True, copy=False, ondelete="set null")

    _sql_constraints = [
        (
            "platform_message_id_unique",
            "unique(connection_id, platform_message_id)",
            "This platform message was already recorded for this connection.",
        ),
    ]

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("delivery_status") and vals.get("direction") == "inbound":
                vals["delivery_status"] = "received"
        messages = super().create(vals_list)
        messages._update_conversations()
        return messages

    def write(self, vals):
        result = super().write(vals)
        if "delivery_status" in vals:
            self.conversation_id._notify_inbox()
        return result

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

    # === BUSINESS === #
    def _update_conversations(self):
        """Keep the conversation's list columns (last message, unread) in step."""
        for conversation in self.conversation_id:
            mine = self.filtered(lambda m, c=conversation: m.conversation_id == c)
            last = mine[-1]
            inbound = mine.filtered(lambda m: m.direction == "inbound" and m.author_type == "guest")
            vals = {
                "last_message_at": max(last.create_date, conversation.last_message_at or last.create_date),
                "last_message_preview": (last.body or "")[:PREVIEW_LENGTH] or last.message_type,
            }
            if inbound:
                vals["last_inbound_at"] = max(inbound.mapped("create_date"))
            # sudo: guest.conversation - list columns are maintained whoever posted the message
            conversation.sudo().write(vals)
            if inbound:
                # one atomic increment, safe when webhooks for one guest arrive in parallel
                self.env.execute_query(
                    SQL(
                        "UPDATE guest_conversation SET unread_count = unread_count + %s WHERE id = %s",
                        len(inbound),
                        conversation.id,
                    )
                )
                conversation.invalidate_recordset(["unread_count"])

    # === OUTBOX === #
    def _queue_waiting(self):
        return SQL("delivery_status = 'queued' AND direction = 'outbound'")

    @api.model
    def _cron_send_outbox(self, batch_size=50):
        """Send queued messages, each in its own transaction, after the one that queued it committed."""
        return self._queue_run(batch_size, lambda message, auto_commit: message._send_one(auto_commit))

    def _send_one(self, auto_commit):
        self.ensure_one()
        now = fields.Datetime.now()
        if self.send_started_at and now - self.send_started_at <= UNCERTAIN_AFTER:
            return  # another worker is calling Meta for it right now
        if self.send_started_at:
            # a worker died during the call: Meta may have accepted it, and sending again could deliver it twice
            self.write({
                "delivery_status": "failed",
                "error_code": "uncertain",
                "error_message": self.env._(
                    "Sending was interrupted and Meta may or may not have delivered this message. "
                    "Check the guest's chat before sending it again."
                ),
            })
            return
        self.write({"send_started_at": now, "send_attempts": self.send_attempts + 1})
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        sender = getattr(self, f"_send_{self.connection_id.channel_type}", None)
        try:
            if sender is None:
                raise NotImplementedError(f"No sender is installed for {self.connection_id.channel_type}.")
            if self.connection_id.state == "disconnected":
                raise GraphError(message=self.env._("The connection is disconnected."))
            platform_id = sender()
        except GraphTransientError as exc:
            self._retry_later(exc)
        except GraphTokenError as exc:
            self._fail(exc)
            self.connection_id._set_token_error(exc)
        except GraphError as exc:
            self._fail(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in one message never blocks the outbox
            _logger.exception("Sending guest message %s failed", self.id)
            self._fail(GraphError(message=f"{type(exc).__name__}: {exc}"))
        else:
            self.write({
                "delivery_status": "sent",
                "platform_message_id": platform_id,
                "send_started_at": False,
                "error_code": False,
                "error_message": False,
            })

    def _retry_later(self, exc):
        if self.send_attempts >= MAX_SEND_ATTEMPTS:
            self._fail(exc)
            return
        retry_at = fields.Datetime.now() + timedelta(
            seconds=backoff_delay(self.send_attempts, base=5, cap=1800, retry_after=exc.retry_after,
                                  floor=MIN_RETRY_SECONDS)
        )
        self.write({
            "next_attempt_at": retry_at,
            "send_started_at": False,
            "error_code": str(exc.code or exc.http_status or ""),
            "error_message": self.env._("Will retry: %(error)s", error=exc.message),
        })
        self.env.ref(OUTBOX_CRON_XMLID)._trigger(at=retry_at)

    def _fail(self, exc):
        self.write({
            "delivery_status": "failed",
            "send_started_at": False,
            "error_code": str(exc.code or exc.http_status or "error"),
            "error_message": exc.message,
        })
