# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import babel
import babel.localedata

from odoo import api, models, tools
from odoo.tools import SQL


class GuestReportView(models.AbstractModel):
    """An analysis read from a SQL view: the view is made from ``_query()`` at every install and upgrade."""

    _name = "guest.report.view"
    _description = "Guest Messaging Analysis View"
    _auto = False

    @api.model
    def _selection_channel_type(self):
        return self.env["guest.channel.connection"]._fields["channel_type"]._description_selection(self.env)

    @api.model
    def _selection_language(self):
        """Every language Babel names, by its code without territory, named in the user's language."""
        try:
            locale = babel.Locale.parse(self.env.lang or "en_US")
        except (ValueError, babel.UnknownLocaleError):
            locale = babel.Locale.parse("en_US")
        codes = sorted(code for code in babel.localedata.locale_identifiers() if code.isalpha() and len(code) == 2)
        return [(code, (locale.languages.get(code) or code).capitalize()) for code in codes]

    def _query(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
