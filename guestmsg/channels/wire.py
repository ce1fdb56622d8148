"""What every channel's wire format shares: lengths counted as platforms count them, checked text, lists
and http(s) URLs. A check that fails raises :class:`OutboundValidationError`, which says what and why."""

from urllib.parse import urlsplit

URL_MAX = 2048


class OutboundValidationError(ValueError):
    """Content that the channel would refuse; the message says what and why."""


def text_length(text: str, unit: str = "utf16") -> int:
    """Length in UTF-16 code units (an emoji outside the Basic Multilingual Plane counts as 2, the stricter
    reading of Meta's limits), or in UTF-8 bytes when ``unit`` is "utf8"."""
    if unit == "utf8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def check_text(value, what, limit, unit="utf16", platform="Meta"):
    """``value`` as a non-blank string of at most ``limit`` (in ``unit``), else OutboundValidationError."""
    if not isinstance(value, str):
        raise OutboundValidationError(f"{what} must be text, not {type(value).__name__}.")
    if not value.strip():
        raise OutboundValidationError(f"{what} is empty.")
    length = text_length(value, unit)
    if length > limit:
        counted = "bytes in UTF-8" if unit == "utf8" else "characters"
        raise OutboundValidationError(f"{what} has {length} {counted}; {platform} allows at most {limit}.")
    return value


def sequence(value, what) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    raise OutboundValidationError(f"{what} must be a list, not {type(value).__name__}.")


def is_http_url(url) -> bool:
    """Whether ``url`` is an absolute http(s) URL without spaces, of at most URL_MAX characters."""
    if not isinstance(url, str):
        return False
    url = url.strip()
    if not url or len(url) > URL_MAX or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
