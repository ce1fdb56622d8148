"""The channels guests write on, each declared once.

A channel module (or a channel addon) builds one :class:`Channel` and passes it to :func:`register`;
everything else (the Odoo selections, the inbox filters and icons, the limits checked when an agent
sends, the reply window, the webhook routing) reads it from here by its code.
"""

from dataclasses import dataclass, replace

from guestmsg.channels.window import ReplyWindow

_CHANNELS = {}


@dataclass(frozen=True)
class Channel:
    """What the product knows of a channel without a database.

    ``account_fields`` are the connection fields holding the account ids the channel's webhooks name,
    the connection's own account first; ``webhook_path`` is the URL path its platform calls, or None when
    nothing calls in; ``platform`` who runs the channel ("meta"), None for one the product runs itself.
    """

    code: str
    label: str
    icon: str
    profile: object  # guestmsg.channels.capabilities.CapabilityProfile
    reply_window: ReplyWindow
    account_fields: tuple = ()
    webhook_path: str | None = None
    platform: str | None = None
    sequence: int = 100

    def __post_init__(self):
        # a message rendered with the profile names the channel it was fitted to
        object.__setattr__(self, "profile", replace(self.profile, name=self.code))

    @property
    def account_field(self):
        """The connection field holding the connection's own account id, or None."""
        return self.account_fields[0] if self.account_fields else None

    def selection(self):
        """The channel as an Odoo selection item."""
        return (self.code, self.label)


def register(declared: Channel) -> Channel:
    """Declare a channel; declaring the same channel again is harmless, another one under its code is not."""
    known = _CHANNELS.get(declared.code)
    if known is not None and known != declared:
        raise ValueError(f"Another channel is already registered as {declared.code!r}.")
    _CHANNELS[declared.code] = declared
    return declared


def channel(code: str) -> Channel:
    """The channel registered under ``code``; KeyError for an unknown one."""
    _load_builtin()
    try:
        return _CHANNELS[code]
    except KeyError:
        raise KeyError(f"No channel is registered as {code!r}.") from None


def channels() -> tuple:
    """Every registered channel, in their display order."""
    _load_builtin()
    return tuple(sorted(_CHANNELS.values(), key=lambda c: (c.sequence, c.code)))


def _load_builtin():
    # the channels shipped with guestmsg register when their module is first imported
    import guestmsg.channels.meta_social  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    import guestmsg.channels.sandbox  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    import guestmsg.channels.website_chat  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    import guestmsg.channels.whatsapp  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
