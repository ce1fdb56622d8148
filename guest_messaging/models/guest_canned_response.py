# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from guestmsg.core.placeholders import PLACEHOLDERS, unknown_placeholders

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SHORTCUT_RE = re.compile(r"^/[\w-]{1,31}$")


class GuestCannedResponse(models.Model):
    _name = "guest.canned.response"
    _description = "Guest Messaging Canned Response"
    _order = "category, sequence, name, id"

    # === FIELDS === #
    name = fields.Char("Title", required=True, translate=True)
    content = fields.Text(
        required=True, translate=True,
        help="Placeholders are filled from the conversation when an agent inserts the response: "
             "{guest_name}, {hotel_name}, {reservation_reference}, {check_in}, {check_out}, {room}. "
             "Write {{ and }} for a literal brace.")
    shortcut = fields.Char(required=True, help='Keyword typed in the composer, starting with "/", e.g. /checkin.')
    category = fields.Char(help='Topic that groups responses in the picker, e.g. "Booking".')
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    _sql_constraints = [
        ("shortcut_unique", "unique(company_id, shortcut)", "Another canned response already uses this shortcut."),
    ]

    # === CONSTRAINT === #
    @api.constrains("shortcut")
    def _check_shortcut(self):
        for response in self:
            if not SHORTCUT_RE.match(response.shortcut or ""):
                raise ValidationError(
                    self.env._(
                        'The shortcut "%(shortcut)s" must start with "/" followed by up to 31 letters, '
                        "digits, dashes or underscores.",
                        shortcut=response.shortcut,
                    )
                )

    @api.constrains("content")
    def _check_placeholders(self):
        languages = [code for code, _name in self.env["res.lang"].get_installed()]
        for response in self:
            for lang in dict.fromkeys([self.env.lang or "en_US", *languages]):
                unknown = unknown_placeholders(response.with_context(lang=lang).content)
                if unknown:
                    raise ValidationError(self.env._(
                        'The canned response "%(title)s" uses %(unknown)s, which is not a placeholder. '
                        "Use %(known)s, or write {{ and }} for a literal brace.",
                        title=response.name,
                        unknown=", ".join("{%s}" % name[:40] for name in unknown[:5]),
                        known=", ".join("{%s}" % name for name in PLACEHOLDERS),
                    ))

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalise_shortcut(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalise_shortcut(vals)
        return super().write(vals)

    @api.model
    def _normalise_shortcut(self, vals):
        shortcut = vals.get("shortcut")
        if isinstance(shortcut, str):
            shortcut = shortcut.strip().lower()
            if shortcut and not shortcut.startswith("/"):
                shortcut = "/" + shortcut
            vals["shortcut"] = shortcut
