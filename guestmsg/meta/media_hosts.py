"""Where the server may download media from, and which of those hosts may see the access token.

Media is fetched from two places only: the Graph API origin (scheme, host and port of the configured
base URL) and Meta's media CDNs over https. Anything else, such as a link a guest shared, is shown to
staff as a link and never fetched by the server.
"""

import re
from urllib.parse import urlsplit

# WhatsApp media (lookaside.fbsbx.com/whatsapp_business/...), Messenger attachments (scontent*.xx.fbcdn.net,
# cdn.fbsbx.com) and Instagram attachments (lookaside.fbsbx.com/ig_messaging_cdn/..., *.cdninstagram.com).
META_MEDIA_DOMAINS = ("fbsbx.com", "fbcdn.net", "cdninstagram.com")
# WhatsApp Cloud API media URLs refuse a download without the bearer token; the other CDN URLs are signed.
META_TOKEN_HOSTS = frozenset({"lookaside.fbsbx.com"})

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
# Characters that URL parsers disagree about: a URL holding one may not reach the host it seems to name.
_AMBIGUOUS = re.compile(r"[\x00-\x20\x7f\\]")


def url_origin(url):
    """``(scheme, host, port)`` of an absolute http(s) URL, or None for anything else, including URLs with
    credentials, spaces, backslashes or a bad port."""
    if not isinstance(url, str) or _AMBIGUOUS.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or "@" in parts.netloc or not parts.hostname:
        return None
    return scheme, parts.hostname, port or _DEFAULT_PORTS[scheme]


def is_meta_cdn(origin):
    scheme, host, port = origin
    return (scheme, port) == ("https", 443) and bool(_HOSTNAME.fullmatch(host)) and any(
        host.endswith(f".{domain}") for domain in META_MEDIA_DOMAINS)


class MediaHosts:
    """The media allowlist for one Graph API base URL."""

    def __init__(self, graph_base_url):
        self.graph_origin = url_origin(graph_base_url)

    def allows(self, url):
        origin = url_origin(url)
        return origin is not None and (origin == self.graph_origin or is_meta_cdn(origin))

    def takes_token(self, url):
        origin = url_origin(url)
        return origin is not None and (
            origin == self.graph_origin or (is_meta_cdn(origin) and origin[1] in META_TOKEN_HOSTS))
