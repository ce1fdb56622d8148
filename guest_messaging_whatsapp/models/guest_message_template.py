# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.whatsapp import WHATSAPP
from guestmsg.channels.whatsapp.template_events import EVENT_VARIABLES, MappingError, validate_mapping

from odoo import api, fields, models
from odoo.exceptions import ValidationError

EVENT_TYPES = [
    ("reservation_confirmed", "Reservation confirmed"),
    ("check_in_reminder", "Check-in reminder"),
]


class GuestMessageTemplate(models.Model):
    _name = "guest.message.template"
    _description = "WhatsApp Template Mapping"
    _order = "connection_id, event_type, language"
    _rec_name = "template_name"

    # === FIELDS === #
    active = fields.Boolean(default=True)
    connection_id = fields.Many2one(
        "guest.channel.connection",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("channel_type", "=", WHATSAPP.code)],
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    whatsapp_template_id = fields.Many2one(
        "guest.whatsapp.template",
        "Template at Meta",
        domain="[('connection_id', '=', connection_id), ('status', '=', 'APPROVED')]",
        ondelete="set null",
        help="Pick one of the templates synced from Meta; its name, language and parameter count are then used.",
    )
    whatsapp_template_status = fields.Char(
        "Status at Meta", related="whatsapp_template_id.status",
        help="Only an APPROVED template can be sent; Meta's webhooks keep this current.")
    whatsapp_template_reason = fields.Char(
        "Meta's reason", related="whatsapp_template_id.rejection_reason",
        help="Why Meta rejected, paused or disabled the template, in Meta's words.")
    template_name = fields.Char(required=True, help="Exact name of the approved template in Meta (case-sensitive).")
    language = fields.Char(required=True, default="en_US", help="Language code of the approved template, e.g. en_US.")
    event_type = fields.Selection(EVENT_TYPES, required=True)
    parameter_mapping = fields.Json(
        default=dict, help='Template body parameter positions mapped to event variables, e.g. {"1": "guestName"}.'
    )
    available_variables = fields.Char(compute="_compute_available_variables")

    _sql_constraints = [
        (
            "event_language_unique",
            "unique(connection_id, event_type, language)",
            "This event already has a template in this language for this connection.",
        ),
    ]

    # === COMPUTE === #
    @api.depends("event_type")
    def _compute_available_variables(self):
        for template in self:
            template.available_variables = ", ".join(EVENT_VARIABLES.get(template.event_type) or ())

    # === CONSTRAINT === #
    @api.constrains("event_type", "parameter_mapping", "connection_id", "whatsapp_template_id", "language")
    def _check_parameter_mapping(self):
        for template in self:
            if template.connection_id.channel_type != WHATSAPP.code:
                raise ValidationError(self.env._("Templates can only be mapped on WhatsApp connections."))
            meta = template.whatsapp_template_id
            if meta and (meta.connection_id != template.connection_id or meta.language != template.language
                         or meta.name != template.template_name):
                raise ValidationError(self.env._(
                    "The template at Meta is %(name)s in %(language)s on %(connection)s: the mapping must match it.",
                    name=meta.name, language=meta.language, connection=meta.connection_id.name))
            try:
                mapping = template.parameter_mapping
                validate_mapping(template.event_type, {} if mapping in (None, False) else mapping,
                                 parameter_count=meta.parameter_count if meta else None)
            except MappingError as exc:
                raise ValidationError(str(exc)) from None

    @api.onchange("whatsapp_template_id")
    def _onchange_whatsapp_template_id(self):
        if self.whatsapp_template_id:
            self.template_name = self.whatsapp_template_id.name
            self.language = self.whatsapp_template_id.language

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalise_mapping(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalise_mapping(vals)
        return super().write(vals)

    @api.model
    def _normalise_mapping(self, vals):
        """Accept the mapping as JSON text too, as a manager would paste it."""
        if isinstance(vals.get("parameter_mapping"), str):
            try:
                vals["parameter_mapping"] = validate_mapping(
                    vals.get("event_type") or self[:1].event_type or "reservation_confirmed",
                    vals["parameter_mapping"],
                )
            except MappingError as exc:
                raise ValidationError(str(exc)) from None
