"""JSON bodies for ``POST /{phone_number_id}/messages`` of the WhatsApp Cloud API.

Every builder checks its input against WhatsApp's hard limits and raises
:class:`OutboundValidationError` for content that does not fit; nothing is
shortened here (that is the job of :mod:`guestmsg.channels.capabilities`, before).

Lengths are counted in UTF-16 code units, like the JavaScript/Java string
length: an emoji outside the Basic Multilingual Plane counts as 2. Meta does
not say how it counts; this is the stricter reading, so a payload accepted
here is not rejected by Meta for its length.

The recipient ``to`` is normalised to E.164 with a leading ``+``: without it
Meta prefixes the business number's country code, which can deliver to the
wrong person. A bare WhatsApp id (digits with the country code, as found in
``from`` of a webhook) is accepted.
"""

import re
from urllib.parse import urlsplit

import phonenumbers

from guestmsg.channels.wire import OutboundValidationError, check_text, sequence

TEXT_BODY_MAX = 4096
BUTTONS_MAX = 3
BUTTON_ID_MAX = 256
BUTTON_TITLE_MAX = 20
BUTTONS_BODY_MAX = 1024
LIST_BODY_MAX = 4096
LIST_SECTIONS_MAX = 10
LIST_ROWS_MAX = 10
LIST_BUTTON_LABEL_MAX = 20
LIST_SECTION_TITLE_MAX = 24
LIST_ROW_ID_MAX = 200
LIST_ROW_TITLE_MAX = 24
LIST_ROW_DESCRIPTION_MAX = 72
HEADER_MAX = 60
FOOTER_MAX = 60
CAPTION_MAX = 1024
MEDIA_ID_MAX = 256
LINK_MAX = 2048
MESSAGE_ID_MAX = 256
TEMPLATE_NAME_MAX = 512
TEMPLATE_HEADER_PARAMETERS_MAX = 1
TEMPLATE_HEADER_PARAMETER_MAX = 60
# a template body holds at most 1024 characters once filled in
TEMPLATE_BODY_PARAMETER_MAX = 1024

_TEMPLATE_NAME = re.compile(r"[a-z0-9_]+")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Za-z]{2,4})?")
# Meta refuses template parameters with these (error 132018)
_FORBIDDEN_IN_PARAMETER = re.compile(r"[\n\r\t]| {5,}")




def is_recipient(to) -> bool:
    """Whether WhatsApp can deliver to ``to``: a guest id that is not one is never stored."""
    try:
        normalize_recipient(to)
    except OutboundValidationError:
        return False
    return True


