# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..models.res_config_settings_template_rates import TEMPLATE_RATE_DEFAULTS, TEMPLATE_RATE_PARAM

TEMPLATE_INDEX = "guest_message_template_report_index"


class GuestTemplateReport(models.Model):
    _name = "guest.template.report"
    _inherit = "guest.report.view"
    _description = "WhatsApp Template Cost Analysis"
    _order = "date desc, id desc"
    _auto = False
    _rec_name = "template_name"

    # === FIELDS === #
    date = fields.Datetime("Sent on", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    connection_id = fields.Many2one("guest.channel.connection", "Connection", readonly=True)
    conversation_id = fields.Many2one("guest.conversation", "Conversation", readonly=True)
    template_name = fields.Char("Template", readonly=True)
    category = fields.Char(readonly=True, help="The category Meta gave the template; UNKNOWN when it is not synced.")
    delivery_status = fields.Selection(selection="_selection_delivery_status", readonly=True)
    is_service_window = fields.Boolean(
        "In service window", readonly=True, help="The guest wrote in the 24 hours before: utility templates are free.")
    estimated_cost = fields.Float(
        "Estimated cost (USD)", readonly=True, aggregator="sum", digits=(16, 4),
        help="The rate of the template's category in the settings; free in the service window for utility "
             "templates, and nothing for failed messages.")

    @api.model
    def _selection_delivery_status(self):
        return self.env["guest.message"]._fields["delivery_status"]._description_selection(self.env)

    # === TOOLING === #
    def _rate_sql(self, category):
        # read at query time, so a changed setting applies to past messages at once
        return SQL(
            """COALESCE((SELECT CASE WHEN p.value ~ '^\\s*[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?\\s*$'
                                     THEN p.value::numeric END
                           FROM ir_config_parameter p WHERE p.key = %s), %s)""",
            TEMPLATE_RATE_PARAM % category.lower(), TEMPLATE_RATE_DEFAULTS[category],
        )

    def _query(self):
        return SQL(
            """
            SELECT gm.id AS id,
                   gm.create_date AS date,
                   gm.company_id AS company_id,
                   gm.connection_id AS connection_id,
                   gm.conversation_id AS conversation_id,
                   gm.payload->>'template' AS template_name,
                   COALESCE(tpl.category, 'UNKNOWN') AS category,
                   gm.delivery_status AS delivery_status,
                   win.is_open AS is_service_window,
                   CASE
                       WHEN gm.delivery_status = 'failed' THEN 0.0
                       WHEN tpl.category = 'UTILITY' AND win.is_open THEN 0.0
                       WHEN tpl.category = 'UTILITY' THEN %(utility)s
                       WHEN tpl.category = 'MARKETING' THEN %(marketing)s
                       WHEN tpl.category = 'AUTHENTICATION' THEN %(authentication)s
                       ELSE 0.0
                   END::float AS estimated_cost
              FROM guest_message gm
              JOIN guest_channel_connection c ON c.id = gm.connection_id AND c.channel_type = 'whatsapp'
              LEFT JOIN LATERAL (
                    SELECT UPPER(t.category) AS category
                      FROM guest_whatsapp_template t
                     WHERE t.connection_id = gm.connection_id
                       AND t.name = gm.payload->>'template'
                       AND COALESCE(t.category, '') != ''
                  ORDER BY t.language = gm.payload->'wire'->'template'->'language'->>'code' DESC, t.active DESC, t.id
                     LIMIT 1
              ) tpl ON TRUE
              CROSS JOIN LATERAL (
                    SELECT EXISTS (
                        SELECT 1
                          FROM guest_message inbound
                         WHERE inbound.conversation_id = gm.conversation_id
                           AND inbound.direction = 'inbound'
                           AND inbound.author_type = 'guest'
                           AND inbound.create_date <= gm.create_date
                           AND inbound.create_date > gm.create_date - INTERVAL '24 hours'
                    ) AS is_open
              ) win
             WHERE gm.direction = 'outbound'
               AND gm.message_type = 'template'
            """,
            utility=self._rate_sql("UTILITY"),
            marketing=self._rate_sql("MARKETING"),
            authentication=self._rate_sql("AUTHENTICATION"),
        )

    def init(self):
        # templates are a sliver of the messages: a period of them is read from this small partial index
        # instead of a scan of every message
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS %s ON guest_message (create_date) "
            "WHERE message_type = 'template' AND direction = 'outbound'",
            SQL.identifier(TEMPLATE_INDEX),
        ))
        return super().init()
