"""The channels: a registry of declarations, the reply windows, and the channels shipped here."""

from guestmsg.channels.registry import Channel, channel, channels, register
from guestmsg.channels.window import ReplyWindow, WindowDecision, decide

__all__ = ["Channel", "ReplyWindow", "WindowDecision", "channel", "channels", "decide", "register"]
