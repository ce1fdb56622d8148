"""What each channel can show, and how an abstract bot message is fitted to it.

The bot speaks in :class:`Text`, :class:`Buttons` and :class:`OptionList`.
:func:`degrade` turns one of them into a :class:`Rendered` message a channel
can actually display, trying the richest form first:

* Buttons: reply buttons, else a list, else quick replies, else numbered text;
* OptionList: a list, else a carousel of cards (generic template, when the
  options have a description or an image), else quick replies, else
  buttons, else numbered text.

A form is used only if the option count fits, every id fits the channel and
the shortened titles are still distinguishable; otherwise the next form is
tried. Numbered text ("1. Breakfast") always works, and :func:`resolve_reply`
maps the guest's answer (a tapped id, "2", "#2", "option 2", a title) back to
the option.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from guestmsg.channels import wire

ELLIPSIS = "…"
DEFAULT_LIST_BUTTON_LABEL = "Options"
DEFAULT_SELECT_LABEL = "Select"
# an option's title in numbered text, when the options would crowd out the question
NUMBERED_TITLE_MAX = 24


@dataclass(frozen=True)
class Option:
    id: str
    title: str
    description: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class Text:
    body: str

    def __post_init__(self):
        _require_body(self.body)


@dataclass(frozen=True)
class Buttons:
    body: str
    options: tuple
    header: str | None = None
    footer: str | None = None

    def __post_init__(self):
        _require_body(self.body)
        object.__setattr__(self, "options", _require_options(self.options))


@dataclass(frozen=True)
class OptionList:
    body: str
    button_label: str
    options: tuple
    header: str | None = None
    footer: str | None = None
    section_title: str | None = None

    def __post_init__(self):
        _require_body(self.body)
        object.__setattr__(self, "options", _require_options(self.options))


@dataclass(frozen=True)
class CapabilityProfile:
    """Limits of one channel: a channel declares what it supports, everything else is absent (0, False).
    Lengths are in UTF-16 code units unless ``text_unit`` says "utf8" (which then applies to the message
    text only)."""

    text_max: int
    interactive_body_max: int
    name: str = ""  # the channel's code, set when the channel is declared
    supports_lists: bool = False
    supports_buttons: bool = False
    supports_quick_replies: bool = False
    supports_generic_template: bool = False
    max_buttons: int = 0
    button_title_max: int = 0
    max_list_rows: int = 0
    list_row_title_max: int = 0
    list_row_description_max: int = 0
    list_button_label_max: int = 0
    max_quick_replies: int = 0
    quick_reply_title_max: int = 0
    list_body_max: int = 0
    list_section_title_max: int = 0
    header_max: int = 0
    footer_max: int = 0
    button_id_max: int = 0
    list_row_id_max: int = 0
    quick_reply_payload_max: int = 0
    max_generic_elements: int = 0
    generic_title_max: int = 0
    generic_subtitle_max: int = 0
    text_unit: str = "utf16"


class _Profiles(Mapping):
    """Each registered channel's profile by code, read from the channel registry (its one owner)."""

    def __getitem__(self, code):
        from guestmsg.channels.registry import channel  # pylint: disable=import-outside-toplevel

        try:
            return channel(code).profile
        except KeyError:
            raise KeyError(code) from None

    def __iter__(self):
        from guestmsg.channels.registry import channels  # pylint: disable=import-outside-toplevel

        return iter([c.code for c in channels()])

    def __len__(self):
        return len(list(iter(self)))


PROFILES = _Profiles()


def option_title_limits(profile: CapabilityProfile) -> dict:
    """The most characters an option's title may have in each form ``profile`` can show it in, by kind of
    :class:`Rendered`: a longer title is shortened there (:func:`degrade`)."""
    forms = {
        "buttons": profile.supports_buttons and profile.button_title_max,
        "list": profile.supports_lists and profile.list_row_title_max,
        "generic": profile.supports_generic_template and profile.generic_title_max,
        "quick_replies": profile.supports_quick_replies and profile.quick_reply_title_max,
        "text": NUMBERED_TITLE_MAX,
    }
    return {kind: limit for kind, limit in forms.items() if limit}


@dataclass(frozen=True)
class Rendered:
    """A message fitted to a channel.

    ``options`` are the options the guest can answer with, titles shortened
    to the channel's limits; for numbered text they are the original options
    and ``numbered_options`` holds the same tuple. For a carousel (kind
    ``generic``) each option is a card and ``button_label`` is the title of
    its select button.
    """

    kind: str
    body: str
    options: tuple = ()
    header: str | None = None
    footer: str | None = None
    button_label: str | None = None
    section_title: str | None = None
    numbered_options: tuple = ()
    profile: str | None = None


