# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every Meta webhook endpoint does, whatever the channel.

Verify the signature over the raw body before trusting it, store the body,
and answer 200 once it is committed; the worker does the rest. Only a bad
request or a bad signature gets a non-2xx answer, so Meta never retries into
a storm.
"""

import hmac
import json
import logging

from guestmsg.signature import verify_signature

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
READ_CHUNK_BYTES = 64 * 1024
# Meta batches a few accounts per body; more is not a delivery of Meta's
MAX_ACCOUNTS_PER_BODY = 50


class MetaWebhookController(http.Controller):
    def _plain(self, status, text):
        return request.make_response(text, status=status, headers=[("Content-Type", "text/plain; charset=utf-8")])

    def _verification_handshake(self, channel_type):
        args = request.httprequest.args
        token, challenge = args.get("hub.verify_token"), args.get("hub.challenge")
        if args.get("hub.mode") != "subscribe" or not token or challenge is None:
            return self._plain(403, "Forbidden")
        # sudo: guest.channel.connection - Meta is anonymous; only the verify token is compared
        connection = request.env["guest.channel.connection"].sudo().search(
            [("channel_type", "=", channel_type), ("verify_token", "=", token)], limit=1
        )
        platform_token = request.env["ir.config_parameter"].sudo().get_param("guest_messaging.meta_verify_token")
        if connection:
            connection._on_webhook_verified()
        elif not (platform_token and hmac.compare_digest(platform_token.encode(), token.encode())):
            _logger.warning("Webhook verification for %s refused: unknown verify token", channel_type)
            return self._plain(403, "Forbidden")
        return self._plain(200, challenge)

    def _account_ids(self, channel_type, payload):
        """The account ids a body names (phone number ids, Page ids...). Each channel addon answers for
        its own channels and passes the others on: Odoo merges every addon's subclass into one controller."""
        raise NotImplementedError(f"No webhook handler is installed for {channel_type}.")

    def _read_body(self):
        """The raw body, read at most MAX_BODY_BYTES + 1 bytes at a time: a chunked upload without a
        Content-Length cannot make the server read or hold more. None when it is too large."""
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY_BYTES:
            return None
        # Odoo's request wrapper exposes get_data() (reads everything) but not the input stream
        stream = httprequest._HTTPRequest__wrapped.stream  # pylint: disable=protected-access
        chunks, size = [], 0
        while size <= MAX_BODY_BYTES:
            chunk = stream.read(min(READ_CHUNK_BYTES, MAX_BODY_BYTES + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return None

    def _receive(self, channel_type):
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            return self._plain(400, "Expected application/json")
        signature = httprequest.headers.get("X-Hub-Signature-256")
        if not signature:
            _logger.warning("%s webhook without X-Hub-Signature-256 refused", channel_type)
            return self._plain(401, "Missing signature")
        raw = self._read_body()
        if raw is None:
            return self._plain(413, "Payload too large")
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError included: Meta sends UTF-8
            return self._plain(400, "Malformed JSON")
        try:
            account_ids = self._account_ids(channel_type, payload) if isinstance(payload, dict) else set()
        except RecursionError:
            return self._plain(400, "Malformed JSON")
        if len(account_ids) > MAX_ACCOUNTS_PER_BODY:
            return self._plain(400, "Too many accounts in one body")
        routes, platform_secret = request.env["guest.channel.connection"]._webhook_routes(channel_type)
        named = list({route for account_id in sorted(account_ids) for route in routes.get(account_id, ())})
        candidates = sorted({secret for _id, secret, _live in named if secret}) if named else [platform_secret]
        secret = next((s for s in candidates if s and verify_signature(s, raw, signature)), None)
        if secret is None:
            _logger.warning("%s webhook with an invalid signature refused", channel_type)
            return self._plain(401, "Invalid signature")
        # a body verified with one app's secret writes only into the connections of that app
        scope = sorted(connection_id for connection_id, route_secret, live in named if live and route_secret == secret)
        if not scope:
            _logger.info("Verified %s webhook for no connected account; acknowledged and dropped", channel_type)
            return self._plain(200, "EVENT_RECEIVED")
        # sudo: guest.webhook.event - insert-only store of a verified body for the worker
        request.env["guest.webhook.event"].sudo()._store(
            channel_type, raw, connection=request.env["guest.channel.connection"].sudo().browse(scope))
        return self._plain(200, "EVENT_RECEIVED")
