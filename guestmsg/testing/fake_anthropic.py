"""A fake of Anthropic's Messages API on loopback, for tests (standard library only).

::

    with FakeMessagesAPI(api_key="sk-ant-test") as fake:
        fake.respond_with_tool({"intent": "book", "confidence": 0.9})
        client = anthropic.Anthropic(api_key="sk-ant-test", base_url=fake.base_url)
        message = client.messages.create(model="claude-haiku-4-5", max_tokens=100, tools=[...],
                                         tool_choice={"type": "tool", "name": "record"}, messages=[...])
        assert fake.requests[0].json["model"] == "claude-haiku-4-5"

``POST /v1/messages`` answers with the JSON the real API returns: a ``message`` object with
``content`` blocks, ``stop_reason`` and ``usage``, or the ``{"type": "error", "error": {...}}``
envelope with the real error types. The API key is checked in ``x-api-key`` and, as the
SDK sends it, ``Authorization: Bearer``; ``anthropic-version`` must be present.

What each request gets, first match wins: a queued failure (:meth:`FakeMessagesAPI.fail_next`),
a queued response (:meth:`FakeMessagesAPI.respond_with_tool`,
:meth:`FakeMessagesAPI.respond_with_text`), :attr:`FakeMessagesAPI.responder`, and by default a
``tool_use`` block with an empty input when the request forces a tool, else a short text.
"""

import json
import secrets
import string
import time
from collections import deque
from urllib.parse import parse_qs, urlsplit

from guestmsg.testing.loopback import LoopbackFake

from .fake_graph import RecordedRequest

MAX_REQUEST_BYTES = 32 * 1024 * 1024
DEFAULT_API_KEY = "sk-ant-api03-fake-key"
DEFAULT_TEXT = "Hello from the fake Messages API."

# HTTP status the real API uses for each error type.
ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
_STATUS_ERROR = {status: error_type for error_type, status in ERROR_STATUS.items()}

_ID_ALPHABET = string.ascii_letters + string.digits


def anthropic_id(prefix):
    """An id shaped like the API's: ``msg_01…``, ``toolu_01…``, ``req_01…`` (24 base62 characters)."""
    return f"{prefix}_01" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


def error_body(error_type, message):
    """Anthropic's error envelope."""
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": anthropic_id("req")}