# --- lengths and graphemes -------------------------------------------------


def text_length(text: str, unit: str = "utf16") -> int:
    return wire.text_length(text, unit)


def _extends_cluster(char, previous):
    code = ord(char)
    if previous == "\u200d":  # zero-width joiner glues the next emoji
        return True
    if unicodedata.category(char) in ("Mn", "Mc", "Me"):
        return True
    return (
        code == 0x200D
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
    )


def _is_regional_indicator(char):
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> list:
    """Split into user-perceived characters, close enough for cutting safely:
    a base with its combining marks, emoji ZWJ sequences, skin tones,
    variation selectors, keycaps, flags and CR LF stay together."""
    clusters = []
    previous = ""
    regional_run = 0
    for char in text:
        regional = _is_regional_indicator(char)
        glue = clusters and (
            _extends_cluster(char, previous)
            or (previous == "\r" and char == "\n")
            or (regional and regional_run % 2 == 1)
        )
        if glue:
            clusters[-1] += char
        else:
            clusters.append(char)
        regional_run = regional_run + 1 if regional else 0
        previous = char
    return clusters


def _cut(text, budget, unit):
    """The longest prefix of whole graphemes whose length is at most ``budget``."""
    taken = []
    used = 0
    # each code point is at least one unit, so budget + a margin code points are enough to look at
    for cluster in graphemes(text[:budget + 16]):
        size = text_length(cluster, unit)
        if used + size > budget:
            break
        taken.append(cluster)
        used += size
    return "".join(taken)


_TRAILING_PUNCTUATION = " \t\n,;:-–—/"


def _collapse(text):
    return " ".join(str(text).split())


def shorten(title: str, limit: int, unit: str = "utf16") -> str:
    """Fit a one-line title (button, row, quick reply) into ``limit``.

    Whitespace is collapsed and stripped. As few whole trailing words as
    possible are dropped and "…" is added when it still fits; the first word
    is always kept, and only when it alone is too long is it cut, between
    graphemes, so an emoji or a letter with its accents is never split.
    "Continue with assistant" at 20 gives "Continue with…", at 13
    "Continue with", at 8 "Continue".
    """
    text = _collapse(title or "")
    if limit <= 0:
        return ""
    if text_length(text, unit) <= limit:
        return text
    words = text.split(" ")
    ellipsis_size = text_length(ELLIPSIS, unit)
    for count in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:count]).rstrip(_TRAILING_PUNCTUATION) or " ".join(words[:count])
        size = text_length(candidate, unit)
        if size <= limit:
            return candidate + ELLIPSIS if size + ellipsis_size <= limit else candidate
    if limit > ellipsis_size:
        return _cut(words[0], limit - ellipsis_size, unit) + ELLIPSIS
    return _cut(words[0], limit, unit)


def fit_text(text: str, limit: int, unit: str = "utf16") -> str:
    """Fit a body of text into ``limit``, cutting at a word boundary with "…".

    Line breaks are kept. A cut falls on a word boundary unless that would
    lose more than half the text, then between graphemes.
    """
    text = str(text).strip()
    if limit <= 0:
        return ""
    if text_length(text, unit) <= limit:
        return text
    ellipsis_size = text_length(ELLIPSIS, unit)
    if limit <= ellipsis_size:
        return _cut(text, limit, unit)
    prefix = _cut(text, limit - ellipsis_size, unit)
    if not text[len(prefix)].isspace():
        boundary = max(prefix.rfind(" "), prefix.rfind("\n"), prefix.rfind("\t"))
        if boundary > len(prefix) // 2:
            prefix = prefix[:boundary]
    prefix = prefix.rstrip(_TRAILING_PUNCTUATION) or prefix.rstrip()
    return prefix + ELLIPSIS


# --- degradation -----------------------------------------------------------


