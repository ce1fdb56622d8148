# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.capabilities import Text
from guestmsg.core.consent import START, STOP, consent_command, consent_languages

from odoo import models


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
        guest_env = self.with_context(lang=self._consent_lang(message.body)).env
        if command == STOP:
            reply = guest_env._("You will no longer receive notifications from us. Write START to receive them again.")
        else:
            reply = guest_env._("You will receive our notifications again. Write STOP to stop them.")
        self._queue_rich(Text(reply))
        return True

    def _consent_lang(self, text):
        """The installed language to confirm in: the guest's own when the keyword is of it, else the
        keyword's language, else the current one."""
        languages = consent_languages(text)
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        locale = self.guest_locale or ""
        if locale in installed and locale.split("_")[0] in languages:
            return locale
        for language in languages:
            for code in installed:
                if code.split("_")[0] == language:
                    return code
        return self.env.lang
