"""JSON bodies for the Messenger and Instagram Send API (``POST /{page_or_ig_id}/messages``),
and the messaging window that decides whether (and how) a reply may be sent.

Every builder checks its input against Meta's limits and raises
:class:`OutboundValidationError`; nothing is shortened here (that is the job
of :mod:`guestmsg.channels.capabilities`). Lengths are counted in UTF-16 code units
like :mod:`guestmsg.channels.whatsapp.outbound`, except Instagram message text, whose
limit is in UTF-8 bytes.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from guestmsg.channels.meta_social import (
    BUTTON_TEXT_MAX, BUTTON_TITLE_MAX, BUTTONS_MAX, GENERIC_BUTTONS_MAX, GENERIC_ELEMENTS_MAX, GENERIC_SUBTITLE_MAX,
    GENERIC_TITLE_MAX, MESSENGER, PAGE_CHANNEL_CODES, PAGE_CHANNELS, PAYLOAD_MAX, QUICK_REPLIES_MAX,
    QUICK_REPLY_TITLE_MAX, TAGS,
)
from guestmsg.channels.window import decide
from guestmsg.channels.wire import URL_MAX, OutboundValidationError, check_text, is_http_url, sequence

CHANNELS = PAGE_CHANNEL_CODES
_BY_CODE = {channel.code: channel for channel in PAGE_CHANNELS}
MESSAGING_TYPES = ("RESPONSE", "UPDATE", "MESSAGE_TAG")
RECIPIENT_ID_MAX = 256
# Meta's page-scoped ids are digits; letters, "_" and "-" are kept for the ids tests and sandboxes use
RECIPIENT_ID_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{RECIPIENT_ID_MAX}}}")


@dataclass(frozen=True)
class GenericElement:
    """One card of a generic template; ``buttons`` are postback ``(payload, title)`` pairs."""

    title: str
    subtitle: str | None = None
    image_url: str | None = None
    buttons: tuple = ()


def text_payload(recipient_id: str, text: str, *, channel: str = MESSENGER.code,
                 messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    _check_message_text(text, channel)
    return _envelope(recipient_id, {"text": text}, channel, messaging_type, tag)


def quick_replies_payload(recipient_id: str, text: str, replies: list, *, channel: str = MESSENGER.code,
                          messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """Text with quick replies: ``replies`` is a list of ``(payload, title)``, 1 to 13 of them."""
    _check_message_text(text, channel)
    replies = _postbacks(replies, "quick replies", QUICK_REPLIES_MAX, QUICK_REPLY_TITLE_MAX, "Quick reply")
    message = {"text": text, "quick_replies": [
        {"content_type": "text", "title": title, "payload": payload} for payload, title in replies]}
    return _envelope(recipient_id, message, channel, messaging_type, tag)


def button_template_payload(recipient_id: str, text: str, buttons: list, *, channel: str = MESSENGER.code,
                            messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """A button template: ``buttons`` is a list of postback ``(payload, title)``, 1 to 3 of them."""
    _check_text(text, "The text of a button template", BUTTON_TEXT_MAX)
    buttons = _postbacks(buttons, "buttons", BUTTONS_MAX, BUTTON_TITLE_MAX, "Button")
    template = {"template_type": "button", "text": text, "buttons": _postback_buttons(buttons)}
    return _envelope(recipient_id, _template(template), channel, messaging_type, tag)


def generic_template_payload(recipient_id: str, elements: list, *, channel: str = MESSENGER.code,
                             messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """A generic template (a carousel of 1 to 10 :class:`GenericElement`)."""
    elements = sequence(elements, "elements")
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
        buttons = sequence(element.buttons, f"the buttons of element {number}")
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


def image_payload(recipient_id: str, url: str, *, channel: str = MESSENGER.code,
                  messaging_type: str = "RESPONSE", tag: str | None = None) -> dict:
    """An image Meta fetches from a public http(s) ``url``."""
    _check_url(url, "The image URL")
    message = {"attachment": {"type": "image", "payload": {"url": url.strip()}}}
    return _envelope(recipient_id, message, channel, messaging_type, tag)


# --- rendered messages -----------------------------------------------------


def page_payloads(rendered, recipient_id: str, messaging_type: str = "RESPONSE", tag: str | None = None) -> list:
    """The Send API bodies for a :class:`guestmsg.channels.capabilities.Rendered` made with the
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
    raise ValueError(f"{_page_channel(channel).label} has no '{rendered.kind}' messages.")


