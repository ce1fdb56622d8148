# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The webhook endpoint of every channel: ``/guest_messaging/webhook/<channel>``.

Verify the signature over the raw body before trusting it (each channel's platform has its scheme, see
``guest.channel.connection._webhook_signature_ok``), store the body, and answer 200 once it is committed;
the worker does the rest. Only a bad request or a bad signature gets a non-2xx answer, so the platform
never retries into a storm.
"""

import json
import logging

from guestmsg.channels import channel

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
READ_CHUNK_BYTES = 64 * 1024
# Meta batches a few accounts per body; more is not a delivery of Meta's
MAX_ACCOUNTS_PER_BODY = 50
WEBHOOK_ROUTE = "/guest_messaging/webhook/<string:channel_type>"


class GuestWebhookController(http.Controller):
    @http.route(WEBHOOK_ROUTE, type="http", auth="public", methods=["GET"], csrf=False, save_session=False)
    def webhook_handshake(self, channel_type, **kwargs):
        if not self._webhook_channel(channel_type):
            return self._plain(404, "Not Found")
        status, text = request.env["guest.channel.connection"]._webhook_handshake(
            channel_type, request.httprequest.args)
        return self._plain(status, text)

    @http.route(WEBHOOK_ROUTE, type="http", auth="public", methods=["POST"], max_content_length=MAX_BODY_BYTES,
                csrf=False, save_session=False)
    def webhook_receive(self, channel_type, **kwargs):
        if not self._webhook_channel(channel_type):
            return self._plain(404, "Not Found")
        return self._receive(channel_type)

    def _webhook_channel(self, channel_type):
        """Whether ``channel_type`` is an installed channel that receives webhooks at this path."""
        installed = request.env["guest.channel.connection"]._installed_channel_codes()
        if channel_type not in installed:
            return False
        return channel(channel_type).webhook_path == request.httprequest.path.rstrip("/")

    def _plain(self, status, text):
        return request.make_response(text, status=status, headers=[("Content-Type", "text/plain; charset=utf-8")])

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
        Connection = request.env["guest.channel.connection"]
        signature = Connection._webhook_signature(channel_type, httprequest.headers)
        if not signature:
            _logger.warning("%s webhook without a signature refused", channel_type)
            return self._plain(401, "Missing signature")
        raw = self._read_body()
        if raw is None:
            return self._plain(413, "Payload too large")
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError included: Meta sends UTF-8
            return self._plain(400, "Malformed JSON")
        try:
            account_ids = request.env["guest.webhook.event"]._webhook_account_ids(channel_type, payload) \
                if isinstance(payload, dict) else set()
        except RecursionError:
            return self._plain(400, "Malformed JSON")
        if len(account_ids) > MAX_ACCOUNTS_PER_BODY:
            return self._plain(400, "Too many accounts in one body")
        routes, fallback_secret = Connection._webhook_routes(channel_type)
        named = list({route for account_id in sorted(account_ids) for route in routes.get(account_id, ())})
        candidates = sorted({secret for _id, secret, _live in named if secret}) if named else [fallback_secret]
        secret = next((s for s in candidates
                       if s and Connection._webhook_signature_ok(channel_type, s, raw, signature)), None)
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
            channel_type, raw, connection=Connection.sudo().browse(scope))
        return self._plain(200, "EVENT_RECEIVED")
