# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from guestmsg.channels.capabilities import Option, OptionList, Text
from guestmsg.core import conversation_status as cs
from guestmsg.core import satisfaction

from odoo import api, fields, models

from ..lib import guest_texts

# how long after the question a rating is taken, and after the rating a comment
RATING_WINDOW = timedelta(hours=24)
COMMENT_WINDOW = timedelta(hours=1)


class GuestConversation(models.Model):
    """The guest's rating of the help they got, asked once each time an agent resolves the conversation."""

    _inherit = "guest.conversation"

    rating = fields.Integer(readonly=True, copy=False, aggregator="avg",
                            help="The guest's rating of the last resolution, from 1 to 5; 0 when none.")
    rating_comment = fields.Text(readonly=True, copy=False)
    rating_requested_at = fields.Datetime(readonly=True, copy=False)
    rated_at = fields.Datetime(readonly=True, copy=False)
    rating_agent_id = fields.Many2one("res.users", "Rated agent", readonly=True, copy=False,
                                      index="btree_not_null", help="The agent who resolved what was rated.")

    def action_resolve(self):
        open_before = self.filtered(lambda c: not c.is_closed)
        result = super().action_resolve()
        for conversation in open_before.sudo():
            if conversation.status == cs.RESOLVED:
                conversation._request_rating()
        return result

    def _request_rating(self):
        """Ask the guest to rate the help, when the connection asks for ratings and the channel still lets
        the hotel write to them; once per resolution."""
        self.ensure_one()
        if not self.connection_id.satisfaction_survey or not self.agent_id or not self._in_service_window():
            return
        self.write({"rating": 0, "rating_comment": False, "rated_at": False,
                    "rating_requested_at": fields.Datetime.now(), "rating_agent_id": self.agent_id.id})
        self._queue_rich(OptionList(
            self._guest_text(guest_texts.RATING_QUESTION),
            self._guest_text(guest_texts.RATING_BUTTON),
            tuple(Option(satisfaction.option_id(score), satisfaction.option_title(score))
                  for score in reversed(satisfaction.SCORES))))

    def _survey_answer(self, message_vals):
        """What a guest message answers of the survey: ("rating", score), ("comment", text) or None."""
        self.ensure_one()
        if self.status != cs.RESOLVED or not self.rating_requested_at:
            return None
        now = fields.Datetime.now()
        payload = message_vals.get("payload") or {}
        if not self.rating and now - self.rating_requested_at <= RATING_WINDOW:
            score = satisfaction.read_score(payload.get("reply_id"), message_vals.get("body"))
            return ("rating", score) if score else None
        if self.rating and self.rated_at and not self.rating_comment and now - self.rated_at <= COMMENT_WINDOW:
            text = satisfaction.comment(message_vals.get("body"))
            if text and message_vals.get("message_type", "text") == "text":
                return ("comment", text)
        return None

    def _record_survey_answer(self, answer):
        kind, value = answer
        if kind == "rating":
            # sudo: guest.conversation - the guest's answer, written by the worker on their behalf
            self.sudo().write({"rating": value, "rated_at": fields.Datetime.now()})
            self._post_system_message(self.env._("The guest rated the help %(score)s/5", score=value))
            self._queue_rich(Text(self._guest_text(guest_texts.RATING_THANKS)))
        else:
            self.sudo().write({"rating_comment": value})
            self._post_system_message(self.env._("The guest commented on the help: %(comment)s", comment=value))

    @api.model
    def _rating_summary(self, conversation):
        """The guest panel's view of the last rating, or False."""
        if not conversation.rating:
            return False
        return {"score": conversation.rating, "comment": conversation.rating_comment or "",
                "at": fields.Datetime.to_string(conversation.rated_at),
                "agent": conversation.rating_agent_id.name or ""}
