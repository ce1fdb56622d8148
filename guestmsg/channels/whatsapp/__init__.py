"""WhatsApp through Meta's Cloud API."""

from guestmsg.channels.capabilities import CapabilityProfile
from guestmsg.channels.registry import Channel, register
from guestmsg.channels.whatsapp import outbound as wire
from guestmsg.channels.window import ReplyWindow

PROFILE = CapabilityProfile(
    max_buttons=wire.BUTTONS_MAX,
    button_title_max=wire.BUTTON_TITLE_MAX,
    max_list_rows=wire.LIST_ROWS_MAX,
    list_row_title_max=wire.LIST_ROW_TITLE_MAX,
    list_row_description_max=wire.LIST_ROW_DESCRIPTION_MAX,
    list_button_label_max=wire.LIST_BUTTON_LABEL_MAX,
    text_max=wire.TEXT_BODY_MAX,
    interactive_body_max=wire.BUTTONS_BODY_MAX,
    supports_lists=True,
    supports_buttons=True,
    list_body_max=wire.LIST_BODY_MAX,
    list_section_title_max=wire.LIST_SECTION_TITLE_MAX,
    header_max=wire.HEADER_MAX,
    footer_max=wire.FOOTER_MAX,
    button_id_max=wire.BUTTON_ID_MAX,
    list_row_id_max=wire.LIST_ROW_ID_MAX,
)

# template and account updates name the WhatsApp Business Account, messages the number
WHATSAPP = register(Channel(
    code="whatsapp",
    label="WhatsApp",
    icon="fa-whatsapp",
    profile=PROFILE,
    reply_window=ReplyWindow(hours=24, templates_after=True),
    account_fields=("phone_number_id", "waba_id"),
    webhook_path="/guest_messaging/webhook/whatsapp",
    platform="meta",
    sequence=10,
))
