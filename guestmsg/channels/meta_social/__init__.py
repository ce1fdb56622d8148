"""Messenger and Instagram: a Facebook Page's conversations, through Meta's Send API."""

from guestmsg.channels.capabilities import CapabilityProfile
from guestmsg.channels.registry import Channel, register
from guestmsg.channels.window import ReplyWindow

# Send API limits; lengths in UTF-16 code units, except Instagram's message text (UTF-8 bytes)
MESSENGER_TEXT_MAX = 2000
INSTAGRAM_TEXT_BYTES_MAX = 1000
QUICK_REPLIES_MAX = 13
QUICK_REPLY_TITLE_MAX = 20
PAYLOAD_MAX = 1000
BUTTON_TEXT_MAX = 640
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
GENERIC_ELEMENTS_MAX = 10
GENERIC_TITLE_MAX = 80
GENERIC_SUBTITLE_MAX = 80
GENERIC_BUTTONS_MAX = 3

# a person may answer for 7 days after the guest's last message, with the HUMAN_AGENT tag
PAGE_WINDOW = ReplyWindow(hours=24, human_agent_days=7)

# what both Page channels can show: quick replies, and cards within their limits
_QUICK_REPLIES = {"supports_quick_replies": True, "max_quick_replies": QUICK_REPLIES_MAX,
                  "quick_reply_title_max": QUICK_REPLY_TITLE_MAX, "quick_reply_payload_max": PAYLOAD_MAX}
_CARD_LIMITS = {"max_generic_elements": GENERIC_ELEMENTS_MAX, "generic_title_max": GENERIC_TITLE_MAX,
                "generic_subtitle_max": GENERIC_SUBTITLE_MAX}

# Instagram: no list messages, and its button and generic templates are not rendered on the web client,
# so buttons and cards become quick replies. The text limit is in UTF-8 bytes.
INSTAGRAM_PROFILE = CapabilityProfile(
    text_max=INSTAGRAM_TEXT_BYTES_MAX, interactive_body_max=INSTAGRAM_TEXT_BYTES_MAX,
    text_unit="utf8", **_QUICK_REPLIES, **_CARD_LIMITS,
)

# Messenger: quick replies, the button template (postback buttons, shorter text) and the generic template
MESSENGER_PROFILE = CapabilityProfile(
    text_max=MESSENGER_TEXT_MAX, interactive_body_max=BUTTON_TEXT_MAX,
    supports_buttons=True, max_buttons=BUTTONS_MAX, button_title_max=BUTTON_TITLE_MAX, button_id_max=PAYLOAD_MAX,
    supports_generic_template=True, **_QUICK_REPLIES, **_CARD_LIMITS,
)

INSTAGRAM = register(Channel(
    code="instagram",
    label="Instagram",
    icon="fa-instagram",
    profile=INSTAGRAM_PROFILE,
    reply_window=PAGE_WINDOW,
    account_fields=("instagram_account_id",),
    webhook_path="/guest_messaging/webhook/instagram",
    platform="meta",
    sequence=20,
))

MESSENGER = register(Channel(
    code="messenger",
    label="Messenger",
    icon="fa-facebook",
    profile=MESSENGER_PROFILE,
    reply_window=PAGE_WINDOW,
    account_fields=("page_id",),
    webhook_path="/guest_messaging/webhook/messenger",
    platform="meta",
    sequence=30,
))

PAGE_CHANNELS = (MESSENGER, INSTAGRAM)
PAGE_CHANNEL_CODES = tuple(page_channel.code for page_channel in PAGE_CHANNELS)

# the message tags each channel accepts outside the standard window
TAGS = {
    MESSENGER.code: ("HUMAN_AGENT", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"),
    INSTAGRAM.code: ("HUMAN_AGENT",),
}

# the permissions a Page token needs for each channel
REQUIRED_SCOPES = {
    MESSENGER.code: ("pages_messaging", "pages_manage_metadata"),
    INSTAGRAM.code: ("instagram_manage_messages", "pages_manage_metadata"),
}
