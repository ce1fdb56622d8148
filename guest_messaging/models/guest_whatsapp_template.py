# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class GuestWhatsappTemplate(models.Model):
    """A message template of a WhatsApp Business Account, as last synced from Meta."""

    _name = "guest.whatsapp.template"
    _description = "WhatsApp Template (from Meta)"
    _order = "connection_id, name, language"

    connection_id = fields.Many2one("guest.channel.connection", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    active = fields.Boolean(default=True)
    meta_id = fields.Char("ID at Meta", readonly=True)
    name = fields.Char(required=True, readonly=True)
    language = fields.Char(required=True, readonly=True)
    category = fields.Char(readonly=True)
    status = fields.Char(readonly=True, help="APPROVED templates can be sent; others are listed for information.")
    body = fields.Text(readonly=True)
    parameter_count = fields.Integer("Body parameters", readonly=True)

    _sql_constraints = [
        ("template_unique", "unique(connection_id, name, language)", "This template is already listed."),
    ]

    @api.depends("name", "language", "status")
    def _compute_display_name(self):
        for template in self:
            template.display_name = f"{template.name} ({template.language}, {(template.status or '').lower()})"
