# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json
import logging
from datetime import timedelta

from guestmsg.channels.sandbox import SANDBOX
from guestmsg.core.backoff import backoff_delay

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# a claim is leased for at least this long: past it without an outcome, its worker was stopped
PROCESSING_LEASE_SECONDS = 60
DEFAULT_RETENTION_DAYS = 30
# events on their first attempt share a transaction by this many: bounded, so that a run commits often
# and an event that stops its worker (handled alone from then on) held back at most this many others
CHUNK_SIZE = 20
CRON_XMLID = "guest_messaging.ir_cron_process_webhook_events"


class GuestWebhookEvent(models.Model):
    """A verified webhook body, stored before Meta gets its 200 and processed by a worker."""

    _name = "guest.webhook.event"
    _inherit = ["guest.queue.mixin"]
    _description = "Guest Messaging Webhook Event"
    _order = "id desc"
    _rec_name = "id"
    _queue_cron_xmlid = CRON_XMLID
    # the acknowledgement path: one wake-up serves every webhook until the worker runs
    _queue_wake_shared = True
    _queue_chunk_size = CHUNK_SIZE

    # === FIELDS === #
    channel_type = fields.Selection(selection="_selection_channel_type", required=True, readonly=True)
    connection_id = fields.Many2one("guest.channel.connection", index="btree_not_null", readonly=True,
                                    ondelete="set null")
    company_id = fields.Many2one("res.company", index=True, readonly=True,
                                 help="The company of the connections the body was verified for, when they share one.")
    scope_connection_ids = fields.Json(
        readonly=True, help="The connections whose app secret verified the body: the only ones it may write into.")
    body = fields.Text(required=True, readonly=True, help="The raw body as Meta signed it.")
    body_sha256 = fields.Char(required=True, readonly=True, copy=False)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed, will retry"), ("parked", "Parked")],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    attempts = fields.Integer(readonly=True, default=0)
    next_attempt_at = fields.Datetime(readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    processed_at = fields.Datetime(readonly=True)
    message_count = fields.Integer(readonly=True, help="Guest messages and statuses this event carried.")

    _sql_constraints = [
        # Meta redelivers a body it did not see acknowledged byte for byte
        ("body_sha256_unique", "unique(channel_type, body_sha256)", "This webhook body was already received."),
    ]

    @api.model
    def _selection_channel_type(self):
        return self.env["guest.channel.connection"]._fields["channel_type"]._description_selection(self.env)

    # === CRUD === #
    @api.model
    def _store(self, channel_type, raw_body, connection=None):
        """Insert a verified body once and wake the worker; return the new event, or an empty recordset
        when Meta redelivered a body already stored.

        ``connection`` is the connection, or the connections, whose app secret verified the body: the
        worker writes into these alone, whatever else the body names.

        One INSERT .. ON CONFLICT on the webhook's hot path: the ORM's create (defaults, savepoint,
        duplicate check) costs more than the rest of the request together.
        """
        rows = self.env.execute_query(SQL(
            """
            INSERT INTO guest_webhook_event
                   (channel_type, connection_id, company_id, scope_connection_ids, body, body_sha256, state,
                    attempts, message_count, create_uid, write_uid, create_date, write_date)
            VALUES (%(channel)s, %(connection)s, %(company)s, %(scope)s, %(body)s, %(digest)s, 'pending',
                    0, 0,
                    %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
            ON CONFLICT (channel_type, body_sha256) DO NOTHING
            RETURNING id
            """,
            channel=channel_type,
            connection=connection.id if connection and len(connection) == 1 else None,
            company=connection.company_id.id if connection and len(connection.company_id) == 1 else None,
            scope=json.dumps(sorted(connection.ids)) if connection else None,
            body=raw_body.decode("utf-8"),
            digest=hashlib.sha256(raw_body).hexdigest(),
            uid=self.env.uid,
        ))
        if not rows:
            return self.browse()
        self._queue_wake()
        return self.browse(rows[0][0])

    # === ACTION === #
    def action_replay(self):
        """Process a parked or failed event again, from its stored body (which nobody can change: a body
        is processed as Meta signed it)."""
        if not (self.env.su or self.env.user.has_group("guest_messaging.group_manager")):
            raise AccessError(self.env._("Only Guest Messaging managers can replay webhooks."))
        self.check_access("read")
        # sudo: guest.webhook.event - events are written by the platform only; the manager may read these
        self.sudo().write({"state": "pending", "attempts": 0, "next_attempt_at": False, "last_error": False})
        self.env.ref(CRON_XMLID)._trigger()
        return True

    # === BUSINESS === #
    def _payload(self):
        self.ensure_one()
        return json.loads(self.body)

    def _scoped_connections(self, domain):
        """Connections matching ``domain`` that this event may write into: those whose secret verified it."""
        self.ensure_one()
        domain = [*domain, ("state", "!=", "disconnected")]
        if isinstance(self.scope_connection_ids, list):
            domain.append(("id", "in", [i for i in self.scope_connection_ids if isinstance(i, int)]))
        elif self.connection_id:
            domain.append(("id", "=", self.connection_id.id))
        return self.env["guest.channel.connection"].search(domain)

    @api.model
    def _webhook_account_ids(self, channel_type, payload):
        """The account ids a body names (phone number ids, Page ids...), read by the channel's
        ``_account_ids_<code>`` before the signature is checked: only to find the secrets that may verify it."""
        reader = getattr(self, f"_account_ids_{channel_type}", None)
        if reader is None:
            raise NotImplementedError(f"No webhook handler is installed for {channel_type}.")
        return reader(payload)

    def _process(self):
        """Turn the event into messages; each channel addon handles its own type in ``_process_<code>``."""
        self.ensure_one()
        handler = getattr(self, f"_process_{self.channel_type}", None)
        if handler is None:
            raise NotImplementedError(f"No handler is installed for {self.channel_type} webhooks.")
        return handler()

    def _process_sandbox(self):
        """A message the Guest Simulator's guest wrote or tapped."""
        data = self._payload()
        connection = self.env["guest.channel.connection"].browse(data["connection_id"]).exists()
        if not connection or connection.channel_type != SANDBOX.code:
            return 0
        reply_id = data.get("reply_id")
        message = self.env["guest.conversation"]._ingest_inbound(
            connection,
            data["guest_key"],
            data["message_id"],
            {
                "message_type": "interactive" if reply_id else "text",
                "body": data.get("text") or "",
                "payload": {"reply_id": reply_id} if reply_id else {},
            },
            guest_name=data.get("guest_name"),
        )
        return 1 if message else 0

    def _queue_first_attempt(self):
        return not self.attempts

    def _queue_claim(self):
        """Count the attempt and lease the event before processing it; an event whose every attempt
        stopped its worker (no outcome was ever written) is parked instead."""
        self.ensure_one()
        if self.attempts >= MAX_ATTEMPTS:
            error = self.env._(
                "Parked after %(attempts)s attempts that never finished: processing this event stops the "
                "worker (time or memory limit).", attempts=self.attempts)
            _logger.error("Webhook event %s parked: %s", self.id, error)
            self.write({"state": "parked", "next_attempt_at": False, "last_error": error})
            return False
        attempts = self.attempts + 1
        lease = backoff_delay(attempts, base=30, cap=3600, floor=PROCESSING_LEASE_SECONDS)
        self.write({"attempts": attempts, "next_attempt_at": fields.Datetime.now() + timedelta(seconds=lease)})
        return True

    def _mark_failed(self, error):
        """The attempt (counted when the event was claimed) raised: retry with backoff, or park."""
        self.ensure_one()
        vals = {"last_error": error[:10000]}
        if self.attempts >= MAX_ATTEMPTS:
            vals.update(state="parked", next_attempt_at=False)
            _logger.error("Webhook event %s parked after %s attempts: %s", self.id, self.attempts, error)
        else:
            retry_at = fields.Datetime.now() + timedelta(
                seconds=backoff_delay(self.attempts, base=30, cap=3600, floor=2))
            vals.update(state="failed", next_attempt_at=retry_at)
            self.env.ref(CRON_XMLID)._trigger(at=retry_at)
        self.write(vals)

    def _queue_waiting(self):
        return SQL("state IN ('pending', 'failed')")

    @api.model
    def _cron_process_webhook_events(self, batch_size=100):
        return self._queue_run(batch_size, lambda event, _auto_commit: event._process_safely())

    def _queue_handle_chunk(self):
        try:
            with self.env.cr.savepoint():
                for event in self:
                    event._process_and_record()
        except Exception as exc:  # noqa: BLE001 - the events are then processed one by one
            _logger.info("Webhook events %s processed one by one: %s", self.ids, exc)
            return False
        return True

    def _process_safely(self):
        try:
            with self.env.cr.savepoint():
                self._process_and_record()
        except Exception as exc:  # noqa: BLE001 - one bad event never stops the batch
            _logger.warning("Webhook event %s failed: %s", self.id, exc, exc_info=True)
            self._mark_failed(f"{type(exc).__name__}: {exc}")

    def _process_and_record(self):
        count = self._process()
        self.write({
            "state": "done",
            "processed_at": fields.Datetime.now(),
            "next_attempt_at": False,
            "last_error": False,
            "message_count": count or 0,
        })

    @api.model
    def _retention_days(self):
        # sudo: ir.config_parameter - a system setting the purge reads whoever runs it
        value = self.env["ir.config_parameter"].sudo().get_param("guest_messaging.webhook_retention_days")
        try:
            days = int(value)
        except (TypeError, ValueError):
            return DEFAULT_RETENTION_DAYS
        return days if days > 0 else DEFAULT_RETENTION_DAYS

    @api.model
    def _cron_purge_webhook_events(self, batch_size=1000):
        """Delete events processed longer ago than the retention; parked and failed ones stay until someone
        replays them. One batch per call: the cron calls again at once while more remain."""
        cutoff = fields.Datetime.now() - timedelta(days=self._retention_days())
        domain = [("state", "=", "done"), ("processed_at", "<", cutoff)]
        events = self.search(domain, order="id", limit=batch_size)
        events.unlink()
        remaining = self.search_count(domain) if len(events) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(events), remaining=remaining)
        return len(events)
