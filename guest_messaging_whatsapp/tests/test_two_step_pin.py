from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestTwoStepPin(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()

    def test_the_pin_is_write_only_and_stored_encrypted(self):
        self.connection.two_step_pin = "123456"
        self.connection.invalidate_recordset()
        self.assertFalse(self.connection.web_read({"two_step_pin": {}})[0]["two_step_pin"])
        self.env.flush_all()
        self.env.cr.execute("SELECT two_step_pin_encrypted FROM guest_channel_connection WHERE id = %s",
                            (self.connection.id,))
        stored = self.env.cr.fetchone()[0]
        self.assertTrue(stored.startswith("gmenc1:"))
        self.assertNotIn("123456", stored)
        self.assertEqual(self.connection._get_secret("two_step_pin"), "123456")
