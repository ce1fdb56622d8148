"""A small client for Meta's Graph API: WhatsApp Cloud API, Messenger and Instagram Send API, onboarding.

Every failure is raised as one of three :class:`GraphError` subclasses, each extending the
channel-neutral error of :mod:`guestmsg.channels.errors` that the queues catch, so that callers can
decide what to do without reading Meta's error tables:

* :class:`GraphTransientError` - the same request may succeed later (network trouble, 5xx, rate
  limits); retry it with :func:`guestmsg.core.backoff.backoff_delay`.
* :class:`GraphTokenError` - the token is expired, invalid or lacks a permission; the connection
  needs re-authorisation before anything else will work.
* :class:`GraphPermanentError` - the request itself is wrong or cannot be delivered (closed 24 h
  window, template problem, undeliverable number, ...); retrying it unchanged is pointless.

The Cloud API has no idempotency key: a send that timed out may still have been accepted by Meta.
Such errors carry ``ambiguous=True`` so that a retry queue can wait for a status webhook instead of
resending blindly.
"""

import email.utils
import hashlib
import hmac
import json
import math
import re
import socket
import threading
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from guestmsg.channels.errors import ChannelCredentialError, ChannelError, ChannelPermanentError, ChannelTransientError
from guestmsg.meta.media_hosts import MediaHosts

DEFAULT_BASE_URL = "https://graph.facebook.com"
# The reference names no single version: v23.0 is the newest one it shows in use (OCA
# mail_gateway_whatsapp 18.0.2.2.0) and predates the v24.0 webhook change to ``conversation``.
DEFAULT_VERSION = "v23.0"
DEFAULT_USER_AGENT = "guest-messaging/18.0"
DEFAULT_MEDIA_MAX_BYTES = 100 * 1024 * 1024
# The whole download, redirects included: it runs inside an agent's request.
DEFAULT_MEDIA_MAX_SECONDS = 60
MAX_MEDIA_REDIRECTS = 3

# Error bodies larger than this are not worth parsing: a Graph error envelope is a few hundred bytes.
MAX_ERROR_BODY_BYTES = 64 * 1024
MAX_ERROR_MESSAGE_CHARS = 1000
MAX_TEMPLATE_PAGES = 50

TEMPLATE_FIELDS = ("id", "name", "language", "status", "category", "parameter_format", "components")

# Graph codes after which the very same request may succeed later.
TRANSIENT_CODES = {
    1: "API Unknown: possibly a temporary issue due to downtime",
    2: "API Service: temporary downtime or overload",
    4: "API Too Many Calls: application request limit reached",
    17: "API User Too Many Calls: user request limit reached",
    32: "Page request limit reached",
    613: "Calls to this API have exceeded the rate limit",
    80007: "WhatsApp Business Account rate limit reached",
    130429: "Cloud API throughput (messages per second) reached",
    131016: "Service temporarily unavailable",
    131056: "Pair rate limit: too many messages to the same user",
    131057: "Business account in maintenance (e.g. throughput upgrade)",
    133004: "Server temporarily unavailable",
}

# Graph codes that are transient only when Meta answers with HTTP 5xx.
TRANSIENT_IF_5XX_CODES = {
    131000: "Something went wrong (unknown error)",
}

# Graph codes meaning the token (or a permission granted with it) is no longer usable. Codes 200-299
# (API permission errors) are token errors too, see is_token_error().
TOKEN_CODES = {
    0: "AuthException: the app user could not be authenticated",
    10: "Permission denied or removed",
    102: "API session: the session key is invalid or no longer valid",
    104: "An access token is required",
    190: "Access token expired, invalid or revoked",
    463: "Access token has expired",
    467: "Access token is invalid",
    131005: "Access denied: permission not granted or removed",
}

# error_subcode values of code 190 (and friends) naming why the token died.
TOKEN_SUBCODES = {
    458: "App not installed / authorised by the user",
    459: "User checkpointed: must log in to Facebook",
    460: "Password changed",
    463: "Token expired",
    464: "Unconfirmed user",
    467: "Invalid access token",
    492: "Invalid session (user no longer has a role on the Page)",
}

