# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Contacts keep their number in E.164 (phone_validation's sanitized field), indexed, so a guest's
    verified WhatsApp number finds its contact without scanning every partner."""

    _name = "res.partner"
    _inherit = ["mail.thread.phone", "res.partner"]

    phone_sanitized = fields.Char(index="btree_not_null")
