# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.bot.nlu.escalation import (
    EXTRA_KEYWORD_MAX_CHARS, EXTRA_KEYWORD_MIN_CHARS, MAX_EXTRA_KEYWORDS, extra_keywords,
)

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class GuestBotEscalationKeyword(models.Model):
    """A hotel's own word or phrase with which a guest asks for a person, besides the bot's built-in ones."""

    _name = "guest.bot.escalation.keyword"
    _description = "Guest Messaging Bot Escalation Keyword"
    _order = "id"

    name = fields.Char(
        "Keyword", required=True, translate=True,
        help="Matched as whole words, ignoring case and accents. Translate it into the languages your guests "
             "write in: the bot looks for every translation.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    @api.constrains("name")
    def _check_name(self):
        for keyword in self:
            if not extra_keywords([keyword.name or ""]):
                raise ValidationError(self.env._(
                    "“%(keyword)s” cannot be an escalation keyword: use a word or phrase with at least %(least)s "
                    "letters or digits and at most %(most)s characters.",
                    keyword=(keyword.name or "")[:80], least=EXTRA_KEYWORD_MIN_CHARS, most=EXTRA_KEYWORD_MAX_CHARS))

    @api.constrains("active", "company_id")
    def _check_count(self):
        for company in self.filtered("active").company_id:
            if self.search_count([("company_id", "=", company.id)]) > MAX_EXTRA_KEYWORDS:
                raise ValidationError(self.env._(
                    "A company has at most %(most)s escalation keywords.", most=MAX_EXTRA_KEYWORDS))

    @api.model
    def _bot_keywords(self, company):
        """The company's active keywords in every language they are translated into, oldest first."""
        self.flush_model(["name", "active", "company_id"])
        rows = self.env.execute_query(SQL(
            "SELECT name FROM guest_bot_escalation_keyword WHERE active AND company_id = %s ORDER BY id LIMIT %s",
            company.id, MAX_EXTRA_KEYWORDS,
        ))
        return tuple(text for (name,) in rows if isinstance(name, dict)
                     for text in name.values() if isinstance(text, str))