# Codes and subcodes that must never be retried nor taken for a token problem, even when Meta
# answers with a rate-limit (429) status or a permission code (10, 200-299).
PERMANENT_CODES = {
    131048: "Spam rate limit: too many messages blocked or flagged; pause, do not retry",
}
PERMANENT_SUBCODES = {
    2018065: "Messenger: message sent outside of the allowed window",
    2018278: "Messenger: message sent outside of the allowed window",
    2018108: "Messenger: this person cannot receive messages right now",
    1545041: "Messenger/Instagram: this person isn't available right now",
}

_SECRET_PARAMS = re.compile(
    r"((?:client_secret|access_token|fb_exchange_token|input_token|code|appsecret_proof)=)[^&\s'\"]*"
)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")


def _redact(text):
    return _SECRET_PARAMS.sub(r"\1***", text)


def _int_or_none(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def is_token_error(code, subcode=None):
    if subcode in TOKEN_SUBCODES:
        return True
    return code is not None and (code in TOKEN_CODES or 200 <= code <= 299)


def error_class_for(http_status=None, code=None, subcode=None):
    """The GraphError subclass for a Graph error; also usable for errors[] of failed status webhooks."""
    if subcode in PERMANENT_SUBCODES or code in PERMANENT_CODES:
        return GraphPermanentError
    if is_token_error(code, subcode):
        return GraphTokenError
    if code in TRANSIENT_CODES:
        return GraphTransientError
    if code in TRANSIENT_IF_5XX_CODES:
        return GraphTransientError if (http_status or 0) >= 500 else GraphPermanentError
    if http_status is not None and http_status >= 500:
        return GraphTransientError
    if code is None and http_status in (408, 429):
        return GraphTransientError
    if code is None and http_status == 401:
        return GraphTokenError
    return GraphPermanentError


class GraphError(ChannelError):
    """A failed Graph API call. ``retryable`` tells whether the same request may succeed later."""

    def __init__(self, message, *, http_status=None, code=None, subcode=None, error_type=None, fbtrace_id=None,
                 details=None, retry_after=None, ambiguous=False, raw=None):
        self.subcode = subcode
        self.error_type = error_type
        self.fbtrace_id = fbtrace_id
        self.details = details
        self.raw = raw
        super().__init__(message, code=code, http_status=http_status, retry_after=retry_after, ambiguous=ambiguous)
        self.args = (self._describe(),)

    def _describe(self):
        parts = []
        if self.code is not None:
            parts.append(f"Graph error {self.code}" + (f"/{self.subcode}" if self.subcode is not None else ""))
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        head = " ".join(parts)
        text = f"{head}: {self.message}" if head else str(self.message)
        if self.details and self.details not in text:
            text = f"{text} ({self.details})"
        if self.fbtrace_id:
            text = f"{text} [fbtrace_id {self.fbtrace_id}]"
        return text

    @classmethod
    def from_error(cls, error, *, http_status=None, retry_after=None, fbtrace_id=None):
        """Build the right subclass from a Graph ``error`` object (or a webhook ``errors[]`` item)."""
        if not isinstance(error, dict):
            error = {}
        code = _int_or_none(error.get("code"))
        subcode = _int_or_none(error.get("error_subcode"))
        error_data = error.get("error_data")
        if isinstance(error_data, str):
            try:
                error_data = json.loads(error_data)
            except ValueError:
                error_data = {"details": error_data}
        details = error_data.get("details") if isinstance(error_data, dict) else None
        message = error.get("message") or error.get("error_user_msg") or error.get("title") or "Graph API error"
        return error_class_for(http_status, code, subcode)(
            _truncate(str(message)),
            http_status=http_status,
            code=code,
            subcode=subcode,
            error_type=error.get("type"),
            fbtrace_id=error.get("fbtrace_id") or fbtrace_id,
            details=_truncate(str(details)) if details is not None else None,
            retry_after=retry_after,
            raw=error,
        )

    @classmethod
    def from_response(cls, response, body=None):
        """Parse Meta's error envelope out of a ``requests.Response``; tolerant of any body.

        ``body`` may carry bytes already read (e.g. from a streamed response); otherwise
        ``response.content`` is used. Only the first MAX_ERROR_BODY_BYTES are looked at.
        """
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None) or {}
        retry_after = parse_retry_after(headers.get("Retry-After"))
        header_trace = headers.get("x-fb-trace-id")
        if body is None:
            try:
                body = response.content or b""
            except (requests.RequestException, RuntimeError):
                body = b""
        if isinstance(body, str):
            body = body.encode("utf-8", "replace")
        truncated = len(body) > MAX_ERROR_BODY_BYTES
        body = body[:MAX_ERROR_BODY_BYTES]
        payload = None
        if body.strip() and not truncated:
            try:
                payload = json.loads(body.decode("utf-8", "replace"))
            except ValueError:
                payload = None
        if isinstance(payload, dict):
            error = payload.get("error")
            if isinstance(error, dict):
                return cls.from_error(error, http_status=status, retry_after=retry_after, fbtrace_id=header_trace)
            if isinstance(error, str) or "error_message" in payload:
                # OAuth-style bodies: {"error": "...", "error_description": "..."} or Instagram's
                # {"error_type": ..., "code": <HTTP status>, "error_message": ...}: no Graph code in either.
                return cls.from_error(
                    {
                        "message": payload.get("error_description") or payload.get("error_message") or error,
                        "type": payload.get("error_type") or (error if isinstance(error, str) else None),
                    },
                    http_status=status, retry_after=retry_after, fbtrace_id=header_trace,
                )
        message = _describe_body(body, status, truncated)
        klass = error_class_for(status, None, None)
        return klass(message, http_status=status, fbtrace_id=header_trace, retry_after=retry_after,
                     raw=body.decode("utf-8", "replace")[:MAX_ERROR_MESSAGE_CHARS])


