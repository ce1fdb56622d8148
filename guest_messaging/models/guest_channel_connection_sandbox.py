# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Sandbox, the channel the core ships: staff play a guest in the browser (the Guest Simulator) and
the product answers as it would on the channel the connection's profile names; nothing leaves Odoo."""

import json
import uuid

from guestmsg.channels import channels
from guestmsg.channels.sandbox import SANDBOX
from guestmsg.core.json_values import is_int

from odoo import api, fields, models
from odoo.exceptions import UserError

MAX_SANDBOX_TEXT = 4096


class GuestChannelConnection(models.Model):
    _inherit = "guest.channel.connection"

    sandbox_profile = fields.Selection(
        "_selection_sandbox_profile", default=lambda self: self._default_sandbox_profile(),
        help="The channel whose buttons, lists and limits the Guest Simulator shows.",
    )

    @api.model
    def _selection_sandbox_profile(self):
        """Every channel a guest can write on, by the registry: the Sandbox plays one of them."""
        return [declared.selection() for declared in channels() if declared.code != SANDBOX.code]

    @api.model
    def _default_sandbox_profile(self):
        return next(iter(self._selection_sandbox_profile()), (False,))[0]

    @api.model
    def _sandbox_connection(self, connection_id):
        """The connection ``connection_id`` names, or an empty recordset for anything else."""
        if not is_int(connection_id) or connection_id <= 0:
            return self.browse()
        return self.browse(connection_id).exists()

    @api.model
    def sandbox_send(self, connection_id, guest_key, text=None, reply_id=None, guest_name=None):
        """The Guest Simulator's guest writes or taps: stored as a webhook event, like Meta's, for the worker."""
        connection = self._sandbox_connection(connection_id)
        if not connection or connection.channel_type != SANDBOX.code:
            raise UserError(self.env._("Choose a Sandbox connection to simulate a guest."))
        connection.check_access("read")
        guest_key = str(guest_key or "").strip()[:64]
        text = (text or "").strip()
        if not guest_key or not (text or reply_id):
            raise UserError(self.env._("Write a message or tap an option."))
        if len(text) > MAX_SANDBOX_TEXT:
            raise UserError(self.env._("A message can hold at most 4096 characters."))
        body = json.dumps({
            "connection_id": connection.id,
            "guest_key": guest_key,
            "guest_name": (guest_name or "").strip()[:128] or None,
            "message_id": f"sandbox.{uuid.uuid4().hex}",
            "text": text or None,
            "reply_id": str(reply_id)[:256] if reply_id else None,
        }).encode()
        # sudo: guest.webhook.event - the simulator takes the same path as a verified Meta webhook
        event = self.env["guest.webhook.event"].sudo()._store(SANDBOX.code, body, connection=connection)
        return event.id

    @api.model
    def sandbox_poll(self, connection_id, guest_key, after_id=0):
        """What the simulated guest's phone shows: the conversation's messages after ``after_id``."""
        connection = self._sandbox_connection(connection_id)
        if not connection:
            return {"messages": [], "status": False, "status_label": False}
        if not is_int(after_id):
            raise UserError(self.env._("Poll the simulated guest's messages after a message id."))
        connection.check_access("read")
        conversation = self.env["guest.conversation"].search(
            [("connection_id", "=", connection.id), ("guest_external_id", "=", str(guest_key))], limit=1
        )
        messages = conversation.guest_message_ids.filtered(
            lambda m: m.id > after_id and m.author_type != "system"
        )
        statuses = dict(conversation._fields["status"]._description_selection(self.env))
        return {
            "status": conversation.status,
            "status_label": statuses.get(conversation.status, False),
            "messages": [
                {
                    "id": m.id,
                    "from_guest": m.direction == "inbound",
                    "author_type": m.author_type,
                    "body": m.body or "",
                    "rendered": (m.payload or {}).get("wire") if m.direction == "outbound" else None,
                    "delivery_status": m.delivery_status,
                }
                for m in messages
            ],
        }
