from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestSandboxRefusesOtherChannels(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()

    def test_a_whatsapp_connection_cannot_be_played_in_the_simulator(self):
        Connection = self.env["guest.channel.connection"].with_user(self.agent)
        with self.assertRaises(UserError):
            Connection.sandbox_send(self.connection.id, "sim-2", text="Hi")
        self.assertFalse(self.env["guest.conversation"].search_count([("guest_external_id", "=", "sim-2")]))
