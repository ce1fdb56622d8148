"""The ``X-Hub-Signature-256`` header Meta puts on every webhook POST.

The value is ``sha256=`` followed by the hex HMAC-SHA256 of the raw request
body, keyed with the app secret. It must be computed over the bytes exactly as
received: re-serialising the decoded JSON changes the bytes (Meta escapes
non-ASCII characters as ``\\uXXXX``) and the check then fails.
"""

import hashlib
import hmac

PREFIX = "sha256="
_HEX_LENGTH = hashlib.sha256().digest_size * 2
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _key(app_secret):
    if isinstance(app_secret, str):
        return app_secret.encode("utf-8")
    if isinstance(app_secret, (bytes, bytearray, memoryview)):
        return bytes(app_secret)
    return None


def _body(raw_body):
    if isinstance(raw_body, (bytes, bytearray, memoryview)):
        return bytes(raw_body)
    return None


def sign(app_secret: str | bytes, raw_body: bytes) -> str:
    """Return the header value Meta would send for ``raw_body``: ``"sha256=<hex>"``.

    Raises ``ValueError`` for an empty secret and ``TypeError`` when the body
    is not bytes (a ``str`` body would need an encoding guess, which is exactly
    how signatures end up not matching).
    """
    key = _key(app_secret)
    if key is None:
        raise TypeError("The app secret must be str or bytes.")
    if not key:
        raise ValueError("The app secret is empty.")
    body = _body(raw_body)
    if body is None:
        raise TypeError("The body to sign must be the raw request bytes.")
    return PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify_signature(app_secret: str | bytes | None, raw_body: bytes, header_value: str | bytes | None) -> bool:
    """Whether ``header_value`` is the valid signature of ``raw_body``.

    Never raises: a missing or empty secret, a missing header, a prefix other
    than ``sha256=``, anything but exactly 64 hex digits, non-ASCII text or a
    body that is not bytes all give ``False``. Surrounding whitespace is not
    part of an HTTP header value and is ignored; the hex digits may be upper
    or lower case. The digests are compared with :func:`hmac.compare_digest`.
    """
    key = _key(app_secret)
    body = _body(raw_body)
    if not key or body is None or header_value is None:
        return False
    if isinstance(header_value, (bytes, bytearray)):
        try:
            header_value = bytes(header_value).decode("ascii")
        except UnicodeDecodeError:
            return False
    if not isinstance(header_value, str):
        return False
    value = header_value.strip()
    if not value.isascii() or not value.startswith(PREFIX):
        return False
    received_hex = value[len(PREFIX):]
    if len(received_hex) != _HEX_LENGTH or not _HEX_DIGITS.issuperset(received_hex):
        return False
    received = bytes.fromhex(received_hex)
    expected = hmac.new(key, body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, received)
