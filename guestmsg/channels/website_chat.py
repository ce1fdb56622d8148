"""Website chat: visitors of the hotel's own website, in the widget of Odoo's Live Chat.

Nothing calls in over a webhook: a visitor's message is posted in a Live Chat session of the hotel's Odoo,
stored there for the webhook worker, and answered by posting in the same session (the channel addon,
``guest_messaging_livechat``). The widget shows choices as buttons, a list row with its description under
its title; the visitor's text is read as text whatever HTML or markdown it holds, and every answer is
posted as text.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

from guestmsg.channels.capabilities import CapabilityProfile
from guestmsg.channels.registry import Channel, register
from guestmsg.channels.window import ReplyWindow
from guestmsg.channels.wire import OutboundValidationError, check_text, sequence, text_length
from guestmsg.core.json_values import is_int

# a message either way, in characters
TEXT_MAX = 4096
# the HTML a widget posts for one message, before it is read as text: anything longer is refused unread
RAW_BODY_MAX = 64 * 1024
OPTIONS_MAX = 10
OPTION_TITLE_MAX = 60
OPTION_DESCRIPTION_MAX = 120
OPTION_ID_MAX = 256
LIST_LABEL_MAX = 40

PROFILE = CapabilityProfile(
    text_max=TEXT_MAX,
    interactive_body_max=TEXT_MAX,
    list_body_max=TEXT_MAX,
    supports_buttons=True,
    max_buttons=OPTIONS_MAX,
    button_title_max=OPTION_TITLE_MAX,
    button_id_max=OPTION_ID_MAX,
    supports_lists=True,
    max_list_rows=OPTIONS_MAX,
    list_row_title_max=OPTION_TITLE_MAX,
    list_row_description_max=OPTION_DESCRIPTION_MAX,
    list_row_id_max=OPTION_ID_MAX,
    list_button_label_max=LIST_LABEL_MAX,
    list_section_title_max=LIST_LABEL_MAX,
)

# the hotel's own Odoo runs the chat: no webhook calls in, and the hotel may answer at any time
WEBSITE_CHAT = register(Channel(
    code="website_chat",
    label="Website chat",
    icon="fa-globe",
    profile=PROFILE,
    reply_window=ReplyWindow(hours=None),
    platform="livechat",
    sequence=40,
))

VISITOR_KINDS = ("guest", "partner")


# --- who the visitor is ----------------------------------------------------


def visitor_key(kind: str, record_id: int) -> str:
    """The guest id of a visitor on the channel: ``guest-<id>`` for Live Chat's anonymous visitor (a
    ``mail.guest``), ``partner-<id>`` for a logged-in portal user's contact."""
    if kind not in VISITOR_KINDS:
        raise ValueError(f"A visitor is one of {VISITOR_KINDS}, not {kind!r}.")
    if not is_int(record_id) or record_id <= 0:
        raise ValueError(f"A visitor is named by a positive id, not {record_id!r}.")
    return f"{kind}-{record_id}"


def parse_visitor_key(key) -> tuple | None:
    """``(kind, id)`` of a key :func:`visitor_key` made, None for anything else."""
    if not isinstance(key, str):
        return None
    kind, _sep, number = key.partition("-")
    if kind not in VISITOR_KINDS or not number.isascii() or not number.isdigit() or number.startswith("0"):
        return None
    return kind, int(number)


# --- what the visitor wrote ------------------------------------------------

_BLOCKS = frozenset({"p", "div", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                     "table"})
_HIDDEN = frozenset({"script", "style", "template", "head", "title", "noscript"})


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(body) -> str:
    """The text of a message body as the widget posts it (HTML): tags dropped, entities decoded, line breaks
    kept, markdown left as typed. What a visitor wrote is only ever handled as this text."""
    if not isinstance(body, str) or not body:
        return ""
    collector = _TextCollector()
    collector.feed(body)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    kept, blank = [], False
    for line in lines:
        if line:
            kept.append(line)
            blank = False
        elif kept and not blank:
            kept.append("")
            blank = True
    return "\n".join(kept).strip()


