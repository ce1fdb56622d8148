# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timezone

from odoo.addons.guest_messaging.models.guest_channel_connection import ACCOUNT_ID_FIELDS

CHANNELS = ("messenger", "instagram")
# the connection field that holds the id Meta names in a channel's webhooks
ACCOUNT_FIELDS = {channel: ACCOUNT_ID_FIELDS[channel] for channel in CHANNELS}
# marks our own sends, so their echoes are known as ours
METADATA_PREFIX = "guest_messaging:"


def aware_utc(value):
    """Odoo's naive UTC datetimes as aware ones, for guestmsg."""
    return value.replace(tzinfo=timezone.utc) if value else None


def now_utc():
    return datetime.now(timezone.utc)
