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
    rejection_reason = fields.Char(readonly=True, help="Why Meta rejected, paused or disabled the template.")
    quality_score = fields.Char(readonly=True, help="Meta's quality rating: GREEN, YELLOW, RED or UNKNOWN.")

    _sql_constraints = [
        ("template_unique", "unique(connection_id, name, language)", "This template is already listed."),
    ]

    @api.depends("name", "language", "status")
    def _compute_display_name(self):
        for template in self:
            template.display_name = f"{template.name} ({template.language}, {(template.status or '').lower()})"

    @api.model
    def _apply_meta_update(self, connections, update):
        """A template webhook (guestmsg.channels.whatsapp.webhook.TemplateUpdate) for these connections' account:
        the synced template changes at once; managers hear of a mapped template that can no longer go."""
        domain = [("connection_id", "in", connections.ids)]
        if update.template_id:
            templates = self.with_context(active_test=False).search([*domain, ("meta_id", "=", update.template_id)])
        else:
            templates = self.browse()
        if not templates and update.name:
            templates = self.with_context(active_test=False).search([
                *domain, ("name", "=", update.name),
                *([("language", "=", update.language)] if update.language else [])])
        if not templates and update.status and update.name and update.language:
            templates = self.create([{
                "connection_id": connection.id, "meta_id": update.template_id, "name": update.name,
                "language": update.language, "status": update.status, "category": update.category,
            } for connection in connections])
        vals = {key: value for key, value in (
            ("status", update.status), ("quality_score", update.quality), ("category", update.category)) if value}
        if update.status:
            vals["rejection_reason"] = update.reason or False
        for template in templates:
            was_approved = template.status == "APPROVED"
            template.write(vals)
            if was_approved and template.status != "APPROVED":
                template._notify_mapped_unsendable()
        return len(templates)

    def _notify_mapped_unsendable(self):
        self.ensure_one()
        mappings = self.env["guest.message.template"].search([
            ("connection_id", "=", self.connection_id.id), "|", ("whatsapp_template_id", "=", self.id),
            "&", ("template_name", "=", self.name), ("language", "=", self.language)])
        if not mappings:
            return
        events = ", ".join(dict(mappings._fields["event_type"].selection)[m.event_type] for m in mappings)
        reason = " (%s)" % self.rejection_reason if self.rejection_reason else ""
        self.connection_id._notify_managers(self.env._(
            "Meta set the template %(name)s (%(language)s) to %(status)s%(reason)s: %(events)s cannot be sent "
            "until it is approved again or another template is mapped.",
            name=self.name, language=self.language, status=self.status, reason=reason, events=events))

