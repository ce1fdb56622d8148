# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from guestmsg.channels.website_chat import RAW_BODY_MAX, TEXT_MAX

from odoo.exceptions import UserError
from odoo.http import request, route

from odoo.addons.mail.controllers.thread import ThreadController


class WebsiteChatThreadController(ThreadController):
    """Posts in a session of a channel the bot answers (Odoo's route and Live Chat's embed route, which
    calls it): a body too large to be a chat message is refused before it is parsed."""

    @route()
    def mail_message_post(self, thread_model, thread_id, post_data, context=None, **kwargs):
        body = post_data.get("body") if isinstance(post_data, dict) else None
        if thread_model == "discuss.channel" and isinstance(body, str) and len(body) > RAW_BODY_MAX \
                and isinstance(thread_id, int) and not isinstance(thread_id, bool):
            # sudo: discuss.channel - only which Live Chat channel the session belongs to
            session = request.env["discuss.channel"].sudo().browse(thread_id).exists()
            if session._guest_website_chat():
                raise UserError(request.env._("A message can hold at most %(limit)s characters.", limit=TEXT_MAX))
        return super().mail_message_post(thread_model, thread_id, post_data, context=context, **kwargs)