class GraphTransientError(GraphError, ChannelTransientError):
    retryable = True


class GraphTokenError(GraphError, ChannelCredentialError):
    retryable = False


class GraphPermanentError(GraphError, ChannelPermanentError):
    retryable = False


class MediaHostRefused(GraphPermanentError):
    """A media URL, or a redirect, leads outside the Graph API origin and Meta's media CDNs: not fetched."""

    def __init__(self, url, **kwargs):
        self.url = url
        super().__init__(
            f"Media at {_truncate(_redact(str(url)), 300)} was not downloaded: the server fetches media only "
            "from the Graph API and Meta's media CDNs", **kwargs)


def _truncate(text, limit=MAX_ERROR_MESSAGE_CHARS):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_body(body, status, truncated):
    reason = f"HTTP {status}" if status is not None else "Unexpected response"
    if not body.strip():
        return f"{reason} with an empty body"
    title = _HTML_TITLE.search(body)
    if title:
        text = title.group(1).decode("utf-8", "replace")
    else:
        text = _HTML_TAG.sub(" ", body.decode("utf-8", "replace"))
    text = " ".join(text.split())
    text = _truncate(text, 200)
    suffix = " (body truncated)" if truncated else ""
    return f"{reason} with a non-JSON body: {text}{suffix}" if text else f"{reason} with a non-JSON body{suffix}"


