import time

from odoo.tests import new_test_user

from odoo.addons.guest_messaging.tests.common import MetaChannelMixin
from odoo.addons.guest_messaging.tests.common import signed as signed_by

APP_SECRET = "social-app-secret"
PAGE_ID = "880010"
IG_ID = "17841400010"


def messaging_payload(channel, events, account_id=None):
    account_id = account_id or (PAGE_ID if channel == "messenger" else IG_ID)
    return {"object": "page" if channel == "messenger" else "instagram",
            "entry": [{"id": account_id, "time": int(time.time() * 1000), "messaging": events}]}


def text_event(sender, mid, text, account_id=PAGE_ID, quick_reply=None):
    message = {"mid": mid, "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return {"sender": {"id": sender}, "recipient": {"id": account_id}, "timestamp": int(time.time() * 1000),
            "message": message}


def signed(payload, secret=APP_SECRET):
    return signed_by(payload, secret)


class SocialMixin(MetaChannelMixin):
    @classmethod
    def setup_social(cls):
        cls.setup_channel_test()
        Connection = cls.env["guest.channel.connection"]
        cls.messenger = Connection.create({
            "name": "Hotel Page", "channel_type": "messenger", "setup_mode": "manual", "page_id": PAGE_ID,
            "access_token": "PAGE-TOKEN", "app_secret": APP_SECRET,
        })
        cls.instagram = Connection.create({
            "name": "Hotel Instagram", "channel_type": "instagram", "setup_mode": "manual", "page_id": PAGE_ID,
            "instagram_account_id": IG_ID, "access_token": "PAGE-TOKEN", "app_secret": APP_SECRET,
        })
        (cls.messenger | cls.instagram).write({"state": "connected"})
        cls.agent = new_test_user(cls.env, login="social_agent", groups="base.group_user,guest_messaging.group_agent")

    def process_events(self):
        return self.env["guest.webhook.event"]._cron_process_webhook_events()

    def send_outbox(self):
        return self.env["guest.message"]._cron_send_outbox()