def normalize_recipient(to: str) -> str:
    """``to`` as E.164 (``+34600111222``); raises OutboundValidationError if it is not a phone number."""
    if not isinstance(to, str):
        raise OutboundValidationError(f"The recipient must be a phone number string, not {type(to).__name__}.")
    number = re.sub(r"[\s\-().]", "", to)
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.isdigit():
        number = "+" + number
    if not number.startswith("+") or not number[1:].isdigit() or len(number) > 20:
        raise OutboundValidationError(
            f"The recipient {to[:40]!r} is not an international phone number (+ and country code).")
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise OutboundValidationError(f"The recipient {to[:40]!r} is not a possible phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def text_payload(to: str, body: str, preview_url: bool = False) -> dict:
    _check_text(body, "The text body", TEXT_BODY_MAX)
    if not isinstance(preview_url, bool):
        raise OutboundValidationError("preview_url must be True or False.")
    return _envelope(to, "text", {"body": body, "preview_url": preview_url})


def buttons_payload(to: str, body: str, buttons: list, header: str | None = None,
                    footer: str | None = None) -> dict:
    """Reply buttons: ``buttons`` is a list of ``(id, title)``, 1 to 3 of them."""
    _check_text(body, "The body of a buttons message", BUTTONS_BODY_MAX)
    buttons = sequence(buttons, "buttons")
    if not 1 <= len(buttons) <= BUTTONS_MAX:
        raise OutboundValidationError(f"A buttons message has 1 to {BUTTONS_MAX} buttons, not {len(buttons)}.")
    replies = []
    ids = set()
    titles = set()
    for number, button in enumerate(buttons, 1):
        button_id, title = _pair(button, f"Button {number}", 2)
        _check_text(button_id, f"The id of button {number}", BUTTON_ID_MAX)
        _check_text(title, f"The title of button {number}", BUTTON_TITLE_MAX)
        if button_id in ids:
            raise OutboundValidationError(f"Button id {button_id!r} is used twice.")
        if title.strip().casefold() in titles:
            raise OutboundValidationError(f"Button title {title!r} is used twice; titles must be unique.")
        ids.add(button_id)
        titles.add(title.strip().casefold())
        replies.append({"type": "reply", "reply": {"id": button_id, "title": title}})
    interactive = {"type": "button"}
    _add_header_footer(interactive, header, footer)
    interactive["body"] = {"text": body}
    interactive["action"] = {"buttons": replies}
    return _envelope(to, "interactive", _ordered(interactive))


def list_payload(to: str, body: str, button_label: str, sections: list, header: str | None = None,
                 footer: str | None = None) -> dict:
    """A list message: ``sections`` is a list of ``(section_title, rows)`` and each row is
    ``(row_id, title, description)`` (description may be None). At most 10 rows in all."""
    _check_text(body, "The body of a list message", LIST_BODY_MAX)
    _check_text(button_label, "The list button label", LIST_BUTTON_LABEL_MAX)
    sections = sequence(sections, "sections")
    if not 1 <= len(sections) <= LIST_SECTIONS_MAX:
        raise OutboundValidationError(
            f"A list message has 1 to {LIST_SECTIONS_MAX} sections, not {len(sections)}.")
    built = []
    ids = set()
    total = 0
    for s_number, section in enumerate(sections, 1):
        section_title, rows = _pair(section, f"Section {s_number}", 2)
        _check_text(section_title, f"The title of section {s_number}", LIST_SECTION_TITLE_MAX)
        rows = sequence(rows, f"the rows of section {s_number}")
        if not rows:
            raise OutboundValidationError(f"Section {s_number} has no rows.")
        total += len(rows)
        if total > LIST_ROWS_MAX:
            raise OutboundValidationError(f"A list message has at most {LIST_ROWS_MAX} rows in all its sections.")
        built_rows = []
        for r_number, row in enumerate(rows, 1):
            where = f"row {r_number} of section {s_number}"
            row_id, title, description = _pair(row, where.capitalize(), 3)
            _check_text(row_id, f"The id of {where}", LIST_ROW_ID_MAX)
            _check_text(title, f"The title of {where}", LIST_ROW_TITLE_MAX)
            if row_id in ids:
                raise OutboundValidationError(f"Row id {row_id!r} is used twice.")
            ids.add(row_id)
            built_row = {"id": row_id, "title": title}
            if description is not None and description != "":
                _check_text(description, f"The description of {where}", LIST_ROW_DESCRIPTION_MAX)
                built_row["description"] = description
            built_rows.append(built_row)
        built.append({"title": section_title, "rows": built_rows})
    interactive = {"type": "list"}
    _add_header_footer(interactive, header, footer)
    interactive["body"] = {"text": body}
    interactive["action"] = {"button": button_label, "sections": built}
    return _envelope(to, "interactive", _ordered(interactive))


def template_payload(to: str, name: str, language: str, body_parameters: list,
                     header_parameters: list | None = None) -> dict:
    """A template with positional (``{{1}}``, ``{{2}}``...) text parameters, in placeholder order.

    Parameter values must be non-blank, without new lines or tabs and without
    more than four consecutive spaces (Meta's error 132018); a text header
    holds at most one parameter of 60 characters.
    """
    if not isinstance(name, str) or not _TEMPLATE_NAME.fullmatch(name) or len(name) > TEMPLATE_NAME_MAX:
        raise OutboundValidationError(
            f"{str(name)[:40]!r} is not a template name (lowercase letters, digits and underscores).")
    if not isinstance(language, str) or not _LANGUAGE_CODE.fullmatch(language):
        raise OutboundValidationError(f"{str(language)[:40]!r} is not a template language code such as en_US.")
    body_parameters = sequence(body_parameters, "body_parameters")
    header_parameters = sequence(header_parameters or [], "header_parameters")
    if len(header_parameters) > TEMPLATE_HEADER_PARAMETERS_MAX:
        raise OutboundValidationError(
            f"A template text header has at most {TEMPLATE_HEADER_PARAMETERS_MAX} parameter.")
    components = []
    if header_parameters:
        components.append({"type": "header", "parameters": _template_parameters(
            header_parameters, "header", TEMPLATE_HEADER_PARAMETER_MAX)})
    if body_parameters:
        components.append({"type": "body", "parameters": _template_parameters(
            body_parameters, "body", TEMPLATE_BODY_PARAMETER_MAX)})
    template = {"name": name, "language": {"code": language}}
    if components:
        template["components"] = components
    return _envelope(to, "template", template)


def image_payload(to: str, link: str | None = None, media_id: str | None = None,
                  caption: str | None = None) -> dict:
    """An image by uploaded ``media_id`` (recommended) or by public ``link``; exactly one of them."""
    if (link is None) == (media_id is None):
        raise OutboundValidationError("An image needs exactly one of link or media_id.")
    image = {}
    if media_id is not None:
        _check_text(media_id, "The media id", MEDIA_ID_MAX)
        image["id"] = media_id
    else:
        _check_text(link, "The image link", LINK_MAX)
        parts = urlsplit(link.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in link.strip()):
            raise OutboundValidationError(f"The image link {link[:60]!r} is not an http(s) URL.")
        image["link"] = link.strip()
    if caption is not None and caption != "":
        _check_text(caption, "The image caption", CAPTION_MAX)
        image["caption"] = caption
    return _envelope(to, "image", image)


def mark_read_payload(message_id: str) -> dict:
    """Marks an inbound message (and the earlier ones of the thread) as read."""
    _check_text(message_id, "The message id", MESSAGE_ID_MAX)
    return {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}


def _envelope(to, message_type, content):
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": normalize_recipient(to),
        "type": message_type,
        message_type: content,
    }