def estimate_tokens(value):
    """A rough token count (four characters a token) for usage figures nobody configured."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def forced_tool_name(request_json):
    """The tool a request names in ``tool_choice``, else its first tool, else None."""
    if not isinstance(request_json, dict):
        return None
    choice = request_json.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "tool" and choice.get("name"):
        return choice["name"]
    tools = request_json.get("tools")
    if isinstance(tools, list):
        for tool in tools:
            if isinstance(tool, dict) and tool.get("name"):
                return tool["name"]
    return None


def tool_use_message(request_json, tool_input, tool_name=None, input_tokens=None, output_tokens=None):
    """A complete ``message`` whose only content block is a ``tool_use`` of ``tool_name``.

    ``tool_name`` defaults to the tool the request forces (or its first tool).
    """
    name = tool_name or forced_tool_name(request_json) or "tool"
    block = {"type": "tool_use", "id": anthropic_id("toolu"), "name": name, "input": tool_input}
    return _complete(request_json, {"content": [block], "stop_reason": "tool_use"}, input_tokens, output_tokens)


def text_message(request_json, text, input_tokens=None, output_tokens=None):
    """A complete ``message`` with a single ``text`` block and ``stop_reason`` ``end_turn``."""
    body = {"content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}
    return _complete(request_json, body, input_tokens, output_tokens)


def _complete(request_json, body, input_tokens=None, output_tokens=None):
    """Fill in what a responder left out of a ``message`` object."""
    body = dict(body)
    content = body.setdefault("content", [])
    model = request_json.get("model") if isinstance(request_json, dict) else None
    body.setdefault("id", anthropic_id("msg"))
    body.setdefault("type", "message")
    body.setdefault("role", "assistant")
    body.setdefault("model", model or "claude-haiku-4-5")
    has_tool_use = any(isinstance(block, dict) and block.get("type") == "tool_use" for block in content)
    body.setdefault("stop_reason", "tool_use" if has_tool_use else "end_turn")
    body.setdefault("stop_sequence", None)
    usage = dict(body.get("usage") or {})
    usage.setdefault("input_tokens", input_tokens if input_tokens is not None else estimate_tokens(request_json))
    usage.setdefault("output_tokens", output_tokens if output_tokens is not None else estimate_tokens(content))
    usage.setdefault("cache_creation_input_tokens", 0)
    usage.setdefault("cache_read_input_tokens", 0)
    usage.setdefault("service_tier", "standard")
    body["usage"] = usage
    return body


class FakeMessagesAPI(LoopbackFake):
    """A thread-safe fake of ``POST /v1/messages`` on 127.0.0.1 with an ephemeral port.

    ``api_key=None`` accepts any key (one must still be sent).
    """

    poll_interval = 0.01

    def __init__(self, api_key=DEFAULT_API_KEY, host="127.0.0.1", port=0):
        super().__init__(host=host, port=port)
        self.api_key = api_key
        # ``callable(request_json) -> dict``: the ``message`` to answer with; missing fields are filled in.
        self.responder = None
        self._responses = deque()
        self._failures = deque()
        self._delays = deque()
        self.errors = []

    # -- behaviour -------------------------------------------------------------------------------

    def respond_with_tool(self, input, tool_name=None, input_tokens=None, output_tokens=None):  # noqa: A002
        """Answer the next successful request with a ``tool_use`` block carrying ``input``.

        ``input`` is sent as given, so it may be anything JSON can hold; ``tool_name`` defaults to
        the tool the request forces. Token counts default to rough estimates.
        """
        def respond(request_json):
            return tool_use_message(request_json, input, tool_name, input_tokens, output_tokens)

        with self._lock:
            self._responses.append(respond)

    def respond_with_text(self, text, input_tokens=None, output_tokens=None):
        """Answer the next successful request with a single ``text`` block."""
        def respond(request_json):
            return text_message(request_json, text, input_tokens, output_tokens)

        with self._lock:
            self._responses.append(respond)

    def respond_with_raw(self, body, status=200, content_type="application/json"):
        """Answer the next successful request with ``body`` verbatim (bytes or str), e.g. broken JSON."""
        raw = body.encode() if isinstance(body, str) else bytes(body)

        def respond(_request_json):
            return {"_raw": raw, "_status": status, "_content_type": content_type}

        with self._lock:
            self._responses.append(respond)

    def fail_next(self, status, error_type=None, message=None, n=1, headers=None):
        """Answer the next ``n`` authenticated requests with an error envelope.

        E.g. ``fail_next(529, "overloaded_error", "Overloaded")``; ``error_type`` defaults to the one
        the API uses for ``status``.
        """
        error_type = error_type or _STATUS_ERROR.get(status, "api_error")
        message = message or {"overloaded_error": "Overloaded"}.get(error_type, f"Fake {error_type}")
        with self._lock:
            for _ in range(n):
                self._failures.append((status, error_type, message, dict(headers or {})))

    def delay_next(self, seconds, n=1):
        """Hold the reply to the next ``n`` requests for ``seconds`` (the request is recorded at once)."""
        with self._lock:
            for _ in range(n):
                self._delays.append(seconds)

    # -- serving ---------------------------------------------------------------------------------

    def handle_request(self, handler):
        """Record, then answer, one request (called by the server's handler threads)."""
        parts = urlsplit(handler.path)
        query = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self._write(handler, 413, error_body("request_too_large", "Request exceeds the maximum allowed size"))
            return
        body = handler.rfile.read(length) if length else b""
        try:
            parsed_json = json.loads(body) if body else None
        except ValueError:
            parsed_json = None
        record = RecordedRequest(
            method=handler.command, path=parts.path, query=query, headers=dict(handler.headers.items()),
            json=parsed_json, body=body, timestamp=time.time(),
            version=handler.headers.get("anthropic-version"), endpoint=parts.path.strip("/"),
            params=parsed_json if isinstance(parsed_json, dict) else {},
        )
        with self._lock:
            self._requests.append(record)
            delay = self._delays.popleft() if self._delays else 0.0

        raw = content_type = None
        try:
            status, payload = self._answer(record, body)
        except Exception as exc:  # a bug in the fake must show up in the test, not hang it
            self.errors.append(exc)
            status, payload = 500, error_body("api_error", "Internal server error")
        headers = payload.pop("_headers", {})
        if "_raw" in payload:
            raw, status, content_type, payload = payload["_raw"], payload["_status"], payload["_content_type"], None
        with self._lock:
            record.status = status
            record.response = payload
        if delay:
            self._stopping.wait(delay)
        self._write(handler, status, payload, headers, raw, content_type)

    def _answer(self, record, body):
        if record.method != "POST" or record.path.rstrip("/") != "/v1/messages":
            return 404, error_body("not_found_error", f"Not found: {record.method} {record.path}")
        key = record.header("x-api-key") or record.bearer
        if not key:
            return 401, error_body("authentication_error", "x-api-key header is required")
        if self.api_key is not None and key != self.api_key:
            return 401, error_body("authentication_error", "invalid x-api-key")
        if not record.header("anthropic-version"):
            return 400, error_body("invalid_request_error", "anthropic-version: header is required")
        request_json = record.json
        if not isinstance(request_json, dict):
            problem = "Request body must be a JSON object" if body else "Request body is required"
            return 400, error_body("invalid_request_error", problem)
        problem = _invalid_request(request_json)
        if problem:
            return 400, error_body("invalid_request_error", problem)
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
            queued = None if failure else (self._responses.popleft() if self._responses else None)
            responder = self.responder
        if failure:
            status, error_type, message, headers = failure
            return status, {**error_body(error_type, message), "_headers": headers}
        if queued is not None:
            return 200, queued(request_json)
        if responder is not None:
            return 200, _complete(request_json, responder(request_json))
        if forced_tool_name(request_json) and isinstance(request_json.get("tool_choice"), dict) \
                and request_json["tool_choice"].get("type") in ("tool", "any"):
            return 200, tool_use_message(request_json, {})
        return 200, text_message(request_json, DEFAULT_TEXT)

    def _write(self, handler, status, payload, headers=None, raw=None, content_type=None):
        if raw is None:
            raw = json.dumps(payload).encode()
        request_id = payload.get("request_id") if isinstance(payload, dict) else None
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type or "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            handler.send_header("request-id", request_id or anthropic_id("req"))
            for name, value in (headers or {}).items():
                handler.send_header(name, str(value))
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _invalid_request(request_json):
    """The API's complaint about a malformed Messages request, or None."""
    if not isinstance(request_json.get("model"), str) or not request_json["model"]:
        return "model: Field required"
    max_tokens = request_json.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        return "max_tokens: Field required and must be a positive integer"
    messages = request_json.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            return f"messages.{index}.role: Input should be 'user' or 'assistant'"
        content = message.get("content")
        if content in ("", []):
            return f"messages.{index}: all messages must have non-empty content"
    tools = request_json.get("tools") or []
    names = [tool.get("name") for tool in tools if isinstance(tool, dict)]
    choice = request_json.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "tool" and choice.get("name") not in names:
        return f"tool_choice.name: Tool '{choice.get('name')}' not found in tools"
    return None
