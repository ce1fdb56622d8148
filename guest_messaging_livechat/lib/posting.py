# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How the outbox marks what it posts in a Live Chat session.

A visitor's request may carry any JSON context to ``message_post`` (Live Chat's routes pass it on), so the
mark is an object only server code can make: a post carrying it is the outbox's, never a visitor's.
"""

CONTEXT_KEY = "guest_messaging_livechat_outbound"
# the option a visitor clicked in the widget, sent as context with the message (a claim, checked by the bot)
REPLY_CONTEXT_KEY = "guest_messaging_reply_id"


class OutboundPost:
    """The guest.message being posted."""

    __slots__ = ("message_id",)

    def __init__(self, message_id):
        self.message_id = message_id


def outbound_post(context):
    """The OutboundPost a context carries, or None."""
    value = context.get(CONTEXT_KEY)
    return value if isinstance(value, OutboundPost) else None