def degrade(message, profile: CapabilityProfile, list_button_label: str = DEFAULT_LIST_BUTTON_LABEL,
            select_label: str = DEFAULT_SELECT_LABEL) -> Rendered:
    """Fit ``message`` (Text, Buttons or OptionList) to ``profile``.

    ``list_button_label`` labels the list when Buttons have to become a list
    (Buttons carry no label of their own); ``select_label`` is the button on
    each card of a carousel.
    """
    if isinstance(message, Text):
        return Rendered(kind="text", body=fit_text(message.body, profile.text_max, profile.text_unit),
                        profile=profile.name)
    if isinstance(message, Buttons):
        forms = (_as_buttons, _as_list, _as_quick_replies)
        label = list_button_label
    elif isinstance(message, OptionList):
        forms = (_as_list, partial(_as_generic, select_label=select_label), _as_quick_replies, _as_buttons)
        label = message.button_label
    else:
        raise TypeError(f"Cannot render {type(message).__name__}; expected Text, Buttons or OptionList.")
    for form in forms:
        rendered = form(message, profile, label)
        if rendered is not None:
            return rendered
    return _as_numbered_text(message, profile)


def _as_buttons(message, profile, _label):
    options = message.options
    if not profile.supports_buttons or len(options) > profile.max_buttons:
        return None
    if not _ids_fit(options, profile.button_id_max):
        return None
    fitted = tuple(Option(o.id, shorten(o.title, _title_max(profile, "buttons"))) for o in options)
    if not _distinct(fitted):
        return None
    body, header, footer = _body_header_footer(message, profile, profile.interactive_body_max)
    return Rendered(kind="buttons", body=body, options=fitted, header=header, footer=footer, profile=profile.name)


def _as_list(message, profile, label):
    options = message.options
    if not profile.supports_lists or len(options) > profile.max_list_rows:
        return None
    if not _ids_fit(options, profile.list_row_id_max):
        return None
    fitted = tuple(
        Option(
            o.id,
            shorten(o.title, _title_max(profile, "list")),
            fit_text(o.description, profile.list_row_description_max) if o.description else None,
        )
        for o in options
    )
    if not _distinct(fitted):
        return None
    button_label = shorten(label, profile.list_button_label_max) or shorten(
        DEFAULT_LIST_BUTTON_LABEL, profile.list_button_label_max)
    section_title = getattr(message, "section_title", None) or label
    section_title = shorten(section_title, profile.list_section_title_max) or button_label
    body, header, footer = _body_header_footer(message, profile, profile.list_body_max or profile.interactive_body_max)
    return Rendered(kind="list", body=body, options=fitted, header=header, footer=footer,
                    button_label=button_label, section_title=section_title, profile=profile.name)


def _as_generic(message, profile, _label, select_label=DEFAULT_SELECT_LABEL):
    """Room cards: one element per option, with its description and image and a select button."""
    options = message.options
    if not profile.supports_generic_template or len(options) > profile.max_generic_elements:
        return None
    if not _ids_fit(options, profile.button_id_max):
        return None
    fitted = tuple(
        Option(
            o.id,
            shorten(o.title, _title_max(profile, "generic")),
            fit_text(_collapse(o.description or ""), profile.generic_subtitle_max) or None,
            o.image_url.strip() if wire.is_http_url(o.image_url) else None,
        )
        for o in options
    )
    # bare titles read better as quick replies than as empty cards
    if not _distinct(fitted) or not any(o.description or o.image_url for o in fitted):
        return None
    select = shorten(select_label, profile.button_title_max) or shorten(
        DEFAULT_SELECT_LABEL, profile.button_title_max)
    body, header, footer = _body_header_footer(message, profile, profile.text_max)
    return Rendered(kind="generic", body=body, options=fitted, header=header, footer=footer,
                    button_label=select, profile=profile.name)


def _as_quick_replies(message, profile, _label):
    options = message.options
    if not profile.supports_quick_replies or len(options) > profile.max_quick_replies:
        return None
    if not _ids_fit(options, profile.quick_reply_payload_max):
        return None
    fitted = tuple(Option(o.id, shorten(o.title, _title_max(profile, "quick_replies"))) for o in options)
    if not _distinct(fitted):
        return None
    body, header, footer = _body_header_footer(message, profile, profile.text_max)
    return Rendered(kind="quick_replies", body=body, options=fitted, header=header, footer=footer,
                    profile=profile.name)


def _as_numbered_text(message, profile):
    """The question, then one numbered line per option, then the footer."""
    options = message.options
    unit = profile.text_unit
    body = message.body.strip()
    if message.header and _collapse(message.header):
        body = f"{_collapse(message.header)}\n\n{body}"
    footer = message.footer.strip() if message.footer else ""
    block = "\n".join(_numbered_line(n, o.title, o.description) for n, o in enumerate(options, 1))
    if text_length(block, unit) > profile.text_max // 2:
        # many or long options: shorter lines leave room for the question
        block = "\n".join(f"{n}. {shorten(o.title, NUMBERED_TITLE_MAX, unit)}" for n, o in enumerate(options, 1))
    tail = f"{block}\n\n{footer}" if footer else block
    room = profile.text_max - text_length(tail, unit) - 2
    if room >= 16:
        text = fit_text(body, room, unit) + "\n\n" + tail
    else:
        text = fit_text(body + "\n\n" + block, profile.text_max, unit)
    return Rendered(kind="text", body=text, options=options, numbered_options=options, profile=profile.name)


