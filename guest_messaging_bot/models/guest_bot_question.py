# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

MAX_QUESTION_LENGTH = 500


class GuestBotQuestion(models.Model):
    _name = "guest.bot.question"
    _description = "Guest Messaging Unanswered Question"
    _order = "count desc, last_asked desc, id desc"

    # === FIELDS === #
    name = fields.Char("Question", required=True, readonly=True)
    language = fields.Char(readonly=True, help="Language the guest wrote in, as the bot understood it.")
    count = fields.Integer("Times asked", readonly=True, default=1)
    last_asked = fields.Datetime(readonly=True, default=fields.Datetime.now)
    conversation_id = fields.Many2one("guest.conversation", "Last conversation", readonly=True,
                                      ondelete="set null", index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    state = fields.Selection(
        [("new", "To answer"), ("answered", "Answered"), ("dismissed", "Dismissed")],
        required=True, readonly=True, default="new", index=True,
    )
    entry_id = fields.Many2one("guest.knowledge.entry", "Knowledge entry", readonly=True, ondelete="set null",
                               index="btree_not_null")

    # === ACTION === #
    def action_create_entry(self):
        questions = self.filtered(lambda q: q.company_id == self[:1].company_id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Knowledge Entry"),
            "res_model": "guest.knowledge.entry",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_name": questions[:1].name,
                "default_company_id": questions[:1].company_id.id,
                "guest_bot_question_ids": questions.ids,
            },
        }

    def action_dismiss(self):
        self.write({"state": "dismissed"})

    def action_reopen(self):
        self.write({"state": "new", "entry_id": False})

    # === BUSINESS === #
    @api.model
    def _record(self, conversation, text, language):
        """Note a question the bot could not answer: the same question (ignoring case and spaces) still to
        answer in the company counts once more, anything else is a new row."""
        text = (text or "").strip()[:MAX_QUESTION_LENGTH]
        if not text:
            return self.browse()
        # sudo: guest.bot.question - the bot records what an anonymous guest asked, for the managers
        questions = self.sudo()
        company = conversation.company_id or self.env.company
        now = fields.Datetime.now()
        questions.flush_model(["name", "state", "company_id", "count", "last_asked", "conversation_id"])
        self.env.cr.execute(SQL(
            r"""
            UPDATE guest_bot_question
               SET count = count + 1, last_asked = %(now)s, conversation_id = %(conversation)s,
                   write_date = %(now)s, write_uid = %(uid)s
             WHERE id = (
                    SELECT id FROM guest_bot_question
                     WHERE company_id = %(company)s AND state = 'new'
                       AND lower(regexp_replace(btrim(name), '\s+', ' ', 'g')) = lower(%(folded)s)
                  ORDER BY id
                     LIMIT 1
                       FOR NO KEY UPDATE)
         RETURNING id
            """,
            now=now, conversation=conversation.id or None, uid=self.env.uid, company=company.id,
            folded=" ".join(text.split()),
        ))
        row = self.env.cr.fetchone()
        if row:
            question = questions.browse(row[0])
            question.invalidate_recordset(["count", "last_asked", "conversation_id", "write_date", "write_uid"])
            return question
        return questions.create({
            "name": text,
            "language": language or False,
            "last_asked": now,
            "conversation_id": conversation.id or False,
            "company_id": company.id,
        })
