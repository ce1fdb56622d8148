# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.bot.knowledge import KnowledgeEntry

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.hotel_services import check_in_hour, check_out_hour

CATEGORIES = [
    ("stay", "Check-in & check-out"),
    ("amenities", "Amenities"),
    ("food", "Food & drink"),
    ("transport", "Parking & transport"),
    ("policies", "Policies"),
    ("area", "Local area"),
    ("other", "Other"),
]


class GuestKnowledgeEntry(models.Model):
    _name = "guest.knowledge.entry"
    _description = "Guest Messaging Knowledge Base Entry"
    _order = "sequence, id"

    # === FIELDS === #
    name = fields.Char("Question", required=True, translate=True)
    variants = fields.Text(
        "Other phrasings",
        help="Other ways a guest may ask, one per line, in any language. The bot compares the guest's message "
             "with the question and with each of these lines.",
    )
    answer = fields.Text(
        required=True, translate=True,
        help="What the bot replies. {check_in_time} and {check_out_time} are replaced by the check-in and "
             "check-out hours set in the bot's settings.",
    )
    category = fields.Selection(CATEGORIES, required=True, default="other")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    connection_ids = fields.Many2many(
        "guest.channel.connection", "guest_knowledge_entry_connection_rel", "entry_id", "connection_id",
        string="Connections", check_company=True,
        help="Only on these connections; empty means all of the company's.",
    )
    answer_count = fields.Integer("Times answered", readonly=True, copy=False, default=0,
                                  help="How many times the bot gave this answer.")

    # === CRUD === #
    @api.model_create_multi
    def create(self, vals_list):
        entries = super().create(vals_list)
        question_ids = self.env.context.get("guest_bot_question_ids")
        if question_ids and isinstance(question_ids, (list, tuple)):
            entries[:1]._answer_questions([qid for qid in question_ids if isinstance(qid, int)])
        return entries

    # === BUSINESS === #
    def _answer_questions(self, question_ids):
        """Mark the unanswered questions this entry was written from as answered by it."""
        self.ensure_one()
        questions = self.env["guest.bot.question"].browse(question_ids).exists()._filtered_access("write")
        questions = questions.filtered(lambda q: q.company_id == self.company_id and q.state != "answered")
        if questions:
            questions.write({"state": "answered", "entry_id": self.id})

    @api.model
    def _bot_entries(self, company, connection, language):
        """The company's active entries the bot may answer with on ``connection``, as guestmsg entries.

        ``language``: the guest's ISO 639-1 code (or None); texts are read in the closest installed language.
        """
        lang = self._bot_lang(language)
        domain = [("company_id", "=", company.id)]
        if connection:
            domain += ["|", ("connection_ids", "=", False), ("connection_ids", "in", connection.ids)]
        else:
            domain += [("connection_ids", "=", False)]
        # sudo: guest.knowledge.entry - the bot answers an anonymous guest with the hotel's published answers
        records = self.sudo().with_context(lang=lang, active_test=True).search(domain)
        check_in, check_out = f"{check_in_hour(self.env):02d}:00", f"{check_out_hour(self.env):02d}:00"
        return [
            KnowledgeEntry(
                key=str(record.id),
                question=record.name or "",
                answer=(record.answer or "").replace("{check_in_time}", check_in).replace(
                    "{check_out_time}", check_out),
                variants=tuple(line.strip() for line in (record.variants or "").splitlines() if line.strip()),
                category=record.category or "",
            )
            for record in records
        ]

    def _count_answer(self):
        """Count one more answer given by the bot, in SQL so that concurrent conversations add up."""
        if not self.ids:
            return
        self.flush_recordset(["answer_count"])
        self.env.cr.execute(SQL(
            "UPDATE guest_knowledge_entry SET answer_count = COALESCE(answer_count, 0) + 1 WHERE id IN %s",
            tuple(self.ids),
        ))
        self.invalidate_recordset(["answer_count"])

    # === TOOLING === #
    @api.model
    def _bot_lang(self, language):
        """The installed language code for ``language`` ("es" gives es_ES when installed), else en_US."""
        if language:
            codes = [code for code, _name in self.env["res.lang"].get_installed()]
            candidates = [code for code in codes if code == language or code.startswith(f"{language}_")]
            preferred = f"{language}_{language.upper()}"
            if candidates:
                return preferred if preferred in candidates else candidates[0]
        return "en_US"
