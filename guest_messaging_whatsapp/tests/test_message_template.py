from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestMessageTemplate(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()

    def _create(self, mapping, event_type="reservation_confirmed", connection=None, language="en_US"):
        return self.env["guest.message.template"].create(
            {
                "connection_id": (connection or self.connection).id,
                "template_name": "booking_confirmed",
                "language": language,
                "event_type": event_type,
                "parameter_mapping": mapping,
            }
        )

    def test_valid_mapping(self):
        template = self._create({"1": "guestName", "2": "checkIn", "3": "reference"})
        self.assertEqual(template.parameter_mapping, {"1": "guestName", "2": "checkIn", "3": "reference"})
        self.assertIn("roomName", template.available_variables)

    def test_mapping_pasted_as_json_text(self):
        template = self._create('{"2": "checkIn", "1": "guestName"}')
        self.assertEqual(template.parameter_mapping, {"1": "guestName", "2": "checkIn"})

    def test_variable_the_event_does_not_offer(self):
        with self.assertRaisesRegex(ValidationError, "does not offer"):
            self._create({"1": "roomName"}, event_type="check_in_reminder")

    def test_bad_mappings(self):
        for mapping in ('{"1": ', ["guestName"], {"0": "guestName"}, {"1": "guestName", "3": "checkIn"}, {"a": "guestName"},
                        {"1": ["guestName"]}, "null"):
            with self.subTest(mapping=mapping), self.assertRaises(ValidationError):
                self._create(mapping, language=f"x{len(str(mapping))}")

    def test_only_whatsapp_connections(self):
        sandbox = self.env["guest.channel.connection"].create({"name": "Sandbox", "channel_type": "sandbox"})
        with self.assertRaisesRegex(ValidationError, "WhatsApp"):
            self._create({"1": "guestName"}, connection=sandbox)
