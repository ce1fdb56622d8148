# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

COUNTER_FIELDS = ["unread_count", "guest_message_count", "guest_inbound_count", "agent_message_count",
                  "first_response_at"]


class GuestConversation(models.Model):
    """What the reports need of a conversation's messages, kept on the conversation as its messages are
    written, so that an analysis of many conversations reads no message."""

    _inherit = "guest.conversation"

    guest_message_count = fields.Integer("Message count", default=0, readonly=True, copy=False)
    guest_inbound_count = fields.Integer("Inbound message count", default=0, readonly=True, copy=False)
    agent_message_count = fields.Integer("Agent message count", default=0, readonly=True, copy=False)
    first_response_at = fields.Datetime(
        readonly=True, copy=False,
        help="The first message an agent wrote after the escalation; from an earlier escalation when it is "
             "older than the current one.")

    @api.ondelete(at_uninstall=False)
    def _unlink_write_off_counted_messages(self):
        # their messages go with them (ON DELETE CASCADE), without guest.message's own unlink
        self.env["guest.message.tally"]._write_off(SQL("gm.conversation_id = ANY(%s)", self.ids))

    def _count_new_messages(self, messages, unread):
        """Add ``messages``, just created in this conversation, to its counters: one atomic update, as
        webhooks for one guest may be processed in parallel."""
        self.ensure_one()
        replies = messages.filtered(lambda m: m.direction == "outbound" and m.author_type == "agent")
        self.flush_recordset(["escalated_at", *COUNTER_FIELDS])
        self.env.execute_query(SQL(
            """
            UPDATE guest_conversation
               SET unread_count = unread_count + %(unread)s,
                   guest_message_count = guest_message_count + %(count)s,
                   guest_inbound_count = guest_inbound_count + %(inbound)s,
                   agent_message_count = agent_message_count + %(agent)s,
                   first_response_at = CASE
                       WHEN %(reply)s::timestamp >= escalated_at
                        AND (first_response_at IS NULL OR first_response_at < escalated_at)
                       THEN %(reply)s::timestamp
                       ELSE first_response_at
                   END
             WHERE id = %(id)s
            """,
            unread=unread,
            count=len(messages),
            inbound=len(messages.filtered(lambda m: m.direction == "inbound")),
            agent=len(messages.filtered(lambda m: m.author_type == "agent")),
            reply=min(replies.mapped("create_date")) if replies else None,
            id=self.id,
        ))
        self.invalidate_recordset(COUNTER_FIELDS)

    def _recount_messages(self):
        """Count the messages of these conversations again from the messages themselves, with the time of
        their latest: for conversations that predate the counters, or whose messages were changed in SQL."""
        if not self:
            return
        self.flush_recordset()
        self.env["guest.message"].flush_model()
        self.env.execute_query(SQL(
            """
            UPDATE guest_conversation c
               SET guest_message_count = m.message_count,
                   guest_inbound_count = m.inbound_count,
                   agent_message_count = m.agent_count,
                   first_response_at = m.first_response_at,
                   last_message_at = COALESCE(m.last_message_at, c.last_message_at)
              FROM guest_conversation c2
             CROSS JOIN LATERAL (
                    SELECT count(*) AS message_count,
                           count(*) FILTER (WHERE gm.direction = 'inbound') AS inbound_count,
                           count(*) FILTER (WHERE gm.author_type = 'agent') AS agent_count,
                           max(gm.create_date) AS last_message_at,
                           min(gm.create_date) FILTER (
                               WHERE gm.direction = 'outbound' AND gm.author_type = 'agent'
                                 AND gm.create_date >= c2.escalated_at
                           ) AS first_response_at
                      FROM guest_message gm
                     WHERE gm.conversation_id = c2.id
                   ) m
             WHERE c2.id = c.id AND c.id = ANY(%s)
            """,
            self.ids,
        ))
        self.invalidate_recordset([*COUNTER_FIELDS, "last_message_at"])