def _numbered_line(number, title, description):
    line = f"{number}. {_collapse(title)}"
    if description and _collapse(description):
        line += f" – {_collapse(description)}"
    return line


def _body_header_footer(message, profile, body_max):
    """The fitted body, header and footer; when the form has no header or footer
    they are folded into the body text."""
    body = message.body.strip()
    header = _collapse(message.header) if message.header else None
    footer = message.footer.strip() if message.footer else None
    if header and not profile.header_max:
        body = f"{header}\n\n{body}"
        header = None
    if footer and not profile.footer_max:
        body = f"{body}\n\n{footer}"
        footer = None
    header = shorten(header, profile.header_max) if header else None
    footer = fit_text(footer, profile.footer_max) if footer else None
    return fit_text(body, body_max, profile.text_unit), header or None, footer or None


def _title_max(profile, kind):
    return option_title_limits(profile).get(kind, 0)


def _ids_fit(options, id_max):
    return all(text_length(o.id) <= id_max for o in options)


def _distinct(options):
    keys = [_normalize(o.title) for o in options]
    return all(keys) and len(set(keys)) == len(keys)


# --- answers ---------------------------------------------------------------

_NUMBER_ANSWER = re.compile(
    r"(?:(?:option|opcion|opcao|opzione|choice|number|numero|nummer|nr|no|n)\s*\.?\s*|#\s*)?"
    r"(\d{1,3})\s*[.):]?"
)
_KEYCAP_MARKS = str.maketrans("", "", "\ufe0f\u20e3")


def _normalize(text):
    """Case-, accent-, width- and whitespace-insensitive form of a title or an answer."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_KEYCAP_MARKS)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = " ".join(text.split())
    return text.rstrip(ELLIPSIS + ".").strip()


def resolve_reply(text_or_reply_id, options) -> Option | None:
    """The option a guest's answer designates, or None.

    In order: an exact option id (a tapped button, row or quick reply); a
    number within range ("2", "2.", "#2", " 2 ", "option 2", full-width
    "２", keycap "2️⃣"); a title, ignoring case, accents and width, either in
    full or as shortened for a button/row/quick reply. An answer that
    matches several titles designates none.
    """
    if not isinstance(text_or_reply_id, str) or not options:
        return None
    options = tuple(options)
    for option in options:
        if option.id == text_or_reply_id:
            return option
    stripped = text_or_reply_id.strip()
    if not stripped or len(stripped) > 1000:
        return None
    for option in options:
        if option.id == stripped:
            return option
    answer = _normalize(stripped)
    match = _NUMBER_ANSWER.fullmatch(answer)
    if match:
        number = int(match.group(1))
        return options[number - 1] if 1 <= number <= len(options) else None
    if not answer:
        return None
    found = [o for o in options if answer in _title_forms(o.title)]
    return found[0] if len(found) == 1 else None


def _title_forms(title):
    forms = {_normalize(title)}
    for limit in (20, 24):
        forms.add(_normalize(shorten(title, limit)))
    forms.discard("")
    return forms


# --- validation of abstract messages --------------------------------------


def _require_body(body):
    if not isinstance(body, str) or not body.strip():
        raise ValueError("A bot message needs a non-empty body.")


def _require_options(options):
    options = tuple(options)
    if not options:
        raise ValueError("A choice needs at least one option.")
    ids = set()
    for option in options:
        if not isinstance(option, Option):
            raise ValueError(f"Options must be Option instances, not {type(option).__name__}.")
        if not isinstance(option.id, str) or not option.id.strip():
            raise ValueError("Every option needs a non-empty id.")
        if not isinstance(option.title, str) or not option.title.strip():
            raise ValueError(f"Option {option.id!r} needs a non-empty title.")
        if option.image_url is not None and not isinstance(option.image_url, str):
            raise ValueError(f"The image of option {option.id!r} must be a URL string.")
        if option.id in ids:
            raise ValueError(f"Option id {option.id!r} is used twice.")
        ids.add(option.id)
    return options
