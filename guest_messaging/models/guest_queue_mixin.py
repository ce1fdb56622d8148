# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

from odoo import api, fields, models
from odoo.tools import SQL

# the queues a transaction has already woken (kept until it ends)
WOKEN = "guest_messaging.queues_woken"
# the cron's progress is written every this many rows, and when the batch ends
PROGRESS_EVERY = 20


class GuestQueueMixin(models.AbstractModel):
    """Rows a cron worker takes one at a time, each in a transaction of its own.

    A model states which rows are waiting (``_queue_waiting``); those whose ``next_attempt_at`` has
    come are due. ``_queue_run`` locks due rows, claims them (``_queue_claim``: count the attempt, lease
    the row by moving ``next_attempt_at`` ahead) and commits the claims before handling the rows, so a
    worker killed while handling them (time or memory limit) leaves the attempts counted and the rows
    waiting for their lease to end: the queue moves on, and a row is given up after a bounded number
    of claims. Outside tests it also commits after each transaction's rows.

    Rows on their first attempt are handled ``_queue_chunk_size`` to a transaction, together in one
    savepoint (``_queue_handle_chunk``: one flush and one wake-up of the next queue for all of them);
    when one of them fails, that savepoint is rolled back and each is handled alone. A row whose earlier
    attempt never came to an outcome is always handled alone, so that a row which stops its worker
    delays no other row twice. The open inboxes hear of the conversations the rows changed
    in one bus message at each progress report (every ``PROGRESS_EVERY`` rows, and at the end).
    """

    _name = "guest.queue.mixin"
    _description = "Guest Messaging work queue"
    _queue_cron_xmlid = None
    _queue_wake_shared = False
    _queue_chunk_size = 1

    def _queue_waiting(self):
        """SQL condition on the model's table for rows still to handle."""
        raise NotImplementedError

    def _queue_due(self):
        # the clock leases are written with, so that tests can move it
        return SQL("(next_attempt_at IS NULL OR next_attempt_at <= %s)", fields.Datetime.now())

    def _queue_first_attempt(self):
        """Whether this row was never claimed before (it may share a transaction with others)."""
        return False

    def _queue_handle_chunk(self):
        """Handle these claimed rows together, all or nothing; False when the rows are to be handled one
        by one instead (nothing of the attempt stays)."""
        return False

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
        if self._queue_cron_xmlid in self.env.cr.postcommit.data.get(WOKEN, ()):
            return
        pending = self.env.cr.precommit.data.setdefault("guest_messaging.queue_wake", set())
        if not pending:
            self.env.cr.precommit.add(self._queue_wake_at_commit)
        pending.add(self._queue_cron_xmlid)

    def _queue_wake_at_commit(self):
        # precommit hooks also run when a savepoint ends; the trigger is written once a transaction
        woken = self.env.cr.postcommit.data.setdefault(WOKEN, set())
        for xmlid in sorted(self.env.cr.precommit.data.pop("guest_messaging.queue_wake", ())):
            if xmlid not in woken:
                self.env.ref(xmlid)._trigger()
                woken.add(xmlid)

    @api.model
    def _queue_run(self, batch_size, handle):
        """Handle up to ``batch_size`` due rows with ``handle(row, auto_commit)``.

        Called on a recordset, only those rows are considered.
        """
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        rows = self._queue_batch(batch_size)
        done = 0
        # the inboxes hear of the conversations these rows changed at each progress report, not once a row
        changed = set()
        held = self.env["guest.conversation"]._inbox_notifications_held
        for chunk in self._queue_chunks(rows):
            # reading a row after its invalidation fetches only its chunk, not the whole batch again
            chunk = chunk.with_prefetch()
            claimed = self.browse()
            for row in chunk:
                if row._queue_lock():
                    row.invalidate_recordset()
                    if row._queue_claim():
                        claimed |= row
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            with held(into=changed):
                if not (len(claimed) > 1 and claimed._queue_handle_chunk()):
                    # the chunk's savepoint was rolled back, and with it any wake-up it wrote
                    self.env.cr.postcommit.data.pop(WOKEN, None)
                    for row in claimed:
                        handle(row, auto_commit)
            reported = done // PROGRESS_EVERY
            done += len(chunk)
            checkpoint = done == len(rows) or done // PROGRESS_EVERY > reported
            if checkpoint and changed:
                self.env["guest.conversation"].browse(sorted(changed))._notify_inbox()
                changed.clear()
            if auto_commit:
                if checkpoint:
                    self.env["ir.cron"]._notify_progress(done=done, remaining=len(rows) - done)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if len(rows) == batch_size or (rows and self._queue_batch(1)):
            # more arrived while this batch ran
            self.env.ref(self._queue_cron_xmlid)._trigger()
        return len(rows)

    def _queue_chunks(self, rows):
        """The rows in the groups that share a transaction: first attempts by ``_queue_chunk_size``, in
        order; every other row alone."""
        chunk = self.browse()
        for row in rows:
            if self._queue_chunk_size > 1 and row._queue_first_attempt():
                chunk |= row
                if len(chunk) >= self._queue_chunk_size:
                    yield chunk
                    chunk = self.browse()
                continue
            if chunk:
                yield chunk
                chunk = self.browse()
            yield row
        if chunk:
            yield chunk