def visitor_text_refusal(body) -> str | None:
    """Why a visitor's message cannot be taken (too long), or None."""
    if isinstance(body, str) and len(body) > RAW_BODY_MAX:
        return f"A message can hold at most {TEXT_MAX} characters."
    length = text_length(html_to_text(body))
    if length > TEXT_MAX:
        return f"A message can hold at most {TEXT_MAX} characters; this one has {length}."
    return None


def clean_reply_id(value) -> str | None:
    """The id of the option a visitor clicked, as the widget sends it; None for anything that is not one."""
    if not isinstance(value, str) or not value.strip() or text_length(value) > OPTION_ID_MAX:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return None
    return value.strip()


# --- rate limits ------------------------------------------------------------


@dataclass(frozen=True)
class RateLimit:
    """At most ``hits`` in each fixed window of ``seconds``; ``key`` names it (and its system parameter)."""

    key: str
    hits: int
    seconds: int

    def window_start(self, now: datetime) -> datetime:
        """The start of the window ``now`` falls in, as a naive UTC datetime (a naive ``now`` is UTC)."""
        if not isinstance(now, datetime):
            raise ValueError("now must be a datetime.")
        if now.tzinfo is not None:
            now = now.astimezone(timezone.utc).replace(tzinfo=None)
        epoch = datetime(1970, 1, 1)
        elapsed = int((now - epoch).total_seconds())
        return epoch + timedelta(seconds=elapsed - elapsed % self.seconds)

    def allows(self, count: int, hits: int | None = None) -> bool:
        """Whether the ``count``-th hit of a window is allowed (``hits`` overrides the default limit)."""
        return count <= (self.hits if hits is None else hits)


VISITOR_MESSAGES = RateLimit("visitor_messages_per_minute", 20, 60)
ADDRESS_MESSAGES = RateLimit("address_messages_per_minute", 60, 60)
ADDRESS_SESSIONS = RateLimit("address_sessions_per_hour", 20, 3600)
RATE_LIMITS = (VISITOR_MESSAGES, ADDRESS_MESSAGES, ADDRESS_SESSIONS)


# --- what the widget shows ---------------------------------------------------


def wire_message(rendered) -> dict:
    """A message fitted to :data:`PROFILE` (``guestmsg.channels.capabilities.Rendered``), as the widget
    draws it: the text, and the options as buttons."""
    message = {"text": rendered.body}
    if rendered.options:
        message["kind"] = rendered.kind
        message["options"] = [
            {"id": o.id, "title": o.title, **({"description": o.description} if o.description else {})}
            for o in rendered.options
        ]
        if rendered.numbered_options:
            # the choices are already written out in the text: buttons would say them twice
            message["numbered"] = True
    return {"message": message}


def read_wire(wire) -> tuple:
    """``(text, options)`` of a message :func:`wire_message` built, checked against the widget's limits;
    OutboundValidationError when it would not fit. Numbered choices come back without buttons."""
    if not isinstance(wire, dict) or not isinstance(wire.get("message"), dict):
        raise OutboundValidationError("A website chat message is {'message': {...}}.")
    message = wire["message"]
    text = check_text(message.get("text"), "The text", TEXT_MAX, platform="Website chat")
    if message.get("numbered"):
        return text, []
    options = sequence(message.get("options") or [], "The options")
    if len(options) > OPTIONS_MAX:
        raise OutboundValidationError(f"A message has at most {OPTIONS_MAX} options, not {len(options)}.")
    checked = []
    for option in options:
        if not isinstance(option, dict):
            raise OutboundValidationError("Each option is {'id', 'title'}.")
        entry = {
            "id": check_text(option.get("id"), "An option id", OPTION_ID_MAX, platform="Website chat"),
            "title": check_text(option.get("title"), "An option title", OPTION_TITLE_MAX, platform="Website chat"),
        }
        if option.get("description"):
            entry["description"] = check_text(option["description"], "An option description",
                                              OPTION_DESCRIPTION_MAX, platform="Website chat")
        checked.append(entry)
    return text, checked
