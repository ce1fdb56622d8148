# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

from odoo import api, fields, models
from odoo.tools import SQL


class GuestQueueMixin(models.AbstractModel):
    """Rows a cron worker takes one at a time, each in a transaction of its own.

    A model states which rows are waiting (``_queue_waiting``); those whose ``next_attempt_at`` has
    come are due. ``_queue_run`` locks a due row, claims it (``_queue_claim``: count the attempt, lease
    the row by moving ``next_attempt_at`` ahead) and commits the claim before handling the row, so a
    worker killed while handling it (time or memory limit) leaves the attempt counted and the row
    waiting for its lease to end: the queue moves on, and the row is given up after a bounded number
    of claims. Outside tests it also commits after each row.
    """

    _name = "guest.queue.mixin"
    _description = "Guest Messaging work queue"
    _queue_cron_xmlid = None
    _queue_wake_shared = False

    def _queue_waiting(self):
        """SQL condition on the model's table for rows still to handle."""
        raise NotImplementedError

    def _queue_due(self):
        # the clock leases are written with, so that tests can move it
        return SQL("(next_attempt_at IS NULL OR next_attempt_at <= %s)", fields.Datetime.now())

    def _queue_claim(self):
        """Record that a worker takes this locked row, before it is handled; False to skip handling it.

        A model counts the attempt and sets ``next_attempt_at`` beyond the longest a live worker may
        take, or gives the row up (and returns False) when earlier claims never came to an outcome.
        """
        return True

    @api.model
    def _queue_batch(self, batch_size):
        self.flush_model()
        rows = self.env.execute_query(SQL(
            "SELECT id FROM %s WHERE %s AND %s %s ORDER BY id LIMIT %s",
            SQL.identifier(self._table), self._queue_waiting(), self._queue_due(),
            SQL("AND id IN %s", tuple(self.ids)) if self.ids else SQL(), batch_size,
        ))
        return self.browse([row[0] for row in rows])

    def _queue_lock(self):
        """Row-lock this record; False when another worker holds it, handled it or leases it."""
        self.ensure_one()
        self.flush_model()
        return bool(self.env.execute_query(SQL(
            "SELECT id FROM %s WHERE id = %s AND %s AND %s FOR NO KEY UPDATE SKIP LOCKED",
            SQL.identifier(self._table), self.id, self._queue_waiting(), self._queue_due(),
        )))

    @api.model
    def _queue_wake(self):
        """Wake the worker when this transaction commits: one trigger per transaction and queue, however
        many rows it adds. The trigger is written at commit (precommit), so a row added inside a
        savepoint that is rolled back costs at most a spurious run.

        A queue on a hot path (``_queue_wake_shared``) skips the wake-up when a due trigger is already
        visible: a trigger and its NOTIFY per webhook cost 20 times the acknowledgement latency. The
        price: under REPEATABLE READ a transaction may still see a trigger that a run ending at that
        moment is consuming, and its row then waits for the cron's next call (at most a minute).
        """
        if self._queue_wake_shared:
            cron = self.env.ref(self._queue_cron_xmlid)
            if self.env.execute_query(SQL(
                "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= (now() AT TIME ZONE 'UTC') LIMIT 1",
                cron.id,
            )):
                return
        pending = self.env.cr.precommit.data.setdefault("guest_messaging.queue_wake", set())
        if not pending:
            self.env.cr.precommit.add(self._queue_wake_at_commit)
        pending.add(self._queue_cron_xmlid)

    def _queue_wake_at_commit(self):
        for xmlid in sorted(self.env.cr.precommit.data.pop("guest_messaging.queue_wake", ())):
            self.env.ref(xmlid)._trigger()

    @api.model
    def _queue_run(self, batch_size, handle):
        """Handle up to ``batch_size`` due rows with ``handle(row, auto_commit)``.

        Called on a recordset, only those rows are considered.
        """
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        rows = self._queue_batch(batch_size)
        for done, row in enumerate(rows, 1):
            if not row._queue_lock():
                continue
            row.invalidate_recordset()
            if row._queue_claim():
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                handle(row, auto_commit)
            if auto_commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(rows) - done)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if len(rows) == batch_size or (rows and self._queue_batch(1)):
            # more arrived while this batch ran
            self.env.ref(self._queue_cron_xmlid)._trigger()
        return len(rows)