def _is_before_send(exc):
    """Whether a connection error happened before any byte of the request left this machine."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return type(reason).__name__ in ("NewConnectionError", "NameResolutionError")


def _too_slow(max_seconds):
    return GraphTransientError(f"Media download took more than {max_seconds} seconds")


def _socket_of(response):
    """The socket a streamed ``requests`` response reads from, or None."""
    raw = response.raw
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is None:
        # http.client hands the socket over to the response when the server closes after it (HTTP/1.0)
        reader = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(reader, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


class _Watchdog:
    """Shuts a streamed response's socket down at ``deadline``.

    Read timeouts bound each ``recv`` only: a server dripping a byte at a time never trips them.
    """

    def __init__(self, response, deadline):
        self.fired = False
        self._sock = _socket_of(response)
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self):
        self.fired = True
        if self._sock is not None:
            try:
                # the plain socket's shutdown: SSLSocket.shutdown would also drop its TLS state under the reader
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self):
        self._timer.cancel()


class GraphClient:
    """Graph API calls over one reused ``requests.Session``; JSON in, JSON out, typed errors."""

    def __init__(self, base_url=DEFAULT_BASE_URL, version=DEFAULT_VERSION, access_token=None, session=None,
                 connect_timeout=3.05, read_timeout=20, user_agent=DEFAULT_USER_AGENT, app_secret=None):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        version = (version or DEFAULT_VERSION).strip("/")
        self.version = version if version.startswith("v") else f"v{version}"
        self.access_token = access_token
        # With an app secret every call carries appsecret_proof, required when the app enforces it.
        self.app_secret = app_secret
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.user_agent = user_agent
        self._own_session = session is None
        self.session = session if session is not None else requests.Session()

    def close(self):
        if self._own_session:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @property
    def timeout(self):
        return (self.connect_timeout, self.read_timeout)

    def url(self, path):
        return f"{self.base_url}/{self.version}/{str(path).lstrip('/')}"

    def _headers(self, token):
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _raw(self, method, url, *, token, params=None, json_body=None, stream=False, allow_redirects=True,
             timeout=None):
        params = dict(params or {})
        if token and self.app_secret and url.startswith(self.base_url + "/"):
            params["appsecret_proof"] = hmac.new(
                self.app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
        try:
            return self.session.request(
                method, url, params=params or None, json=json_body, headers=self._headers(token),
                timeout=timeout or self.timeout, stream=stream, allow_redirects=allow_redirects,
            )
        except requests.exceptions.Timeout as exc:
            kind = "connect" if isinstance(exc, requests.exceptions.ConnectTimeout) else "read"
            raise GraphTransientError(
                f"{kind.capitalize()} timeout calling {method} {_redact(urlsplit(url).path)}",
                ambiguous=method != "GET" and kind == "read",
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise GraphTransientError(
                f"Connection error calling {method} {_redact(urlsplit(url).path)}: {_redact(str(exc))[:300]}",
                ambiguous=method != "GET" and not _is_before_send(exc),
            ) from None
        except requests.exceptions.RequestException as exc:
            raise GraphPermanentError(
                f"Cannot call {method} {_redact(urlsplit(url).path)}: {type(exc).__name__}: {_redact(str(exc))[:300]}"
            ) from None

    def request(self, method, path, *, params=None, json=None, token=None, use_token=True):
        """Call ``{base_url}/{version}/{path}`` and return the parsed JSON body.

        Raises a GraphError subclass on any failure, including a 2xx whose body is not JSON.
        """
        method = method.upper()
        token = token if token is not None else (self.access_token if use_token else None)
        response = self._raw(method, self.url(path), token=token, params=params, json_body=json)
        return self._parse(method, path, response)

    @staticmethod
    def _parse(method, path, response):
        if response.status_code >= 400:
            raise GraphError.from_response(response)
        try:
            data = response.json()
        except ValueError:
            raise GraphPermanentError(
                _describe_body(response.content or b"", response.status_code, False)
                + f" from {method} {_redact(str(path))}",
                http_status=response.status_code,
                ambiguous=method != "GET",
            ) from None
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            raise GraphError.from_response(response)
        return data

    def get(self, path, params=None, **kwargs):
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path, json=None, params=None, **kwargs):
        return self.request("POST", path, params=params, json=json, **kwargs)

    # -- sending ---------------------------------------------------------------------------------

    def send_message(self, phone_number_id, payload):
        """WhatsApp Cloud API send; returns the wamid of the accepted message."""
        body = {"messaging_product": "whatsapp", **payload}
        data = self.post(f"{phone_number_id}/messages", json=body)
        messages = data.get("messages") if isinstance(data, dict) else None
        message_id = None
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            message_id = messages[0].get("id")
        if not isinstance(message_id, str) or not message_id:
            raise GraphPermanentError(
                f"Send accepted without a message id: {_truncate(json.dumps(data), 300)}",
                http_status=200, ambiguous=True, raw=data,
            )
        return message_id

    def send_page_message(self, page_or_ig_id, payload):
        """Messenger / Instagram Send API; returns the message id (``""`` for a sender action)."""
        data = self.post(f"{page_or_ig_id}/messages", json=payload)
        message_id = data.get("message_id") if isinstance(data, dict) else None
        if isinstance(message_id, str) and message_id:
            return message_id
        if "sender_action" in payload and "message" not in payload and isinstance(data, dict):
            return ""
        raise GraphPermanentError(
            f"Send accepted without a message id: {_truncate(json.dumps(data), 300)}",
            http_status=200, ambiguous=True, raw=data,
        )

    # -- media -----------------------------------------------------------------------------------

    def get_media(self, media_id, phone_number_id=None):
        """Media metadata: ``url`` (valid a few minutes), ``mime_type``, ``sha256``, ``file_size``, ``id``."""
        params = {"phone_number_id": phone_number_id} if phone_number_id else None
        data = self.get(str(media_id), params=params)
        if not isinstance(data, dict) or not data.get("url"):
            raise GraphPermanentError(f"Media {media_id} has no download URL", raw=data)
        return data

    def download_media(self, url, max_bytes=DEFAULT_MEDIA_MAX_BYTES, max_seconds=DEFAULT_MEDIA_MAX_SECONDS,
                       max_redirects=MAX_MEDIA_REDIRECTS):
        """Download media from the Graph API origin or Meta's media CDNs, and from nowhere else.

        Redirects are followed by hand and only within those hosts; the bearer token goes only to the
        hosts of :class:`~guestmsg.meta.media_hosts.MediaHosts` that take it. ``max_seconds`` bounds the
        whole download, redirects included; ``max_bytes`` is enforced while streaming. A URL outside
        the allowlist raises :class:`MediaHostRefused` before any request is sent.
        """
        hosts = MediaHosts(self.base_url)
        deadline = time.monotonic() + max_seconds
        for _hop in range(max_redirects + 1):
            url = self._allowed_media_url(hosts, url)
            response = self._media_request(hosts, url, deadline, max_seconds)
            with response:
                target = self.session.get_redirect_target(response)
                if target is None:
                    return self._read_media(response, max_bytes, deadline, max_seconds)
            url = urljoin(url, target)
        raise GraphPermanentError(f"Media download redirected more than {max_redirects} times")

    @staticmethod
    def _allowed_media_url(hosts, url):
        """``url`` as requests will send it, once its host is allowed."""
        try:
            prepared = requests.Request("GET", url).prepare().url
        except (requests.RequestException, ValueError, TypeError):
            prepared = None
        if not (hosts.allows(url) and hosts.allows(prepared)):
            raise MediaHostRefused(url)
        return prepared

    def _media_request(self, hosts, url, deadline, max_seconds):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _too_slow(max_seconds)
        token = self.access_token if hosts.takes_token(url) else None
        timeout = tuple(remaining if limit is None else min(limit, remaining) for limit in self.timeout)
        try:
            return self._raw("GET", url, token=token, stream=True, allow_redirects=False, timeout=timeout)
        except GraphTransientError:
            if time.monotonic() >= deadline:
                raise _too_slow(max_seconds) from None
            raise

    def _read_media(self, response, max_bytes, deadline, max_seconds):
        watchdog = _Watchdog(response, deadline)
        try:
            content = self._media_body(response, max_bytes, deadline, max_seconds)
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.Timeout) as exc:
            if watchdog.fired:
                raise _too_slow(max_seconds) from None
            raise GraphTransientError(f"Media download interrupted: {type(exc).__name__}") from None
        finally:
            watchdog.cancel()
        if watchdog.fired:
            # without a Content-Length, a socket cut at the deadline looks like the end of the body
            raise _too_slow(max_seconds)
        return content

    def _media_body(self, response, max_bytes, deadline, max_seconds):
        if response.status_code >= 300:
            raise GraphError.from_response(response, body=self._read_some(response, MAX_ERROR_BODY_BYTES + 1))
        length = _int_or_none(response.headers.get("Content-Length"))
        if length is not None and length > max_bytes:
            raise GraphPermanentError(
                f"Media is {length} bytes, more than the {max_bytes} allowed", http_status=response.status_code)
        chunks = []
        received = 0
        for chunk in response.iter_content(chunk_size=64 * 1024):
            received += len(chunk)
            if received > max_bytes:
                raise GraphPermanentError(
                    f"Media is more than the {max_bytes} bytes allowed", http_status=response.status_code)
            if time.monotonic() >= deadline:
                raise _too_slow(max_seconds)
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _read_some(response, limit):
        data = b""
        try:
            for chunk in response.iter_content(chunk_size=16 * 1024):
                data += chunk
                if len(data) >= limit:
                    break
        except requests.RequestException:
            pass
        return data

    # -- onboarding ------------------------------------------------------------------------------

    def exchange_code(self, app_id, app_secret, code, redirect_uri=None):
        """Exchange an Embedded Signup / Login code for a token: ``{"access_token", "token_type", ...}``."""
        params = {"client_id": app_id, "client_secret": app_secret, "code": code}
        if redirect_uri is not None:
            params["redirect_uri"] = redirect_uri
        return self._token_request(params)

    def exchange_long_lived(self, app_id, app_secret, token):
        """Exchange a short-lived user token for a long-lived one (about 60 days)."""
        return self._token_request({
            "grant_type": "fb_exchange_token",
            "client_id": app_id,
            "client_secret": app_secret,
            "fb_exchange_token": token,
        })

    def _token_request(self, params):
        response = self._raw("GET", self.url("oauth/access_token"), token=None, params=params)
        if response.status_code >= 400:
            raise GraphError.from_response(response)
        text = (response.content or b"")[:MAX_ERROR_BODY_BYTES].decode("utf-8", "replace").strip()
        try:
            data = json.loads(text)
        except ValueError:
            # Older answers were form-encoded, and one documented sample is the bare token.
            form = parse_qs(text)
            if "access_token" in form:
                data = {key: values[0] for key, values in form.items()}
            elif text and re.fullmatch(r"[A-Za-z0-9._|\-]+", text):
                data = {"access_token": text}
            else:
                data = None
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            raise GraphError.from_response(response)
        if not isinstance(data, dict) or not data.get("access_token"):
            raise GraphPermanentError("The token exchange answered without an access token",
                                      http_status=response.status_code)
        if "expires_in" in data:
            data["expires_in"] = _int_or_none(data["expires_in"])
        return data

    def debug_token(self, input_token, app_token):
        """Inspect a token (``is_valid``, ``expires_at``, ``scopes``, ``granular_scopes``...); returns ``data``."""
        data = self.get("debug_token", params={"input_token": input_token}, token=app_token)
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            raise GraphPermanentError("debug_token answered without data", raw=data)
        return data["data"]

    def subscribe_app(self, waba_or_page_id, fields=None, override_callback_uri=None, verify_token=None):
        """Subscribe this app to a WABA's or Page's webhooks; ``fields`` is required for Pages."""
        params = {"subscribed_fields": ",".join(fields)} if fields else None
        body = {}
        if override_callback_uri:
            body["override_callback_uri"] = override_callback_uri
            body["verify_token"] = verify_token or ""
        data = self.post(f"{waba_or_page_id}/subscribed_apps", json=body or None, params=params)
        return bool(isinstance(data, dict) and data.get("success"))

    def register_phone_number(self, phone_number_id, pin, data_localization_region=None):
        """Register a number on the Cloud API with its 6-digit two-step verification PIN."""
        pin = str(pin)
        if not re.fullmatch(r"\d{6}", pin):
            raise ValueError("The two-step verification PIN must be 6 digits")
        body = {"messaging_product": "whatsapp", "pin": pin}
        if data_localization_region:
            body["data_localization_region"] = data_localization_region
        data = self.post(f"{phone_number_id}/register", json=body)
        return bool(isinstance(data, dict) and data.get("success"))

    def get_phone_number(self, phone_number_id, fields=None):
        params = {"fields": ",".join(fields)} if fields else None
        return self.get(str(phone_number_id), params=params)

    def list_message_templates(self, waba_id, limit=100, fields=TEMPLATE_FIELDS, status=None,
                               max_pages=MAX_TEMPLATE_PAGES):
        """All templates of a WABA, following paging cursors for at most ``max_pages`` pages.

        The ``after`` cursor is replayed against ``base_url`` instead of fetching ``paging.next`` as
        is, so that a proxy in ``base_url`` is honoured and the token goes nowhere else.
        """
        params = {"limit": int(limit)}
        if fields:
            params["fields"] = ",".join(fields)
        if status:
            params["status"] = status
        templates = []
        seen_cursors = set()
        for _page in range(max_pages):
            data = self.get(f"{waba_id}/message_templates", params=params)
            page = data.get("data") if isinstance(data, dict) else None
            if not isinstance(page, list):
                raise GraphPermanentError("message_templates answered without data", raw=data)
            templates.extend(item for item in page if isinstance(item, dict))
            cursor = self._next_cursor(data.get("paging"))
            if not page or not cursor or cursor in seen_cursors:
                break
            seen_cursors.add(cursor)
            params = {**params, "after": cursor}
        return templates

    @staticmethod
    def _next_cursor(paging):
        if not isinstance(paging, dict) or not paging.get("next"):
            return None
        cursors = paging.get("cursors")
        if isinstance(cursors, dict) and cursors.get("after"):
            return cursors["after"]
        after = parse_qs(urlsplit(str(paging["next"])).query).get("after")
        return after[0] if after else None

    def get_profile(self, psid_or_igsid, fields=("name", "profile_pic")):
        """Messenger / Instagram user profile by page-scoped (PSID) or Instagram-scoped (IGSID) id."""
        params = {"fields": ",".join(fields)} if fields else None
        return self.get(str(psid_or_igsid), params=params)
