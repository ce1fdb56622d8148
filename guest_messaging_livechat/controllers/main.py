# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.website_chat import ADDRESS_SESSIONS

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.im_livechat.controllers.main import LivechatController


class WebsiteChatController(LivechatController):
    """Live Chat's routes for a channel a Website chat connection answers: the bot is always there, and Live
    Chat's own chatbot scripts stay out of its sessions."""

    def _guest_website_chat(self, channel_id):
        return request.env["guest.channel.connection"]._website_chat_for(channel_id)

    @http.route()
    def livechat_init(self, channel_id):
        result = super().livechat_init(channel_id)
        if self._guest_website_chat(channel_id) and isinstance(result, dict):
            rule = result.get("rule") or {}
            if rule:
                rule["chatbotScript"] = None
            result["available_for_me"] = rule.get("action") != "hide_button"
        return result

    @http.route()
    def get_session(self, channel_id, anonymous_name, previous_operator_id=None, chatbot_script_id=None,
                    persisted=True, **kwargs):
        if self._guest_website_chat(channel_id):
            chatbot_script_id = previous_operator_id = None
            address = request.httprequest.remote_addr
            # sudo: guest.livechat.rate - every address's sessions are counted, whoever opens them
            if persisted and address and not request.env["guest.livechat.rate"].sudo()._hit(ADDRESS_SESSIONS, address):
                raise UserError(request.env._(
                    "Too many chats were started from your network in the last hour. Please try again later."))
        return super().get_session(channel_id, anonymous_name, previous_operator_id=previous_operator_id,
                                   chatbot_script_id=chatbot_script_id, persisted=persisted, **kwargs)
