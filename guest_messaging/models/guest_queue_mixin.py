# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


RECHECK_SECONDS = 2


class GuestQueueMixin(models.AbstractModel):
    """Rows a cron worker takes one at a time, each in a transaction of its own.

    A model states which rows are waiting (``_queue_waiting``) and which of those are due now
    (``_queue_due``); ``_queue_run`` locks each row before handling it, so two workers never
    handle the same row, and commits after each one outside tests.
    """

    _name = "guest.queue.mixin"
    _description = "Guest Messaging work queue"
    _queue_cron_xmlid = None

    def _queue_waiting(self):
        """SQL condition on the model's table for rows still to handle."""
        raise NotImplementedError

    def _queue_due(self):
        return SQL("(next_attempt_at IS NULL OR next_attempt_at <= (now() AT TIME ZONE 'UTC'))")

    @api.model
    def _queue_batch(self, batch_size):
        self.flush_model()
        rows = self.env.execute_query(SQL(
            "SELECT id FROM %s WHERE %s AND %s ORDER BY id LIMIT %s",
            SQL.identifier(self._table), self._queue_waiting(), self._queue_due(), batch_size,
        ))
        return self.browse([row[0] for row in rows])

    def _queue_lock(self):
        """Row-lock this record; False when another worker holds it or already handled it."""
        self.ensure_one()
        self.flush_model()
        return bool(self.env.execute_query(SQL(
            "SELECT id FROM %s WHERE id = %s AND %s FOR NO KEY UPDATE SKIP LOCKED",
            SQL.identifier(self._table), self.id, self._queue_waiting(),
        )))

    @api.model
    def _queue_wake(self):
        """Wake the worker, unless a wake-up is already waiting for it.

        Each new trigger costs a NOTIFY on its own database connection at commit, too much for every
        webhook; one pending trigger serves them all, and the worker looks again before it stops.
        """
        cron = self.env.ref(self._queue_cron_xmlid)
        pending = self.env.execute_query(SQL(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= (now() AT TIME ZONE 'UTC') LIMIT 1",
            cron.id,
        ))
        if not pending:
            cron._trigger()

    @api.model
    def _queue_run(self, batch_size, handle):
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        rows = self._queue_batch(batch_size)
        for done, row in enumerate(rows, 1):
            if not row._queue_lock():
                continue
            row.invalidate_recordset()
            handle(row, auto_commit)
            if auto_commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(rows) - done)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        cron = self.env.ref(self._queue_cron_xmlid)
        if len(rows) == batch_size or (rows and self._queue_batch(1)):
            # more arrived while this batch ran
            cron._trigger()
        elif rows:
            # A transaction that began before this run ended saw the trigger this run consumes and did
            # not add one (_queue_wake); its row may commit after the look above. One more look soon.
            cron._trigger(at=fields.Datetime.now() + timedelta(seconds=RECHECK_SECONDS))
        return len(rows)
