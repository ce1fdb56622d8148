# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _to_store(self, store, **kwargs):
        """The options the bot offered with a message of a Website chat session, for the widget's buttons."""
        super()._to_store(store, **kwargs)
        posts = self.filtered(lambda m: m.model == "discuss.channel" and m.message_type == "comment")
        if not posts:
            return
        # sudo: guest.message - the outbox's messages behind these posts, whose options the session already shows
        for sent in self.env["guest.message"].sudo().search([
            ("livechat_message_id", "in", posts.ids), ("direction", "=", "outbound"),
        ]):
            options = sent._livechat_options()
            if options:
                store.add(sent.livechat_message_id, {"guest_options": options})
