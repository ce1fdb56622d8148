# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    def _guest_language(self):
        """The language code to write to this guest in, installed or not: the channel's locale for them,
        their contact's language, the hotel's; addons that read the guest's messages come first."""
        self.ensure_one()
        return (self.guest_locale or "").replace("-", "_") or self.partner_id.lang or \
            self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _guest_text(self, text, language=None):
        """``text`` (a sentence of ``guest_texts``) in ``language``, else in the guest's language."""
        return text._translate(language or self._guest_language())
