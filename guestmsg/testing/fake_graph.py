"""A fake of Meta's Graph API on loopback, for tests (standard library only).

::

    with FakeGraphAPI() as graph:
        client = GraphClient(base_url=graph.base_url, access_token="t")
        client.send_message("1234", {"to": "+34600000000", "type": "text", "text": {"body": "Hi"}})
        assert graph.sent_messages("1234")[0]["text"]["body"] == "Hi"

It answers with the JSON shapes the real API uses for WhatsApp and Messenger/Instagram sends,
media, OAuth code exchange, ``debug_token``, ``subscribed_apps``, the app's own webhook
``subscriptions`` (with its app access token), number registration, phone numbers, message
templates (with cursor paging) and user profiles. Any version segment
(``/v21.0/``, ``/v23.0/`` ...) is accepted, and so is any path prefix before it, which lets tests
put the fake "behind a proxy" (``base_url + "/proxy"``). Every request is recorded in
:attr:`FakeGraphAPI.requests`; errors and delays can be queued with :meth:`FakeGraphAPI.fail_next`
and :meth:`FakeGraphAPI.delay_next`.
"""

import base64
import hashlib
import itertools
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from guestmsg.channels.whatsapp.templates import body_parameter_count
from guestmsg.testing.loopback import LoopbackFake

MAX_REQUEST_BYTES = 25 * 1024 * 1024

WHATSAPP_TYPES = {
    "text", "image", "audio", "video", "document", "sticker", "location", "contacts", "interactive",
    "template", "reaction",
}
SENDER_ACTIONS = {"typing_on", "typing_off", "mark_seen", "react", "unreact"}
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG"}
LONG_LIVED_SECONDS = 5183944

_GRAPH_PATH = re.compile(r"^(?P<prefix>(?:/[^/]+)*?)/(?P<version>v\d+\.\d+)(?:/(?P<rest>.*))?$")
_MEDIA_BYTES_PATH = re.compile(r"^(?P<prefix>(?:/[^/]+)*?)/media-bytes/(?P<media_id>[^/]+)$")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict
    headers: dict
    json: object
    body: bytes
    timestamp: float
    version: str = None
    endpoint: str = ""
    status: int = None
    response: object = None
    params: dict = field(default_factory=dict)
    # time.monotonic() when the request arrived, to compare with other clocks of the same process
    monotonic: float = None

    def header(self, name, default=None):
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return default

    @property
    def bearer(self):
        value = self.header("Authorization") or ""
        scheme, _, token = value.partition(" ")
        return token.strip() if scheme.lower() in ("bearer", "oauth") else None


@dataclass
class _Rule:
    remaining: int
    path_contains: str = None
    status: int = 400
    error: dict = None
    body: bytes = None
    content_type: str = None
    headers: dict = None
    seconds: float = 0.0

    def matches(self, path):
        return self.remaining > 0 and (self.path_contains is None or self.path_contains in path)


class _Reply(Exception):
    """Raised inside a route to answer at once with ``status`` and a JSON ``payload``."""

    def __init__(self, status, payload, headers=None):
        super().__init__(status)
        self.status = status
        self.payload = payload
        self.headers = headers or {}


def graph_error(code, message, *, error_type="OAuthException", subcode=None, details=None, fbtrace_id=None,
                messaging_product="whatsapp"):
    """Meta's error envelope."""
    error = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if details is not None:
        error["error_data"] = {"messaging_product": messaging_product, "details": details}
    error["fbtrace_id"] = fbtrace_id or _trace_id()
    return {"error": error}


def _trace_id():
    return base64.b64encode(uuid.uuid4().bytes[:9]).decode()


def _invalid(details, code=100, message="(#100) Invalid parameter", subcode=None):
    return _Reply(400, graph_error(code, message, subcode=subcode, details=details))


def _unsupported(method, object_id):
    return _Reply(400, graph_error(
        100,
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, cannot be loaded due "
        "to missing permissions, or does not support this operation.",
        error_type="GraphMethodException", subcode=33,
    ))


