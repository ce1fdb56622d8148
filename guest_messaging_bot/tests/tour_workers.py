import threading
from contextlib import contextmanager
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests.common import ChromeBrowser


@contextmanager
def workers_running(registry, work, interval=0.2):
    """Call ``work(env)`` in a thread of its own, in a new cursor as the superuser, every ``interval`` seconds
    while a tour in the block plays the guest in the browser: what the crons do on a server. An error in
    ``work`` ends the thread (Python prints it); the block's own error is raised once the thread stopped.

    The thread starts working once the browser opens the tour's page. Before that, the test's own cursor
    logs in and flushes the test's writes; it shares its connection with the thread's cursor, without the
    lock that keeps the server's cursors apart.
    """
    stop = threading.Event()
    browsing = threading.Event()
    navigate_to = ChromeBrowser.navigate_to

    def navigate_then_work(browser, *args, **kwargs):
        browsing.set()
        return navigate_to(browser, *args, **kwargs)

    def run():
        while not browsing.wait(interval):
            if stop.is_set():
                return
        while not stop.is_set():
            with registry.cursor() as cr:
                work(api.Environment(cr, SUPERUSER_ID, {}))
            stop.wait(interval)

    worker = threading.Thread(target=run, daemon=True)
    with patch.object(ChromeBrowser, "navigate_to", navigate_then_work):
        worker.start()
        try:
            yield
        finally:
            stop.set()
            worker.join()
