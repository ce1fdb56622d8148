from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestCannedResponse(GuestMessagingCase):
    def _create(self, shortcut, **vals):
        return self.env["guest.canned.response"].create(
            {"name": "Check-in", "content": "From 3 pm.", "shortcut": shortcut, **vals}
        )

    def test_shortcut_is_normalised(self):
        self.assertEqual(self._create("  /Early-CheckIn ").shortcut, "/early-checkin")
        self.assertEqual(self._create("late-checkout").shortcut, "/late-checkout")

    def test_bad_shortcuts_are_refused(self):
        for shortcut in ("/", "/check in", "/" + "x" * 40, "/<script>", "//"):
            with self.subTest(shortcut=shortcut), self.assertRaises(ValidationError):
                self._create(shortcut)

    def test_shortcut_is_unique(self):
        self._create("/wifi")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._create("/WIFI")
            self.env.flush_all()