class FakeGraphAPI(LoopbackFake):
    """A thread-safe fake Graph API server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, host="127.0.0.1", port=0, media_base_url=None):
        super().__init__(host=host, port=port)
        # Where media URLs point: the fake itself unless another server (a "CDN") is given.
        self.media_base_url = media_base_url
        self._recorded = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self._rules = []
        self._delays = []
        self._expected_tokens = set()
        self._token_states = {}
        self._apps = {}
        self._oauth_codes = {}
        self._used_codes = set()
        self._media = {}
        self._templates = {}
        self._phone_numbers = {}
        self._profiles = {}
        self._pages = {}
        self.subscriptions = {}
        # app id -> object -> {"object", "callback_url", "active", "fields": [{"name", "version"}], "verify_token"}
        self.app_subscriptions = {}
        self.registrations = {}
        self.errors = []

    def sent_messages(self, phone_number_id=None):
        """JSON bodies of WhatsApp messages the fake accepted (read receipts and typing excluded)."""
        return [
            r.json for r in self.requests
            if r.method == "POST" and r.status == 200 and isinstance(r.response, dict) and "messages" in r.response
            and (phone_number_id is None or r.endpoint == f"{phone_number_id}/messages")
        ]

    def sent_page_messages(self, page_id=None):
        """JSON bodies of Messenger / Instagram sends the fake accepted (sender actions included)."""
        return [
            r.json for r in self.requests
            if r.method == "POST" and r.status == 200 and isinstance(r.response, dict)
            and "recipient_id" in r.response
            and (page_id is None or r.endpoint == f"{page_id}/messages")
        ]

    def wait_for_requests(self, count=1, path_contains=None, method=None, timeout=5.0):
        """Block until ``count`` matching requests have been handled (e.g. sends made by a background job)."""
        deadline = time.monotonic() + timeout

        def matching():
            return [
                r for r in self._requests
                if r.status is not None and (path_contains is None or path_contains in r.path)
                and (method is None or r.method == method.upper())
            ]

        with self._recorded:
            while True:
                found = matching()
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    break
                self._recorded.wait(remaining)
        if len(found) < count:
            raise TimeoutError(f"{len(found)} of {count} requests matching {path_contains!r} after {timeout} s")
        return found

    # -- behaviour -------------------------------------------------------------------------------

    def fail_next(self, n=1, status=400, error=None, path_contains=None, headers=None, body=None, content_type=None):
        """Answer the next ``n`` requests (whose path contains ``path_contains``) with an error.

        ``error`` is the object inside Meta's envelope (defaults filled in); ``body`` (bytes or str)
        replaces the envelope entirely, e.g. an HTML page or ``b""``.
        """
        if body is not None:
            raw = body.encode() if isinstance(body, str) else bytes(body)
            if content_type is None:
                content_type = "text/html; charset=utf-8" if raw.lstrip()[:1] == b"<" else "text/plain"
            payload = None
        else:
            raw = None
            payload = dict(error or {
                "message": "(#131047) Re-engagement message",
                "code": 131047,
                "error_data": {
                    "messaging_product": "whatsapp",
                    "details": "Message failed to send because more than 24 hours have passed since the customer "
                               "last replied to this number.",
                },
            })
            payload.setdefault("type", "OAuthException")
            payload.setdefault("message", f"(#{payload.get('code')}) Error")
            payload.setdefault("fbtrace_id", _trace_id())
        with self._lock:
            self._rules.append(_Rule(remaining=n, path_contains=path_contains, status=status, error=payload,
                                     body=raw, content_type=content_type, headers=dict(headers or {})))

    def delay_next(self, seconds, n=1, path_contains=None):
        """Hold the reply to the next ``n`` requests for ``seconds``.

        The request is processed first (a delayed send is accepted and recorded) and only the answer
        is late, which is what a client read timeout looks like when Meta did accept the message.
        """
        with self._lock:
            self._delays.append(_Rule(remaining=n, path_contains=path_contains, seconds=seconds))

    def expect_token(self, token):
        """Reject Graph requests without ``Authorization: Bearer <token>`` (401, code 190).

        May be called several times to accept several tokens; ``expect_token(None)`` accepts anything
        again. Tokens the fake issued itself or knows as valid through set_token_state() are accepted.
        """
        with self._lock:
            if token is None:
                self._expected_tokens.clear()
            else:
                self._expected_tokens.add(token)

    def set_token_state(self, token, valid=True, expires_at=0, scopes=(), granular_scopes=(), app_id="1000",
                        token_type="SYSTEM_USER", user_id="2000", data_access_expires_at=0):
        """What debug_token says about ``token``; an invalid or expired token is also refused (190)."""
        with self._lock:
            self._token_states[token] = {
                "app_id": str(app_id),
                "type": token_type,
                "application": "Fake Graph App",
                "data_access_expires_at": data_access_expires_at,
                "expires_at": int(expires_at or 0),
                "is_valid": bool(valid),
                "issued_at": int(time.time()),
                "scopes": list(scopes),
                "granular_scopes": [dict(item) for item in granular_scopes],
                "user_id": str(user_id),
            }

    def set_app(self, app_id, app_secret):
        """Make the OAuth endpoint check client_id / client_secret (any pair is accepted otherwise)."""
        with self._lock:
            self._apps[str(app_id)] = app_secret

    def set_app_subscription(self, app_id, object_type, fields, callback_url="https://hotel.example/webhook",
                             active=True):
        """What the app's webhook subscription to ``object_type`` holds, as the App Dashboard would leave it."""
        with self._lock:
            self.app_subscriptions.setdefault(str(app_id), {})[object_type] = {
                "object": object_type, "callback_url": callback_url, "active": active,
                "fields": [{"name": name, "version": "v23.0"} for name in fields], "verify_token": None,
            }

    def app_fields(self, app_id, object_type):
        """The field names the app is subscribed to for ``object_type``."""
        with self._lock:
            subscription = self.app_subscriptions.get(str(app_id), {}).get(object_type) or {"fields": []}
            return [f["name"] for f in subscription["fields"]]

    def add_oauth_code(self, code, access_token=None, expires_at=0, scopes=(), granular_scopes=()):
        """Register an exchangeable code; once any is registered, unknown codes are refused."""
        with self._lock:
            self._oauth_codes[code] = {
                "access_token": access_token, "expires_at": expires_at,
                "scopes": scopes, "granular_scopes": granular_scopes,
            }

    def add_media(self, media_id, content, mime_type="image/jpeg", content_length=True):
        """Serve ``content`` for ``media_id``; ``content_length=False`` omits the Content-Length header."""
        content = bytes(content)
        with self._lock:
            self._media[str(media_id)] = {
                "content": content, "mime_type": mime_type, "content_length": content_length,
                "sha256": hashlib.sha256(content).hexdigest(),
            }

    def add_template(self, waba_id, name, language, status="APPROVED", category="UTILITY",
                     body_text="Hi {{1}}, your room is ready.", parameter_format="POSITIONAL", components=None):
        """Add a template to a WABA's listing; returns its id.

        Once templates exist, WhatsApp template sends must name an APPROVED one (else 132001).
        """
        with self._lock:
            template = {
                "id": str(900000000 + next(self._ids)),
                "name": name,
                "language": language,
                "status": status,
                "category": category,
                "parameter_format": parameter_format,
                "components": components if components is not None else [{"type": "BODY", "text": body_text}],
            }
            self._templates.setdefault(str(waba_id), []).append(template)
            return template["id"]

    def add_phone_number(self, phone_number_id, display_phone_number="+1 555-010-0000", verified_name="Fake Hotel",
                         pin=None, waba_id=None, **extra):
        """Make GET /{phone_number_id} answer; ``pin`` makes registration require that PIN, ``waba_id`` lists
        the number under GET /{waba_id}/phone_numbers, and a ``status`` becomes CONNECTED on registration."""
        with self._lock:
            self._phone_numbers[str(phone_number_id)] = {
                "id": str(phone_number_id),
                "display_phone_number": display_phone_number,
                "verified_name": verified_name,
                "code_verification_status": "VERIFIED",
                "quality_rating": "GREEN",
                "platform_type": "CLOUD_API",
                "throughput": {"level": "STANDARD"},
                **extra,
                "_pin": pin,
                "_waba_id": str(waba_id) if waba_id else None,
            }

    def add_page(self, page_id, name="Fake Hotel Page", access_token=None, instagram_account_id=None,
                 user_token=None):
        """A Facebook Page listed by GET /me/accounts (for ``user_token``, or for any token when None)."""
        with self._lock:
            self._pages[str(page_id)] = {
                "id": str(page_id), "name": name, "category": "Hotel", "tasks": ["MESSAGING", "MODERATE"],
                "access_token": access_token or f"EAAP{uuid.uuid4().hex}",
                "instagram_business_account": {"id": str(instagram_account_id)} if instagram_account_id else None,
                "_user_token": user_token,
            }

    def add_profile(self, user_id, **fields):
        """Make GET /{psid or igsid} answer with ``fields`` (e.g. name=..., profile_pic=...)."""
        with self._lock:
            self._profiles[str(user_id)] = {"id": str(user_id), **fields}

    # -- request handling ------------------------------------------------------------------------

    def handle_request(self, handler):
        """Record, then answer, one request (called by the server's handler threads)."""
        parts = urlsplit(handler.path)
        path = parts.path
        query = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self._write(handler, 413, {"error": {"message": "Request too large", "code": 1}})
            return
        body = handler.rfile.read(length) if length else b""
        parsed_json = None
        form = {}
        if body:
            content_type = handler.headers.get("Content-Type", "")
            if "json" in content_type or body.lstrip()[:1] in (b"{", b"["):
                try:
                    parsed_json = json.loads(body)
                except ValueError:
                    parsed_json = None
            elif "x-www-form-urlencoded" in content_type:
                form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
        params = {**query, **form, **(parsed_json if isinstance(parsed_json, dict) else {})}
        record = RecordedRequest(
            method=handler.command, path=path, query=query, headers=dict(handler.headers.items()),
            json=parsed_json, body=body, timestamp=time.time(), params=params, monotonic=time.monotonic(),
        )
        match = _GRAPH_PATH.match(path)
        media_match = _MEDIA_BYTES_PATH.match(path)
        if match:
            record.version = match.group("version")
            record.endpoint = (match.group("rest") or "").strip("/")
        elif media_match:
            record.endpoint = f"media-bytes/{media_match.group('media_id')}"
        with self._lock:
            self._requests.append(record)
            rule = next((r for r in self._rules if r.matches(path)), None)
            if rule:
                rule.remaining -= 1
            delay = next((r for r in self._delays if r.matches(path)), None)
            if delay:
                delay.remaining -= 1
            self._rules = [r for r in self._rules if r.remaining > 0]
            self._delays = [r for r in self._delays if r.remaining > 0]

        headers = {}
        raw = None
        content_type = None
        if rule:
            status = rule.status
            headers = dict(rule.headers)
            if rule.body is not None:
                raw, content_type, payload = rule.body, rule.content_type, None
            else:
                payload = {"error": dict(rule.error)}
        else:
            try:
                if match:
                    status, payload = self._route_graph(handler.command, match, params, record)
                elif media_match:
                    status, payload, raw, content_type, headers = self._serve_media(media_match.group("media_id"),
                                                                                   record)
                else:
                    raise _unsupported(handler.command, path)
            except _Reply as reply:
                status, payload, headers = reply.status, reply.payload, reply.headers
            except Exception as exc:  # a bug in the fake must show up in the test, not hang it
                self.errors.append(exc)
                status, payload = 500, graph_error(1, "An unknown error has occurred.")
        with self._recorded:
            record.response = payload
            record.status = status
            self._recorded.notify_all()
        if delay:
            self._stopping.wait(delay.seconds)
        self._write(handler, status, payload, raw=raw, content_type=content_type, headers=headers)

    def _write(self, handler, status, payload, raw=None, content_type=None, headers=None):
        if raw is None:
            raw = json.dumps(payload).encode()
            content_type = "application/json; charset=UTF-8"
        headers = dict(headers or {})
        send_length = headers.pop("_no_content_length", None) is None
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type or "application/octet-stream")
            if send_length:
                handler.send_header("Content-Length", str(len(raw)))
            handler.send_header("x-fb-trace-id", _trace_id())
            for name, value in headers.items():
                handler.send_header(name, str(value))
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _token_of(self, params, record):
        return record.bearer or params.get("access_token")

    def _check_auth(self, token):
        now = time.time()
        with self._lock:
            state = self._token_states.get(token) if token else None
            expected = set(self._expected_tokens)
            app_tokens = {f"{app_id}|{secret}" for app_id, secret in self._apps.items()}
        if state is not None:
            if state["expires_at"] and state["expires_at"] <= now:
                raise _Reply(401, graph_error(
                    190, "Error validating access token: Session has expired.", subcode=463))
            if not state["is_valid"]:
                raise _Reply(401, graph_error(190, "Error validating access token: The session is invalid.",
                                              subcode=467))
            return
        if expected and token not in expected and token not in app_tokens:
            raise _Reply(401, graph_error(190, "Invalid OAuth access token - Cannot parse access token"))

    def _route_graph(self, method, match, params, record):
        segments = [s for s in (match.group("rest") or "").split("/") if s]
        if segments == ["oauth", "access_token"] and method == "GET":
            return 200, self._oauth_access_token(params)
        self._check_auth(self._token_of(params, record))
        if segments == ["debug_token"] and method == "GET":
            return 200, self._debug_token(params)
        if segments == ["app"] and method == "GET":
            return 200, self._app_of_token(self._token_of(params, record))
        if len(segments) == 2:
            object_id, edge = segments
            if edge == "subscriptions" and method in ("POST", "GET"):
                return 200, self._app_subscriptions(method, object_id, params, record)
            if edge == "messages" and method == "POST":
                return 200, self._messages(params)
            if edge == "subscribed_apps" and method in ("POST", "GET"):
                return 200, self._subscribed_apps(method, object_id, params)
            if edge == "register" and method == "POST":
                return 200, self._register(object_id, params)
            if edge == "phone_numbers" and method == "GET":
                return 200, self._waba_phone_numbers(object_id)
            if object_id == "me" and edge == "accounts" and method == "GET":
                return 200, self._me_accounts(self._token_of(params, record))
            if edge == "message_templates" and method == "GET":
                return 200, self._message_templates(match, object_id, params)
        if len(segments) == 1 and method == "GET":
            return 200, self._get_object(segments[0], params)
        raise _unsupported(method, "/".join(segments))

    # -- endpoints -------------------------------------------------------------------------------

    def _messages(self, params):
        # A WhatsApp "recipient" is a BSUID string; a Messenger one is an object (JSON text in a form body).
        recipient = params.get("recipient")
        is_page = "sender_action" in params or (
            recipient is not None and (not isinstance(recipient, str) or recipient.lstrip().startswith("{")))
        if is_page and params.get("messaging_product") != "whatsapp":
            return self._page_message(params)
        return self._whatsapp_message(params)

    def _whatsapp_message(self, body):
        if body.get("messaging_product") != "whatsapp":
            raise _invalid("The parameter messaging_product is required and must be 'whatsapp'.",
                           message="(#100) The parameter messaging_product is required.")
        if body.get("status") == "read":
            if not body.get("message_id"):
                raise _invalid("The parameter message_id is required.")
            return {"success": True}
        to = body.get("to") or body.get("recipient")
        if not isinstance(to, str) or not to.strip():
            raise _invalid("The parameter to is required.", message="(#100) The parameter to is required.")
        message_type = body.get("type", "text")
        if message_type not in WHATSAPP_TYPES:
            raise _invalid(f"Param type must be one of {sorted(WHATSAPP_TYPES)}.")
        content = body.get(message_type)
        if message_type == "contacts":
            if not isinstance(content, list) or not content:
                raise _invalid("The parameter contacts is required.")
        elif not isinstance(content, dict):
            raise _invalid(f"The parameter {message_type} is required.",
                           message=f"(#100) The parameter {message_type} is required.")
        if message_type == "text":
            text = content.get("body")
            if not isinstance(text, str) or not text:
                raise _invalid("Param text['body'] is required.")
            if len(text) > 4096:
                raise _invalid("Param text['body'] must be at most 4096 characters long.")
        if message_type == "template":
            self._check_template(content)
        wa_id = re.sub(r"\D", "", to) or to
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": wa_id}],
            "messages": [{"id": f"wamid.{base64.b64encode(uuid.uuid4().bytes).decode().rstrip('=')}"}],
        }

    def _check_template(self, content):
        name = content.get("name")
        language = content.get("language")
        code = language.get("code") if isinstance(language, dict) else None
        if not name or not code:
            raise _invalid("Param template['name'] and template['language']['code'] are required.")
        with self._lock:
            templates = [t for items in self._templates.values() for t in items]
        if not templates:
            return
        approved = [t for t in templates if t["name"] == name and t["language"] == code and t["status"] == "APPROVED"]
        if not approved:
            raise _Reply(400, graph_error(
                132001, "(#132001) Template name does not exist in the translation",
                details=f"template name ({name}) does not exist in {code}",
            ))
        expected = body_parameter_count(next(
            (c.get("text") for c in approved[0]["components"] if str(c.get("type")).upper() == "BODY"), ""))
        given = sum(len(c.get("parameters") or []) for c in content.get("components") or []
                    if isinstance(c, dict) and c.get("type") == "body")
        if given != expected:
            raise _Reply(400, graph_error(
                132000, "(#132000) Number of parameters does not match the expected number of params",
                details=f"body: number of localizable_params ({given}) does not match the expected number of "
                        f"params ({expected})",
            ))

    def _page_message(self, body):
        recipient = body.get("recipient")
        if isinstance(recipient, str):
            try:
                recipient = json.loads(recipient)
            except ValueError:
                recipient = None
        recipient_id = recipient.get("id") if isinstance(recipient, dict) else None
        if not recipient_id:
            raise _invalid("recipient.id is required", message="(#100) The parameter recipient is required")
        has_message, action = "message" in body, body.get("sender_action")
        if has_message and action:
            raise _invalid(None, message="(#100) Cannot send both message and state at the same time.")
        messaging_type = body.get("messaging_type")
        if messaging_type is not None and messaging_type not in MESSAGING_TYPES:
            raise _invalid(None, message=f"(#100) Param messaging_type must be one of {sorted(MESSAGING_TYPES)}")
        if messaging_type == "MESSAGE_TAG" and not body.get("tag"):
            raise _invalid(None, message="(#100) Param tag is required when messaging_type is MESSAGE_TAG")
        if action:
            if action not in SENDER_ACTIONS:
                raise _invalid(None, message=f"(#100) Param sender_action must be one of {sorted(SENDER_ACTIONS)}")
            return {"recipient_id": str(recipient_id)}
        message = body.get("message")
        if isinstance(message, str):
            try:
                message = json.loads(message)
            except ValueError:
                message = None
        if not isinstance(message, dict) or not (message.get("text") or message.get("attachment")):
            raise _invalid(None, message="(#100) Must send either message or state")
        return {"recipient_id": str(recipient_id), "message_id": f"m_{uuid.uuid4().hex}"}

    def _get_object(self, object_id, params):
        fields = [f for f in (params.get("fields") or "").split(",") if f]
        with self._lock:
            media = self._media.get(object_id)
            phone = self._phone_numbers.get(object_id)
            profile = self._profiles.get(object_id)
            page = self._pages.get(object_id)
        if page is not None:
            public = {k: v for k, v in page.items() if not k.startswith("_") and k != "access_token" and v}
            return {k: v for k, v in public.items() if k == "id" or not fields or k in fields}
        if media is not None:
            media_base = (self.media_base_url or self.base_url).rstrip("/")
            return {
                "messaging_product": "whatsapp",
                "url": f"{media_base}/media-bytes/{object_id}?mid={object_id}&ext={int(time.time())}",
                "mime_type": media["mime_type"],
                "sha256": media["sha256"],
                "file_size": len(media["content"]),
                "id": object_id,
            }
        if phone is not None:
            public = {k: v for k, v in phone.items() if not k.startswith("_")}
            return {k: v for k, v in public.items() if k == "id" or not fields or k in fields}
        if profile is not None:
            return {k: v for k, v in profile.items() if k == "id" or not fields or k in fields}
        raise _unsupported("GET", object_id)

    def _serve_media(self, media_id, record):
        self._check_auth(record.bearer)
        with self._lock:
            media = self._media.get(media_id)
        if media is None:
            raise _Reply(404, graph_error(100, "Media not found", subcode=33))
        headers = {} if media["content_length"] else {"_no_content_length": True}
        return 200, None, media["content"], media["mime_type"], headers

    def _oauth_access_token(self, params):
        client_id, secret = params.get("client_id"), params.get("client_secret")
        if not client_id:
            raise _Reply(400, graph_error(101, "Missing client_id parameter."))
        with self._lock:
            apps = dict(self._apps)
        if apps and client_id not in apps:
            raise _Reply(400, graph_error(101, "Error validating application. Invalid application ID."))
        if not secret or (apps and apps[client_id] != secret):
            raise _Reply(400, graph_error(1, "Error validating client secret."))
        now = int(time.time())
        if params.get("grant_type") == "fb_exchange_token":
            short = params.get("fb_exchange_token")
            with self._lock:
                state = self._token_states.get(short)
            if not short:
                raise _Reply(400, graph_error(100, "(#100) Missing fb_exchange_token parameter"))
            if state is not None and (not state["is_valid"] or (state["expires_at"] and state["expires_at"] <= now)):
                raise _Reply(400, graph_error(190, "Error validating access token: Session has expired.",
                                              subcode=463))
            token = f"EAAL{uuid.uuid4().hex}"
            self.set_token_state(token, expires_at=now + LONG_LIVED_SECONDS, app_id=client_id,
                                 token_type="USER", scopes=(state or {}).get("scopes", ()),
                                 granular_scopes=(state or {}).get("granular_scopes", ()))
            return {"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS}
        code = params.get("code")
        if not code:
            raise _Reply(400, graph_error(100, "(#100) Missing code parameter"))
        with self._lock:
            if code in self._used_codes:
                raise _Reply(400, graph_error(100, "This authorization code has been used.", subcode=36009))
            spec = self._oauth_codes.get(code)
            if self._oauth_codes and spec is None:
                raise _Reply(400, graph_error(100, "Invalid verification code format.", subcode=36008))
            self._used_codes.add(code)
        spec = spec or {}
        token = spec.get("access_token") or f"EAAG{uuid.uuid4().hex}"
        expires_at = int(spec.get("expires_at") or 0)
        self.set_token_state(token, expires_at=expires_at, app_id=client_id, token_type="SYSTEM_USER",
                             scopes=spec.get("scopes", ()), granular_scopes=spec.get("granular_scopes", ()))
        answer = {"access_token": token, "token_type": "bearer"}
        if expires_at:
            answer["expires_in"] = max(0, expires_at - now)
        return answer

    def _debug_token(self, params):
        input_token = params.get("input_token")
        if not input_token:
            raise _Reply(400, graph_error(100, "(#100) The parameter input_token is required"))
        with self._lock:
            state = self._token_states.get(input_token)
        if state is None:
            return {"data": {
                "error": {"code": 190, "message": "Invalid OAuth access token - Cannot parse access token"},
                "is_valid": False, "scopes": [],
            }}
        data = json.loads(json.dumps(state))
        if data["expires_at"] and data["expires_at"] <= time.time():
            data["is_valid"] = False
            data["error"] = {"code": 190, "subcode": 463, "message": "Error validating access token: Session has "
                                                                     "expired."}
        elif not data["is_valid"]:
            data["error"] = {"code": 190, "subcode": 467, "message": "Error validating access token: The session "
                                                                     "is invalid."}
        return {"data": data}

    def _subscribed_apps(self, method, object_id, params):
        if method == "GET":
            with self._lock:
                subscription = self.subscriptions.get(object_id)
            return {"data": [dict(subscription, id="1000", name="Fake Graph App")] if subscription else []}
        fields = params.get("subscribed_fields")
        if isinstance(fields, str):
            fields = [f for f in fields.split(",") if f]
        override = params.get("override_callback_uri")
        if override and not params.get("verify_token"):
            raise _invalid("verify_token is required with override_callback_uri")
        if override and len(override) > 200:
            raise _invalid("override_callback_uri must be at most 200 characters long")
        subscription = {"subscribed_fields": list(fields or [])}
        if override:
            subscription.update(override_callback_uri=override, verify_token=params.get("verify_token"))
        with self._lock:
            self.subscriptions[object_id] = subscription
        return {"success": True}

    def _app_of_token(self, token):
        with self._lock:
            state = self._token_states.get(token) if token else None
        app_id, separator, _secret = (token or "").partition("|")
        if state is None and not separator:
            raise _Reply(400, graph_error(190, "Invalid OAuth access token - Cannot parse access token"))
        app_id = state["app_id"] if state is not None else app_id
        return {"id": app_id, "name": "Fake Graph App", "link": f"https://www.facebook.com/games/?app_id={app_id}"}

    def _check_app_token(self, app_id, token):
        """The app's own calls take its app access token ``{app-id}|{app-secret}``."""
        given_id, separator, secret = (token or "").partition("|")
        if not separator:
            raise _Reply(400, graph_error(15, "(#15) This method must be called with an app access_token."))
        with self._lock:
            apps = dict(self._apps)
        if apps and app_id not in apps:
            raise _unsupported("GET", app_id)
        if given_id != app_id or (apps and apps[app_id] != secret):
            raise _Reply(400, graph_error(190, "Invalid OAuth access token signature."))

    def _app_subscriptions(self, method, app_id, params, record):
        self._check_app_token(app_id, record.bearer or params.get("access_token"))
        if method == "GET":
            with self._lock:
                listed = [dict(s, fields=[dict(f) for f in s["fields"]])
                          for s in self.app_subscriptions.get(app_id, {}).values()]
            return {"data": [{k: v for k, v in s.items() if k != "verify_token"} for s in listed]}
        object_type, callback_url = params.get("object"), params.get("callback_url")
        fields = params.get("fields")
        if isinstance(fields, str):
            fields = [f.strip() for f in fields.split(",") if f.strip()]
        if not isinstance(object_type, str) or not object_type:
            raise _invalid(None, message="(#100) The parameter object is required")
        if not isinstance(callback_url, str) or not callback_url.startswith(("https://", "http://")):
            raise _invalid(None, message="(#100) Param callback_url must be a valid URL")
        if not params.get("verify_token"):
            raise _invalid(None, message="(#100) The parameter verify_token is required")
        if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
            raise _invalid(None, message="(#100) The parameter fields is required")
        with self._lock:
            # the fields named become the subscription's: a caller names every field it wants kept
            self.app_subscriptions.setdefault(app_id, {})[object_type] = {
                "object": object_type, "callback_url": callback_url, "active": True,
                "verify_token": params["verify_token"],
                "fields": [{"name": name, "version": record.version} for name in dict.fromkeys(fields)],
            }
        return {"success": True}

    def _register(self, phone_number_id, params):
        if params.get("messaging_product") != "whatsapp":
            raise _invalid("The parameter messaging_product is required.")
        pin = str(params.get("pin") or "")
        if not re.fullmatch(r"\d{6}", pin):
            raise _invalid("Param pin must be 6 characters long.")
        with self._lock:
            registration = self.registrations.setdefault(phone_number_id, {"calls": 0, "pin": None})
            registration["calls"] += 1
            if registration["calls"] > 10:
                raise _Reply(400, graph_error(133016, "Account register deregister rate limit exceeded"))
            expected = (self._phone_numbers.get(phone_number_id) or {}).get("_pin")
            if expected and expected != pin:
                raise _Reply(400, graph_error(133005, "Two step verification PIN Mismatch"))
            registration["pin"] = pin
            registration["data_localization_region"] = params.get("data_localization_region")
            if phone_number_id in self._phone_numbers and "status" in self._phone_numbers[phone_number_id]:
                self._phone_numbers[phone_number_id]["status"] = "CONNECTED"
        return {"success": True}

    def _waba_phone_numbers(self, waba_id):
        with self._lock:
            numbers = [dict(n) for n in self._phone_numbers.values() if n.get("_waba_id") == waba_id]
        return {"data": [{k: v for k, v in n.items() if not k.startswith("_")} for n in numbers]}

    def _me_accounts(self, token):
        with self._lock:
            pages = [dict(p) for p in self._pages.values() if p["_user_token"] in (None, token)]
        return {"data": [{k: v for k, v in p.items() if not k.startswith("_") and v} for p in pages]}

    def _message_templates(self, match, waba_id, params):
        try:
            limit = max(1, min(int(params.get("limit") or 25), 1000))
        except ValueError as exc:
            raise _invalid("Param limit must be an integer") from exc
        with self._lock:
            templates = list(self._templates.get(waba_id, ()))
        status = params.get("status")
        if status:
            templates = [t for t in templates if t["status"].upper() == status.upper()]
        if params.get("name"):
            templates = [t for t in templates if params["name"] in t["name"]]
        start = 0
        if params.get("after"):
            try:
                start = int(base64.urlsafe_b64decode(params["after"].encode()).decode().split(":", 1)[1])
            except (ValueError, IndexError) as exc:
                raise _invalid("Invalid cursor", message="(#100) Invalid after cursor") from exc
        fields = [f for f in (params.get("fields") or "").split(",") if f]
        page = [
            {k: v for k, v in t.items() if k == "id" or not fields or k in fields}
            for t in templates[start:start + limit]
        ]
        answer = {"data": page}
        if page:
            end = start + len(page)
            answer["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(end)}}
            if end < len(templates):
                query = {"limit": limit, "after": _cursor(end)}
                if params.get("fields"):
                    query["fields"] = params["fields"]
                if status:
                    query["status"] = status
                answer["paging"]["next"] = (
                    f"{self.base_url}{match.group('prefix')}/{match.group('version')}/{waba_id}/message_templates?"
                    + urlencode(query)
                )
        return answer


def _cursor(index):
    return base64.urlsafe_b64encode(f"idx:{index}".encode()).decode()
