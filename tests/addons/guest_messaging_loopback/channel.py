"""The loopback channel, declared the way any channel addon declares its channel."""

from guestmsg.channels import Channel, ReplyWindow, register
from guestmsg.channels.capabilities import CapabilityProfile

SIGNATURE_HEADER = "X-Loopback-Signature"

LOOPBACK = register(Channel(
    code="loopback",
    label="Loopback",
    icon="fa-refresh",
    profile=CapabilityProfile(
        name="loopback",
        max_buttons=3,
        button_title_max=20,
        text_max=2000,
        interactive_body_max=1000,
        max_quick_replies=13,
        quick_reply_title_max=20,
        supports_buttons=True,
        supports_quick_replies=True,
        button_id_max=256,
        quick_reply_payload_max=256,
    ),
    reply_window=ReplyWindow(hours=24),
    account_fields=("loopback_account",),
    webhook_path="/guest_messaging/webhook/loopback",
    platform="loopback",
    sequence=80,
))
