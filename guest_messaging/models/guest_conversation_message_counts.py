# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

PREVIEW_LENGTH = 120
# the columns a conversation keeps of its messages, written by _add_messages alone
MESSAGE_COLUMNS = ["last_message_at", "last_message_preview", "last_inbound_at", "unread_count",
                   "guest_message_count", "guest_inbound_count", "agent_message_count", "first_response_at"]


class GuestConversation(models.Model):
    """What a conversation keeps of its messages as they are written: the inbox's columns (last message,
    unread) and the reports' counters, so that neither reads the messages of many conversations."""

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

    def _add_messages(self, messages):
        """Take ``messages``, just created in this conversation, into its list columns and counters: one
        atomic update, as webhooks for one guest may be processed in parallel."""
        self.ensure_one()
        last = messages[-1]
        from_guest = messages.filtered(lambda m: m.direction == "inbound" and m.author_type == "guest")
        replies = messages.filtered(lambda m: m.direction == "outbound" and m.author_type == "agent")
        # what the ORM holds for these columns goes first, then the update adds to it
        self.flush_recordset([*MESSAGE_COLUMNS, "escalated_at"])
        self.env.execute_query(SQL(
            """
            UPDATE guest_conversation
               SET last_message_at = GREATEST(last_message_at, %(last_at)s),
                   last_message_preview = %(preview)s,
                   last_inbound_at = COALESCE(%(guest_wrote_at)s, last_inbound_at),
                   unread_count = unread_count + %(from_guest)s,
                   guest_message_count = guest_message_count + %(count)s,
                   guest_inbound_count = guest_inbound_count + %(inbound)s,
                   agent_message_count = agent_message_count + %(agent)s,
                   first_response_at = CASE
                       WHEN %(reply_at)s >= escalated_at
                        AND (first_response_at IS NULL OR first_response_at < escalated_at)
                       THEN %(reply_at)s
                       ELSE first_response_at
                   END,
                   write_date = %(now)s,
                   write_uid = %(uid)s
             WHERE id = %(id)s
            """,
            last_at=max(messages.mapped("create_date")),
            preview=(last.body or "")[:PREVIEW_LENGTH] or last.message_type,
            guest_wrote_at=max(from_guest.mapped("create_date")) if from_guest else None,
            from_guest=len(from_guest),
            count=len(messages),
            inbound=len(messages.filtered(lambda m: m.direction == "inbound")),
            agent=len(messages.filtered(lambda m: m.author_type == "agent")),
            reply_at=SQL("%s::timestamp", min(replies.mapped("create_date")) if replies else None),
            now=self.env.cr.now(),
            uid=self.env.uid,
            id=self.id,
        ))
        self.invalidate_recordset([*MESSAGE_COLUMNS, "write_date", "write_uid"])
        self._notify_inbox()

    def _recount_messages(self):
        """Count the messages of these conversations again from the messages themselves, with the times of
        the latest and of the guest's latest: for conversations that predate the counters, or whose
        messages were changed in SQL."""
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
                   last_message_at = COALESCE(m.last_message_at, c.last_message_at),
                   last_inbound_at = COALESCE(m.last_inbound_at, c.last_inbound_at)
              FROM guest_conversation c2
             CROSS JOIN LATERAL (
                    SELECT count(*) AS message_count,
                           count(*) FILTER (WHERE gm.direction = 'inbound') AS inbound_count,
                           count(*) FILTER (WHERE gm.author_type = 'agent') AS agent_count,
                           max(gm.create_date) AS last_message_at,
                           max(gm.create_date) FILTER (
                               WHERE gm.direction = 'inbound' AND gm.author_type = 'guest'
                           ) AS last_inbound_at,
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
        self.invalidate_recordset(MESSAGE_COLUMNS)
