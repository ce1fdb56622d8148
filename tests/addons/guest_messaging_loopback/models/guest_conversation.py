# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    def _wire_payloads_loopback(self, rendered):
        return [{"kind": rendered.kind, "text": rendered.body,
                 "options": [{"id": o.id, "title": o.title} for o in rendered.options]}]
