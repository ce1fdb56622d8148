from odoo.tests import new_test_user

from odoo.addons.guest_messaging.tests.common import MetaChannelMixin
from odoo.addons.guest_messaging.tests.common import signed as signed_by

APP_SECRET = "test-app-secret"
PHONE_NUMBER_ID = "109876543210"


def wa_text_payload(wamid, body="Hello", wa_id="34612345678", name="Ana García", phone_number_id=PHONE_NUMBER_ID):
    return {
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "WABA1",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550100199", "phone_number_id": phone_number_id},
                    "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                    "messages": [{"from": wa_id, "id": wamid, "timestamp": "1764086400", "type": "text",
                                  "text": {"body": body}}],
                },
            }],
        }],
    }


def wa_status_payload(wamid, status, phone_number_id=PHONE_NUMBER_ID, error_code=None):
    entry = {"id": wamid, "status": status, "timestamp": "1764086460", "recipient_id": "34612345678"}
    if error_code:
        entry["errors"] = [{"code": error_code, "title": "Re-engagement message",
                            "error_data": {"details": "More than 24 hours have passed."}}]
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100199", "phone_number_id": phone_number_id},
            "statuses": [entry],
        }}]}],
    }


def signed(payload, secret=APP_SECRET):
    return signed_by(payload, secret)


class WhatsAppMixin(MetaChannelMixin):
    @classmethod
    def setup_whatsapp(cls):
        cls.setup_channel_test()
        cls.connection = cls.env["guest.channel.connection"].create({
            "name": "Front desk", "channel_type": "whatsapp", "setup_mode": "manual",
            "phone_number_id": PHONE_NUMBER_ID, "waba_id": "WABA1",
            "access_token": "EAAG-test-token", "app_secret": APP_SECRET,
        })
        cls.manager = new_test_user(cls.env, login="wa_manager", groups="base.group_user,guest_messaging.group_manager")
        cls.agent = new_test_user(cls.env, login="wa_agent", groups="base.group_user,guest_messaging.group_agent")

    @classmethod
    def setup_outbox(cls, **conversation_vals):
        """A connection, the fake Graph API and one guest conversation to send to."""
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.conversation = cls.env["guest.conversation"].create({
            "connection_id": cls.connection.id, "guest_external_id": "34612345678", **conversation_vals,
        })

    def process_events(self):
        return self.env["guest.webhook.event"]._cron_process_webhook_events()

    def send_outbox(self):
        return self.env["guest.message"]._cron_send_outbox()
