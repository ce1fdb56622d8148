import logging
import re
from pathlib import Path

from odoo.tests import HttpCase, tagged

JS_TESTS = Path(__file__).resolve().parent.parent / "static" / "tests"


def _unit_test_error(message):
    return "[HOOT]" not in message


@tagged("guest_messaging", "post_install", "-at_install")
class TestHootComponents(HttpCase):
    """The module's Hoot tests (inbox, Connect with Meta), run in headless Chromium by Odoo's unit test page."""

    def test_hoot_suites(self):
        expected = sum(len(re.findall(r"^\s*test\(", path.read_text(), re.M)) for path in JS_TESTS.glob("*.test.js"))
        self.assertGreater(expected, 0)
        lines = []
        handler = logging.Handler()
        handler.emit = lambda record: lines.append(record.getMessage())
        browser_logger = logging.getLogger(f"{type(self).__module__}.{type(self).__name__}.{self._testMethodName}.browser")
        browser_logger.addHandler(handler)
        self.addCleanup(browser_logger.removeHandler, handler)
        self.browser_js("/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&filter=guest_messaging",
                        "", "", login="admin", timeout=600, success_signal="[HOOT] Test suite succeeded",
                        error_checker=_unit_test_error)
        passed = [int(n) for line in lines for n in re.findall(r"Passed (\d+) tests", line)]
        self.assertEqual(passed, [expected], "every Hoot test of the module ran and passed")
