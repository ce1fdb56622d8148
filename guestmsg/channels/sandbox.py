"""The Sandbox: a guest played by staff in the browser (the Guest Simulator); nothing leaves Odoo."""

from guestmsg.channels.registry import Channel, register
from guestmsg.channels.whatsapp import PROFILE as WHATSAPP_PROFILE
from guestmsg.channels.window import ReplyWindow

SANDBOX = register(Channel(
    code="sandbox",
    label="Sandbox",
    icon="fa-flask",
    # a Sandbox connection shows another channel's buttons and limits (its sandbox profile); this is the default
    profile=WHATSAPP_PROFILE,
    reply_window=ReplyWindow(hours=24, templates_after=True),
    sequence=90,
))
