# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# set while a session of a channel the bot answers is prepared: Live Chat's operator lookup then yields a
# stand-in, replaced by the bot's contact in the session it prepares
BOT_SESSION_KEY = "guest_messaging_livechat_bot_session"


class ImLivechatChannel(models.Model):
    """A Live Chat channel a Website chat connection answers is always available: the booking bot is the
    operator of each session, and the Guest Messaging team takes over from the inbox."""

    _inherit = "im_livechat.channel"

    def _guest_website_chat(self):
        if len(self) != 1:
            return self.env["guest.channel.connection"]
        return self.env["guest.channel.connection"]._website_chat_for(self.id)

    def get_livechat_info(self, username=None):
        info = super().get_livechat_info(username=username)
        if self._guest_website_chat() and not info.get("available"):
            info["available"] = True
            info["options"] = {**self._get_channel_infos(), "default_username": username or self.env._("Visitor")}
        return info

    def _get_operator(self, previous_operator_id=None, lang=None, country_id=None):
        if self.env.context.get(BOT_SESSION_KEY):
            return self.env.ref("base.user_root")
        return super()._get_operator(previous_operator_id=previous_operator_id, lang=lang, country_id=country_id)

    def _get_livechat_discuss_channel_vals(self, anonymous_name, previous_operator_id=None, chatbot_script=None,
                                           user_id=None, country_id=None, lang=None):
        connection = self._guest_website_chat()
        if not connection:
            return super()._get_livechat_discuss_channel_vals(
                anonymous_name, previous_operator_id=previous_operator_id, chatbot_script=chatbot_script,
                user_id=user_id, country_id=country_id, lang=lang)
        # Live Chat's own chatbot scripts and operators never run here: the booking bot answers every visitor
        bot_session = super(ImLivechatChannel, self.with_context(**{BOT_SESSION_KEY: True}))
        vals = bot_session._get_livechat_discuss_channel_vals(
            anonymous_name, previous_operator_id=None, chatbot_script=None, user_id=user_id, country_id=country_id,
            lang=lang)
        if not vals:
            return vals
        stand_in = self.env.ref("base.user_root").partner_id.id
        if not connection.livechat_bot_partner_id:
            connection._website_chat_bind()  # its contact was deleted: the bot gets a new one
        bot = connection.livechat_bot_partner_id
        for command in vals.get("channel_member_ids", []):
            if len(command) == 3 and isinstance(command[2], dict) and command[2].get("partner_id") == stand_in:
                command[2]["partner_id"] = bot.id
        visitor = self.env["res.users"].browse(user_id).display_name if user_id else anonymous_name
        vals.update(livechat_operator_id=bot.id, name=" ".join(filter(None, [visitor, bot.name])))
        return vals
