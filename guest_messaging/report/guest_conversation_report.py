# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.core import conversation_status as cs

from odoo import fields, models
from odoo.tools import SQL

from ..models.guest_conversation import STATUS_SELECTION


class GuestConversationReport(models.Model):
    _name = "guest.conversation.report"
    _inherit = "guest.report.view"
    _description = "Guest Conversation Analysis"
    _order = "date desc, id desc"
    _auto = False
    _rec_name = "conversation_id"

    # === FIELDS === #
    conversation_id = fields.Many2one("guest.conversation", "Conversation", readonly=True)
    date = fields.Datetime("Started on", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    connection_id = fields.Many2one("guest.channel.connection", "Connection", readonly=True)
    channel_type = fields.Selection(selection="_selection_channel_type", string="Channel", readonly=True)
    language = fields.Selection(selection="_selection_language", readonly=True,
                                help="The language the guest writes in, as far as it is known.")
    agent_id = fields.Many2one("res.users", "Agent", readonly=True)
    status = fields.Selection(STATUS_SELECTION, readonly=True)
    escalated = fields.Boolean(
        readonly=True, help="The conversation reached a person: it waits for one, an agent has it or wrote in it.")
    bot_only = fields.Boolean("Bot only", readonly=True, help="No person was asked for and no agent wrote.")
    expired = fields.Boolean(readonly=True)
    escalated_rate = fields.Integer(
        "Escalation share (%)", aggregator="avg", readonly=True,
        help="100 for an escalated conversation, 0 otherwise: its average is the share of escalations.")
    bot_only_rate = fields.Integer(
        "Bot-only share (%)", aggregator="avg", readonly=True,
        help="100 for a conversation the bot handled alone, 0 otherwise: its average is the bot-only share.")
    first_response_minutes = fields.Float(
        "First response (min)", digits=(16, 1), aggregator="avg", readonly=True,
        help="Minutes from the escalation to the first agent message after it.")
    resolution_minutes = fields.Float(
        "Resolution time (min)", digits=(16, 1), aggregator="avg", readonly=True,
        help="Minutes from the start of a resolved conversation to its last message.")
    rating = fields.Float("Guest rating", aggregator="avg", readonly=True,
                          help="The guest's rating of the last resolution, 1 to 5; empty when not rated.")
    rated_agent_id = fields.Many2one("res.users", "Rated agent", readonly=True)
    message_count = fields.Integer("Messages", aggregator="sum", readonly=True)
    inbound_count = fields.Integer("Guest messages", aggregator="sum", readonly=True)

    # === TOOLING === #
    def _language_sql(self):
        """The guest's language code without territory (``c`` is the conversation): the channel's locale for
        them, else their contact's language."""
        return SQL(
            "lower(split_part(replace(COALESCE(NULLIF(c.guest_locale, ''), "
            "(SELECT p.lang FROM res_partner p WHERE p.id = c.partner_id)), '-', '_'), '_', 1))")

    def _extra_columns(self):
        """The "expression AS column" SQL an addon adds to each row (``c`` is the conversation), for the
        fields it declares on this model."""
        return []

    def _query(self):
        # Handing back to the bot clears escalated_at, so a conversation that reached a person is also
        # recognised by its agent or by an agent's message. Message figures are the conversation's counters
        # (guest_conversation_message_counts): the analysis reads no message.
        extra = self._extra_columns()
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS conversation_id,
                   c.create_date AS date,
                   c.company_id AS company_id,
                   c.connection_id AS connection_id,
                   c.channel_type AS channel_type,
                   NULLIF(%(language)s, '') AS language,
                   c.agent_id AS agent_id,
                   c.status AS status,
                   s.escalated AS escalated,
                   NOT s.escalated AS bot_only,
                   c.status = %(expired)s AS expired,
                   CASE WHEN s.escalated THEN 100 ELSE 0 END AS escalated_rate,
                   CASE WHEN s.escalated THEN 0 ELSE 100 END AS bot_only_rate,
                   CASE WHEN c.first_response_at >= c.escalated_at
                        THEN EXTRACT(EPOCH FROM c.first_response_at - c.escalated_at) / 60.0
                   END AS first_response_minutes,
                   CASE WHEN c.status = %(resolved)s
                        THEN EXTRACT(EPOCH FROM c.last_message_at - c.create_date) / 60.0
                   END AS resolution_minutes,
                   NULLIF(c.rating, 0)::float AS rating,
                   c.rating_agent_id AS rated_agent_id,
                   c.guest_message_count AS message_count,
                   c.guest_inbound_count AS inbound_count
                   %(extra)s
              FROM guest_conversation c
             CROSS JOIN LATERAL (
                    SELECT c.escalated_at IS NOT NULL OR c.agent_id IS NOT NULL OR c.agent_message_count > 0
                           AS escalated
                   ) s
            """,
            language=self._language_sql(),
            expired=cs.EXPIRED,
            resolved=cs.RESOLVED,
            extra=SQL(", ").join([SQL(""), *extra]) if extra else SQL(),
        )