def _check_text(value, what, limit):
    return check_text(value, what, limit, platform="WhatsApp")


def _pair(value, what, size):
    if not isinstance(value, (list, tuple)) or len(value) != size:
        raise OutboundValidationError(f"{what} must be a tuple of {size} values.")
    return tuple(value)


def _add_header_footer(interactive, header, footer):
    if header is not None and header != "":
        _check_text(header, "The header", HEADER_MAX)
        interactive["header"] = {"type": "text", "text": header}
    if footer is not None and footer != "":
        _check_text(footer, "The footer", FOOTER_MAX)
        interactive["footer"] = {"text": footer}


def _ordered(interactive):
    order = ("type", "header", "body", "footer", "action")
    return {key: interactive[key] for key in order if key in interactive}


def _template_parameters(values, component, limit):
    parameters = []
    for number, value in enumerate(values, 1):
        what = f"Template {component} parameter {number}"
        _check_text(value, what, limit)
        if _FORBIDDEN_IN_PARAMETER.search(value):
            raise OutboundValidationError(
                f"{what} contains a new line, a tab or more than 4 consecutive spaces, which WhatsApp refuses.")
        parameters.append({"type": "text", "text": value})
    return parameters


def rendered_payloads(rendered, to: str) -> list:
    """The Cloud API request bodies for a message rendered with the WhatsApp profile."""
    if rendered.kind == "text":
        return [text_payload(to, rendered.body)]
    if rendered.kind == "buttons":
        return [buttons_payload(
            to, rendered.body, [(o.id, o.title) for o in rendered.options],
            header=rendered.header, footer=rendered.footer)]
    if rendered.kind == "list":
        rows = [(o.id, o.title, o.description) for o in rendered.options]
        return [list_payload(
            to, rendered.body, rendered.button_label, [(rendered.section_title, rows)],
            header=rendered.header, footer=rendered.footer)]
    raise ValueError(f"WhatsApp has no '{rendered.kind}' messages; render with the WhatsApp profile.")