# --- messaging window ------------------------------------------------------


@dataclass(frozen=True)
class PageSendDecision:
    """Whether a message may be sent now, and with which ``messaging_type`` and ``tag``."""

    allowed: bool
    messaging_type: str | None
    tag: str | None
    reason: str


def messaging_window(channel: str, last_guest_message_at: datetime | None, now: datetime,
                     human_agent: bool) -> PageSendDecision:
    """The channel's reply window as the Send API's ``messaging_type`` and ``tag``: ``RESPONSE`` within it,
    the ``HUMAN_AGENT`` tag for a person after it while the channel allows. Both datetimes must be aware."""
    if channel not in _BY_CODE:
        raise ValueError(f"Unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}.")
    declared = _BY_CODE[channel]
    decision = decide(declared.reply_window, declared.label, last_guest_message_at, now, human_agent)
    if not decision.allowed:
        return PageSendDecision(False, None, None, decision.reason)
    if decision.human_agent:
        return PageSendDecision(True, "MESSAGE_TAG", "HUMAN_AGENT", decision.reason)
    return PageSendDecision(True, "RESPONSE", None, decision.reason)


# --- checks ----------------------------------------------------------------


def is_recipient(recipient_id) -> bool:
    """Whether ``recipient_id`` can be a PSID or IGSID: a guest id that is not one is never stored."""
    return isinstance(recipient_id, str) and bool(RECIPIENT_ID_RE.fullmatch(recipient_id))


def _envelope(recipient_id, message, channel, messaging_type, tag):
    _page_channel(channel)
    if not is_recipient(recipient_id):
        raise OutboundValidationError(f"The recipient {str(recipient_id)[:40]!r} is not a PSID or IGSID.")
    if messaging_type not in MESSAGING_TYPES:
        raise OutboundValidationError(
            f"messaging_type {str(messaging_type)[:40]!r} is not one of {', '.join(MESSAGING_TYPES)}.")
    body = {"recipient": {"id": recipient_id}, "messaging_type": messaging_type}
    if messaging_type == "MESSAGE_TAG":
        if tag not in TAGS[channel]:
            raise OutboundValidationError(
                f"A tagged message on {_BY_CODE[channel].label} needs a tag among {', '.join(TAGS[channel])}, "
                f"not {str(tag)[:40]!r}.")
        body["tag"] = tag
    elif tag is not None:
        raise OutboundValidationError("A tag is only sent with messaging_type MESSAGE_TAG.")
    body["message"] = message
    return body


def _page_channel(channel):
    if channel not in _BY_CODE:
        raise OutboundValidationError(f"Unknown channel {str(channel)[:40]!r}; expected {' or '.join(CHANNELS)}.")
    return _BY_CODE[channel]


def _check_message_text(text, channel):
    """The message text against the channel's own limit, counted in the channel's unit."""
    declared = _page_channel(channel)
    profile = declared.profile
    check_text(text, "The message text", profile.text_max, profile.text_unit,
               platform=declared.label if profile.text_unit == "utf8" else "Meta")


def _check_text(value, what, limit):
    check_text(value, what, limit)


def _check_url(url, what):
    if not is_http_url(url):
        raise OutboundValidationError(
            f"{what} {str(url)[:60]!r} is not an http(s) URL of at most {URL_MAX} characters.")


def _postbacks(items, what, maximum, title_max, label):
    """Checked ``(payload, title)`` pairs: unique payloads and (case-insensitively) unique titles."""
    items = sequence(items, what)
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
