import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api


@contextmanager
def workers_running(registry, work, interval=0.2):
    """Call ``work(env)`` in a thread of its own, in a new cursor as the superuser, every ``interval`` seconds
    until the block ends: what the crons do on a server while a tour plays the guest in the browser. An error
    in ``work`` ends the thread (Python prints it); the block's own error is raised once the thread stopped."""
    stop = threading.Event()

    def run():
        while not stop.is_set():
            with registry.cursor() as cr:
                work(api.Environment(cr, SUPERUSER_ID, {}))
            stop.wait(interval)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join()
