# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.capabilities import Text
from guestmsg.core.consent import START, STOP, consent_command, consent_languages

from odoo import models

from ..lib import guest_texts


class GuestConversation(models.Model):
    _inherit = "guest.conversation"

    def _apply_consent(self, message):
        """Act on a guest's STOP or START written alone: record it, tell staff in the thread and confirm
        to the guest. Returns whether ``message`` was such a command, which then gets no other answer.

        A START from a guest who never opted out is an ordinary message.
        """
        self.ensure_one()
        if message.message_type != "text":
            return False
        command = consent_command(message.body)
        if not command:
            return False
        changed = self.env["guest.opt.out"]._apply_command(
            self.connection_id, self.guest_external_id, command, message.body)
        if command == START and not changed:
            return False
        keyword = message.body.strip()
        if changed and command == STOP:
            self._post_system_message(self.env._(
                "The guest opted out of template messages (%(keyword)s)", keyword=keyword))
        elif changed:
            self._post_system_message(self.env._(
                "The guest opted back in to template messages (%(keyword)s)", keyword=keyword))
        language = self._consent_language(message.body)
        self._queue_rich(Text(self._guest_text(guest_texts.OPTED_OUT if command == STOP else guest_texts.OPTED_IN,
                                               language)))
        return True

    def _consent_language(self, text):
        """The language to confirm in: the guest's own when the keyword is of it, else the keyword's."""
        languages = consent_languages(text)
        guest_language = self._guest_language()
        if not languages or guest_language.split("_")[0] in languages:
            return guest_language
        return languages[0]
