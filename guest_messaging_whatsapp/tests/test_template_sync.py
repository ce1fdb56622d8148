from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import WhatsAppMixin


@tagged("guest_messaging")
class TestTemplateSync(WhatsAppMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.graph.add_template("WABA1", "booking_confirmed", "en_US",
                               body_text="Hi {{1}}, booking {{2}} from {{3}} to {{4}} is confirmed.")
        cls.graph.add_template("WABA1", "booking_confirmed", "es", body_text="Hola {{1}}, reserva {{2}}.")
        cls.graph.add_template("WABA1", "summer_offer", "en_US", status="REJECTED", category="MARKETING")
        cls.Template = cls.env["guest.whatsapp.template"]

    def _sync(self):
        return self.connection.with_user(self.manager).action_sync_templates()

    def test_sync_lists_the_templates_with_their_parameter_counts(self):
        result = self._sync()
        self.assertEqual(result["params"]["message"], "3 templates listed, 2 approved.")
        listed = {(t.name, t.language): (t.status, t.parameter_count) for t in self.Template.search([])}
        self.assertEqual(listed, {("booking_confirmed", "en_US"): ("APPROVED", 4),
                                  ("booking_confirmed", "es"): ("APPROVED", 2),
                                  ("summer_offer", "en_US"): ("REJECTED", 1)})

    def test_a_second_sync_updates_and_retires_what_meta_no_longer_lists(self):
        self._sync()
        listing = self.graph._templates["WABA1"]
        self.addCleanup(self.graph._templates.__setitem__, "WABA1", listing)
        self.graph._templates["WABA1"] = [t for t in listing if t["name"] != "summer_offer"]
        self._sync()
        self.assertEqual(len(self.Template.search([])), 2)
        retired = self.Template.with_context(active_test=False).search([("name", "=", "summer_offer")])
        self.assertEqual((retired.active, retired.status), (False, "DELETED"))

    def test_only_managers_sync_and_only_whatsapp_accounts(self):
        with self.assertRaises(AccessError):
            self.connection.with_user(self.agent).action_sync_templates()
        self.connection.waba_id = False
        with self.assertRaisesRegex(UserError, "Business Account ID"):
            self._sync()

    def test_meta_refusing_the_listing_is_a_clear_error(self):
        self.graph.fail_next(status=400, error={"code": 100, "message": "Unsupported get request."})
        with self.assertRaisesRegex(UserError, "Meta did not list the templates"):
            self._sync()

    def test_a_mapping_on_a_synced_template_must_give_its_parameter_count(self):
        self._sync()
        meta = self.Template.search([("name", "=", "booking_confirmed"), ("language", "=", "en_US")])
        vals = {"connection_id": self.connection.id, "event_type": "reservation_confirmed",
                "whatsapp_template_id": meta.id, "template_name": meta.name, "language": meta.language}
        with self.assertRaises(ValidationError) as caught:
            self.env["guest.message.template"].create({**vals, "parameter_mapping": {"1": "guestName"}})
        self.assertIn("expects 4 body parameter", str(caught.exception))
        mapping = self.env["guest.message.template"].create({**vals, "parameter_mapping": {
            "1": "guestName", "2": "reference", "3": "checkIn", "4": "checkOut"}})
        self.assertEqual(mapping.parameter_mapping["4"], "checkOut")
        with self.assertRaises(ValidationError) as caught:
            mapping.language = "es"
        self.assertIn("must match", str(caught.exception))
