from guestmsg.channels.website_chat import html_to_text

from odoo.tests import HttpCase, new_test_user

from odoo.addons.guest_messaging_bot.tests.common import BotFixtures


class Visitor:
    """A visitor of the website, using Live Chat's own routes as its widget does: the embed script's (CORS,
    a guest token in each call) by default, the Odoo website's (a guest cookie) with ``cors=False``."""

    def __init__(self, case, livechat_channel, cors=True, name="Visitor"):
        self.case = case
        self.livechat_channel = livechat_channel
        self.cors = cors
        self.name = name
        self.token = None
        self.session_id = None
        self.seen = 0

    def _call(self, route, cors_route, params):
        if self.cors:
            return self.case.make_jsonrpc_request(cors_route, {"guest_token": self.token, **params})
        return self.case.make_jsonrpc_request(route, params)

    def start(self, persisted=True):
        params = {"channel_id": self.livechat_channel.id, "anonymous_name": self.name, "persisted": persisted}
        route = "/im_livechat/cors/get_session" if self.cors else "/im_livechat/get_session"
        if self.cors and self.token:
            params["guest_token"] = self.token
        data = self.case.make_jsonrpc_request(route, params)
        if persisted:
            self.session_id = data["discuss.channel"][0]["id"]
            self.token = data["Store"].get("guest_token") or self.token
        return data

    def post(self, body, reply_id=None, session_id=None, context=None):
        """Post as the widget does; the answer is Live Chat's."""
        post_context = dict(context or {})
        if reply_id:
            post_context["guest_messaging_reply_id"] = reply_id
        return self._call("/mail/message/post", "/im_livechat/cors/message/post", {
            "thread_model": "discuss.channel",
            "thread_id": session_id or self.session_id,
            "post_data": {"body": body, "message_type": "comment"},
            "context": post_context,
        })

    def messages(self, session_id=None):
        """The session's messages as the widget reads them, oldest first, each with its author's partner id."""
        data = self._call("/discuss/channel/messages", "/im_livechat/cors/channel/messages",
                          {"channel_id": session_id or self.session_id, "limit": 100})
        messages = sorted(data["data"].get("mail.message", []), key=lambda m: m["id"])
        return [m for m in messages if m["id"] in data["messages"]]

    def say(self, text=None, option=None):
        """Write ``text``, or click the option whose id is ``option`` under the bot's latest message; let the
        workers run; return what appeared in the chat since."""
        if option:
            offered = self.options()
            chosen = next((o for o in offered if o["id"] == option), None)
            self.case.assertTrue(chosen, f"{option} is not offered: {offered}")
            self.post(chosen["title"], reply_id=option)
        else:
            self.post(text)
        self.case.work()
        return self.news()

    def news(self):
        messages = self.messages()
        fresh = [m for m in messages if m["id"] > self.seen]
        if messages:
            self.seen = messages[-1]["id"]
        return fresh

    def options(self):
        """The buttons under the latest message, as the widget draws them."""
        messages = self.messages()
        return (messages[-1].get("guest_options") or []) if messages else []


class WebsiteChatCase(BotFixtures, HttpCase):
    """A hotel with rooms, a Live Chat channel nobody operates, answered by a Website chat connection."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.livechat = cls.env["im_livechat.channel"].create({"name": "Hotel website", "user_ids": [(5, 0, 0)]})
        cls.website_chat = cls.env["guest.channel.connection"].create({
            "name": "Website", "channel_type": "website_chat", "livechat_channel_id": cls.livechat.id,
            "greeting_message": "Welcome to Hotel Test!",
        })
        cls.bot = cls.website_chat.livechat_bot_partner_id
        groups = "base.group_user,guest_messaging.group_agent"
        cls.agent = new_test_user(cls.env, login="gm_web_agent", name="Maria Agent", groups=groups)
        cls.agent_2 = new_test_user(cls.env, login="gm_web_agent_2", name="Omar Agent", groups=groups)
        cls.env["res.users"].search([("guest_agent_status", "=", "online")]).guest_agent_status = "offline"
        cls.Event = cls.env["guest.webhook.event"]
        cls.Conversation = cls.env["guest.conversation"]

    def visitor(self, **kwargs):
        return Visitor(self, self.livechat, **kwargs)

    def work(self):
        """What the webhook worker, the router and the outbox do after the visitor's request (on this test's
        rows only: a database with demo data holds queued messages of its own)."""
        self.env.invalidate_all()
        Message = self.env["guest.message"]
        for _round in range(5):
            events = self.website_events("pending")
            if events:
                events._cron_process_webhook_events()
            waiting = self.Conversation.search([("connection_id", "=", self.website_chat.id),
                                                ("status", "=", "awaiting_agent")])
            if waiting:
                waiting._route_waiting()
            queued = Message.search([("connection_id", "=", self.website_chat.id), ("delivery_status", "=", "queued")])
            if queued:
                queued._cron_send_outbox()
            if not events and not queued:
                break
        self.env.invalidate_all()

    def website_events(self, state=None):
        domain = [("channel_type", "=", "website_chat")]
        return self.Event.search(domain + ([("state", "=", state)] if state else []))

    def conversation_of(self, visitor):
        session = self.env["discuss.channel"].browse(visitor.session_id)
        return self.Conversation.search([("livechat_session_id", "=", session.id)])

    @staticmethod
    def text(messages):
        """What the visitor reads in these messages of the chat."""
        return "\n".join(html_to_text(m["body"]) for m in messages)
