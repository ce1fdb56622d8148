# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timezone

from guestmsg.channels.meta_social import PAGE_CHANNEL_CODES as CHANNELS
from guestmsg.channels.meta_social import PAGE_CHANNELS

# the connection field that holds the id Meta names in a channel's webhooks
ACCOUNT_FIELDS = {page_channel.code: page_channel.account_field for page_channel in PAGE_CHANNELS}
# marks our own sends, so their echoes are known as ours
METADATA_PREFIX = "guest_messaging:"


def aware_utc(value):
    """Odoo's naive UTC datetimes as aware ones, for guestmsg."""
    return value.replace(tzinfo=timezone.utc) if value else None


def now_utc():
    return datetime.now(timezone.utc)
