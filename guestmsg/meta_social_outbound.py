"""JSON bodies for the Messenger and Instagram Send API (``POST /{page_or_ig_id}/messages``),
and the messaging window that decides whether (and how) a reply may be sent.

Every builder checks its input against Meta's limits and raises
:class:`OutboundValidationError`; nothing is shortened here (that is the job
of :mod:`guestmsg.capabilities`). Lengths are counted in UTF-16 code units
like :mod:`guestmsg.whatsapp_outbound`, except Instagram message text, whose
limit is in UTF-8 bytes.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from guestmsg.whatsapp_outbound import OutboundValidationError, text_length

CHANNELS = ("messenger", "instagram")
CHANNEL_NAMES = {"messenger": "Messenger", "instagram": "Instagram"}
MESSAGING_TYPES = ("RESPONSE", "UPDATE", "MESSAGE_TAG")
TAGS = {
    "messenger": ("HUMAN_AGENT", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"),
    "instagram": ("HUMAN_AGENT",),
}
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
URL_MAX = 2048
RECIPIENT_ID_MAX = 256
# Meta's page-scoped ids are digits; letters, "_" and "-" are kept for the ids tests and sandboxes use
RECIPIENT_ID_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{RECIPIENT_ID_MAX}}}")

STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class GenericElement:
    """One card of a generic template; ``buttons`` are postback ``(payload, title)`` pairs."""

    title: str
    subtitle: str | None = None
    image_url: str | None = None
    buttons: tuple = ()


def text_payload(recipient_id: str, text: str, *, channel: str = "messenger",
                 messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    _check_message_text(text, channel)
    return _envelope(recipient_id, {"text": text}, channel, messaging_type, tag)


def quick_replies_payload(recipient_id: str, text: str, replies: list, *, channel: str = "messenger",
                          messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """Text with quick replies: ``replies`` is a list of ``(payload, title)``, 1 to 13 of them."""
    _check_message_text(text, channel)
    replies = _postbacks(replies, "quick replies", QUICK_REPLIES_MAX, QUICK_REPLY_TITLE_MAX, "Quick reply")
    message = {"text": text, "quick_replies": [
        {"content_type": "text", "title": title, "payload": payload} for payload, title in replies]}
    return _envelope(recipient_id, message, channel, messaging_type, tag)


def button_template_payload(recipient_id: str, text: str, buttons: list, *, channel: str = "messenger",
                            messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """A button template: ``buttons`` is a list of postback ``(payload, title)``, 1 to 3 of them."""
    _check_text(text, "The text of a button template", BUTTON_TEXT_MAX)
    buttons = _postbacks(buttons, "buttons", BUTTONS_MAX, BUTTON_TITLE_MAX, "Button")
    template = {"template_type": "button", "text": text, "buttons": _postback_buttons(buttons)}
    return _envelope(recipient_id, _template(template), channel, messaging_type, tag)


def generic_template_payload(recipient_id: str, elements: list, *, channel: str = "messenger",
                             messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """A generic template (a carousel of 1 to 10 :class:`GenericElement`)."""
    elements = _sequence(elements, "elements")
    if not 1 <= len(elements) <= GENERIC_ELEMENTS_MAX:
        raise OutboundValidationError(
            f"A generic template has 1 to {GENERIC_ELEMENTS_MAX} elements, not {len(elements)}.")
    payloads = set()
    built = []
    for number, element in enumerate(elements, 1):
        if not isinstance(element, GenericElement):
            raise OutboundValidationError(f"Element {number} must be a GenericElement, not {type(element).__name__}.")
        _check_text(element.title, f"The title of element {number}", GENERIC_TITLE_MAX)
        card = {"title": element.title}
        if element.subtitle is not None and element.subtitle != "":
            _check_text(element.subtitle, f"The subtitle of element {number}", GENERIC_SUBTITLE_MAX)
            card["subtitle"] = element.subtitle
        if element.image_url is not None:
            _check_url(element.image_url, f"The image of element {number}")
            card["image_url"] = element.image_url.strip()
        buttons = _sequence(element.buttons, f"the buttons of element {number}")
        if buttons:
            buttons = _postbacks(buttons, f"buttons of element {number}", GENERIC_BUTTONS_MAX, BUTTON_TITLE_MAX,
                                 f"Element {number} button")
            for payload, _title in buttons:
                if payload in payloads:
                    raise OutboundValidationError(f"Payload {payload!r} is used by two elements.")
                payloads.add(payload)
            card["buttons"] = _postback_buttons(buttons)
        built.append(card)
    template = {"template_type": "generic", "elements": built}
    return _envelope(recipient_id, _template(template), channel, messaging_type, tag)


def image_payload(recipient_id: str, url: str, *, channel: str = "messenger",
                  messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """An image Meta fetches from a public http(s) ``url``."""
    _check_url(url, "The image URL")
    message = {"attachment": {"type": "image", "payload": {"url": url.strip()}}}
    return _envelope(recipient_id, message, channel, messaging_type, tag)


def is_http_url(url) -> bool:
    """Whether ``url`` is an absolute http(s) URL without spaces, of at most 2048 characters."""
    if not isinstance(url, str):
        return False
    url = url.strip()
    if not url or len(url) > URL_MAX or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- rendered messages -----------------------------------------------------


def page_payloads(rendered, recipient_id: str, messaging_type: str = "RESPONSE", tag: str | None = None) -> list:
    """The Send API bodies for a :class:`guestmsg.capabilities.Rendered` made with the
    Messenger or Instagram profile. A carousel has no text of its own, so the
    question goes first as a separate text message."""
    channel = rendered.profile
    if channel not in CHANNELS:
        raise ValueError(f"Render with the Messenger or Instagram profile, not {channel!r}.")
    common = {"channel": channel, "messaging_type": messaging_type, "tag": tag}
    pairs = [(o.id, o.title) for o in rendered.options]
    if rendered.kind == "text":
        return [text_payload(recipient_id, rendered.body, **common)]
    if rendered.kind == "quick_replies":
        return [quick_replies_payload(recipient_id, rendered.body, pairs, **common)]
    if rendered.kind == "buttons":
        return [button_template_payload(recipient_id, rendered.body, pairs, **common)]
    if rendered.kind == "generic":
        elements = [GenericElement(o.title, o.description, o.image_url,
                                   ((o.id, rendered.button_label),)) for o in rendered.options]
        return [text_payload(recipient_id, rendered.body, **common),
                generic_template_payload(recipient_id, elements, **common)]
    raise ValueError(f"{CHANNEL_NAMES[channel]} has no '{rendered.kind}' messages.")


# --- messaging window ------------------------------------------------------


@dataclass(frozen=True)
class WindowDecision:
    """Whether a message may be sent now, and with which ``messaging_type`` and ``tag``."""

    allowed: bool
    messaging_type: str | None
    tag: str | None
    reason: str


def messaging_window(channel: str, last_guest_message_at: datetime | None, now: datetime,
                     human_agent: bool) -> WindowDecision:
    """Meta's rule for free-form messages on Messenger and Instagram.

    Within 24 hours of the guest's last message anything may be sent
    (``RESPONSE``). Up to 7 days after it only a person may reply, with the
    ``HUMAN_AGENT`` tag. Later, or if the guest never wrote, nothing may be
    sent until the guest writes again. Both datetimes must be timezone-aware.
    """
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}.")
    name = CHANNEL_NAMES[channel]
    if last_guest_message_at is None:
        return WindowDecision(False, None, None,
                              f"The guest has not written to this {name} account yet; "
                              f"{name} only allows replies to a guest's message.")
    for value, what in ((last_guest_message_at, "last_guest_message_at"), (now, "now")):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"{what} must be a timezone-aware datetime.")
    elapsed = max(now - last_guest_message_at, timedelta(0))
    if elapsed < STANDARD_WINDOW:
        return WindowDecision(True, "RESPONSE", None,
                              f"The guest wrote {_age(elapsed)} ago, within {name}'s 24-hour window.")
    if elapsed < HUMAN_AGENT_WINDOW:
        if human_agent:
            return WindowDecision(True, "MESSAGE_TAG", "HUMAN_AGENT",
                                  f"The guest wrote {_age(elapsed)} ago: outside the 24-hour window, "
                                  f"a staff member may still reply for up to 7 days (human agent tag).")
        return WindowDecision(False, None, None,
                              f"The guest wrote {_age(elapsed)} ago, more than 24 hours: {name} only lets "
                              f"a staff member reply now (up to 7 days), not automated messages.")
    return WindowDecision(False, None, None,
                          f"The guest wrote {_age(elapsed)} ago: {name} allows no reply more than 7 days "
                          f"after the guest's last message. Wait for the guest to write again.")


def _age(elapsed):
    hours = int(elapsed.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


# --- checks ----------------------------------------------------------------


def is_recipient(recipient_id) -> bool:
    """Whether ``recipient_id`` can be a PSID or IGSID: a guest id that is not one is never stored."""
    return isinstance(recipient_id, str) and bool(RECIPIENT_ID_RE.fullmatch(recipient_id))


def _envelope(recipient_id, message, channel, messaging_type, tag):
    if channel not in CHANNELS:
        raise OutboundValidationError(f"Unknown channel {channel!r}; expected messenger or instagram.")
    if not is_recipient(recipient_id):
        raise OutboundValidationError(f"The recipient {str(recipient_id)[:40]!r} is not a PSID or IGSID.")
    if messaging_type not in MESSAGING_TYPES:
        raise OutboundValidationError(
            f"messaging_type {str(messaging_type)[:40]!r} is not one of {', '.join(MESSAGING_TYPES)}.")
    body = {"recipient": {"id": recipient_id}, "messaging_type": messaging_type}
    if messaging_type == "MESSAGE_TAG":
        if tag not in TAGS[channel]:
            raise OutboundValidationError(
                f"A tagged message on {CHANNEL_NAMES[channel]} needs a tag among {', '.join(TAGS[channel])}, "
                f"not {str(tag)[:40]!r}.")
        body["tag"] = tag
    elif tag is not None:
        raise OutboundValidationError("A tag is only sent with messaging_type MESSAGE_TAG.")
    body["message"] = message
    return body


def _check_message_text(text, channel):
    if channel == "instagram":
        _check_text(text, "The message text", INSTAGRAM_TEXT_BYTES_MAX, utf8=True)
    else:
        _check_text(text, "The message text", MESSENGER_TEXT_MAX)


def _check_text(value, what, limit, utf8=False):
    if not isinstance(value, str):
        raise OutboundValidationError(f"{what} must be text, not {type(value).__name__}.")
    if not value.strip():
        raise OutboundValidationError(f"{what} is empty.")
    if utf8:
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise OutboundValidationError(f"{what} has {size} bytes in UTF-8; Instagram allows at most {limit}.")
        return
    length = text_length(value)
    if length > limit:
        raise OutboundValidationError(f"{what} has {length} characters; Meta allows at most {limit}.")


def _check_url(url, what):
    if not is_http_url(url):
        raise OutboundValidationError(
            f"{what} {str(url)[:60]!r} is not an http(s) URL of at most {URL_MAX} characters.")


def _sequence(value, what):
    if isinstance(value, (list, tuple)):
        return list(value)
    raise OutboundValidationError(f"{what} must be a list, not {type(value).__name__}.")


def _postbacks(items, what, maximum, title_max, label):
    """Checked ``(payload, title)`` pairs: unique payloads and (case-insensitively) unique titles."""
    items = _sequence(items, what)
    if not 1 <= len(items) <= maximum:
        raise OutboundValidationError(f"There must be 1 to {maximum} {what}, not {len(items)}.")
    pairs = []
    payloads = set()
    titles = set()
    for number, item in enumerate(items, 1):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise OutboundValidationError(f"{label} {number} must be a (payload, title) pair.")
        payload, title = item
        _check_text(payload, f"The payload of {label.lower()} {number}", PAYLOAD_MAX)
        _check_text(title, f"The title of {label.lower()} {number}", title_max)
        key = " ".join(title.split()).casefold()
        if payload in payloads:
            raise OutboundValidationError(f"Payload {payload!r} is used twice.")
        if key in titles:
            raise OutboundValidationError(f"Title {title!r} is used twice; titles must be unique.")
        payloads.add(payload)
        titles.add(key)
        pairs.append((payload, title))
    return pairs


def _postback_buttons(pairs):
    return [{"type": "postback", "title": title, "payload": payload} for payload, title in pairs]


def _template(payload):
    return {"attachment": {"type": "template", "payload": payload}}
