# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.website_chat import wire_message

from odoo import fields, models


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    livechat_session_id = fields.Many2one(
        "discuss.channel", "Live Chat session", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null", help="The visitor's latest chat session: where the answers are posted.")

    def _wire_payloads_website_chat(self, rendered):
        return [wire_message(rendered)]
