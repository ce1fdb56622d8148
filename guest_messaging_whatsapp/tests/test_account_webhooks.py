import time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import WhatsAppMixin, signed

URL = "/guest_messaging/webhook/whatsapp"
WABA_ID = "WABA1"


def account_body(field, value, waba_id=WABA_ID):
    """An account-level update as Meta sends it: the WhatsApp Business Account in entry[].id, no number."""
    return {"object": "whatsapp_business_account", "entry": [{"id": waba_id, "time": int(time.time()),
                                                               "changes": [{"field": field, "value": value}]}]}


@tagged("guest_messaging", "post_install", "-at_install")
class TestAccountWebhooks(WhatsAppMixin, HttpCase):
    """Template and account updates name only the WhatsApp Business Account; they are verified with the
    secret of the connections that own it, acknowledged, and acted on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        cls.setup_fake_graph()
        cls.connection.write({"state": "connected"})
        cls.Event = cls.env["guest.webhook.event"]
        cls.template = cls.env["guest.whatsapp.template"].create({
            "connection_id": cls.connection.id, "meta_id": "594425479261596", "name": "booking_confirmed",
            "language": "en_US", "status": "APPROVED", "category": "UTILITY", "body": "Hi {{1}}",
            "parameter_count": 1})
        cls.mapping = cls.env["guest.message.template"].create({
            "connection_id": cls.connection.id, "whatsapp_template_id": cls.template.id,
            "template_name": "booking_confirmed", "language": "en_US", "event_type": "reservation_confirmed",
            "parameter_mapping": {"1": "guestName"}})

    def post(self, payload, secret="test-app-secret"):
        body, headers = signed(payload, secret)
        return self.url_open(URL, data=body, headers=headers)

    def process(self):
        self.Event._cron_process_webhook_events()

    def manager_notes(self):
        return self.connection.message_ids.filtered(lambda m: self.manager.partner_id in m.partner_ids)

    def test_a_rejected_template_changes_at_once_and_the_managers_hear_of_its_mapping(self):
        response = self.post(account_body("message_template_status_update", {
            "event": "REJECTED", "message_template_id": 594425479261596, "message_template_name": "booking_confirmed",
            "message_template_language": "en_US", "reason": "INCORRECT_CATEGORY",
            "rejection_info": {"reason": "INCORRECT_CATEGORY", "recommendation": "Use the marketing category."}}))
        self.assertEqual(response.status_code, 200)
        self.process()
        self.assertEqual(self.Event.search([]).state, "done")
        self.assertEqual(self.template.status, "REJECTED")
        self.assertIn("Use the marketing category", self.template.rejection_reason)
        self.assertEqual(self.mapping.whatsapp_template_status, "REJECTED")
        self.assertEqual(self.mapping.whatsapp_template_reason, "INCORRECT_CATEGORY - Use the marketing category.")
        [note] = self.manager_notes()
        self.assertIn("booking_confirmed", note.body)
        self.assertIn("INCORRECT_CATEGORY - Use the marketing category.", note.body)
        self.assertIn("Reservation confirmed", note.body)

    def test_a_paused_template_says_metas_description_on_the_mapping_and_to_the_managers(self):
        self.post(account_body("message_template_status_update", {
            "event": "PAUSED", "message_template_id": 594425479261596, "message_template_name": "booking_confirmed",
            "message_template_language": "en_US", "reason": None,
            "other_info": {"title": "FIRST_PAUSE",
                           "description": "Your template has been paused for 3 hours due to low quality."}}))
        self.process()
        reason = "Your template has been paused for 3 hours due to low quality."
        self.assertEqual((self.mapping.whatsapp_template_status, self.mapping.whatsapp_template_reason),
                         ("PAUSED", reason))
        self.assertIn(reason, self.manager_notes().body)
        # the form's warning shows the reason next to the status
        form = self.env["guest.message.template"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="whatsapp_template_reason"', form)
        # approved again: the reason goes, the managers hear nothing more
        self.post(account_body("message_template_status_update", {
            "event": "APPROVED", "message_template_id": 594425479261596, "message_template_name": "booking_confirmed",
            "message_template_language": "en_US", "reason": "NONE"}))
        self.process()
        self.assertEqual((self.mapping.whatsapp_template_status, self.mapping.whatsapp_template_reason),
                         ("APPROVED", False))
        self.assertEqual(len(self.manager_notes()), 1)

    def test_quality_and_category_updates_change_the_template(self):
        self.post(account_body("message_template_quality_update", {
            "previous_quality_score": "GREEN", "new_quality_score": "YELLOW",
            "message_template_id": 594425479261596, "message_template_name": "booking_confirmed",
            "message_template_language": "en_US"}))
        self.post(account_body("template_category_update", {
            "message_template_id": 594425479261596, "message_template_name": "booking_confirmed",
            "message_template_language": "en_US", "previous_category": "UTILITY", "new_category": "MARKETING"}))
        self.process()
        self.assertEqual((self.template.quality_score, self.template.category), ("YELLOW", "MARKETING"))
        self.assertEqual(self.template.status, "APPROVED")
        self.assertFalse(self.manager_notes())

    def test_a_restricted_account_puts_the_connection_in_error_and_a_reconnection_clears_it(self):
        self.post(account_body("account_update", {
            "phone_number": "15550100199", "event": "ACCOUNT_RESTRICTION",
            "restriction_info": [{"restriction_type": "RESTRICTED_BIZ_INITIATED_MESSAGING",
                                  "expiration": 1764086400}]}))
        self.process()
        self.assertEqual(self.connection.state, "error")
        self.assertIn("ACCOUNT_RESTRICTION", self.connection.last_error)
        self.assertIn("RESTRICTED_BIZ_INITIATED_MESSAGING", self.connection.last_error)
        self.assertTrue(self.manager_notes())
        self.graph.add_phone_number(self.connection.phone_number_id, verified_name="Front Desk Hotel")
        self.graph.set_token_state("EAAG-test-token", scopes=("whatsapp_business_messaging",
                                                             "whatsapp_business_management"))
        self.connection._graph_client().subscribe_app(WABA_ID)
        # the app's own subscription lacks messages: nothing a guest writes would arrive, the error stays
        self.post(account_body("account_update", {"phone_number": "15550100199", "event": "ACCOUNT_RECONNECTED"}))
        self.process()
        self.assertEqual(self.connection.state, "error")
        # missing template updates alone do not keep a working number in error
        self.graph.set_app_subscription("1000", "whatsapp_business_account", ["messages", "account_update"])
        self.post(account_body("account_update", {"phone_number": "15550100199", "event": "PARTNER_APP_INSTALLED"}))
        self.process()
        self.assertEqual(self.connection.state, "connected")

    def test_a_valid_token_does_not_lift_metas_block_of_the_account(self):
        self.post(account_body("account_update", {"phone_number": "15550100199", "event": "DISABLED_UPDATE",
                                                  "ban_info": {"waba_ban_state": "DISABLE"}}))
        self.process()
        self.assertEqual((self.connection.state, self.connection.account_blocked), ("error", True))
        # the daily token check reads a token Meta still accepts: the account stays blocked
        self.setup_platform_app("2000", "platform-app-secret")
        self.graph.set_token_state("EAAG-test-token", scopes=("whatsapp_business_messaging",
                                                             "whatsapp_business_management"))
        self.assertEqual(self.env["guest.channel.connection"]._cron_refresh_tokens(), 0)
        self.assertEqual((self.connection.state, self.connection.account_blocked), ("error", True))
        # what a reconnection whose check passed does
        self.connection._recover_from_error(account_reconnected=True)
        self.assertEqual((self.connection.state, self.connection.account_blocked), ("connected", False))

    def test_each_update_that_stops_the_account_puts_it_in_error_with_metas_words(self):
        for value, words in (
            ({"event": "ACCOUNT_DELETED"}, "ACCOUNT_DELETED"),
            ({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "DISABLE",
                                                       "waba_ban_date": "2026-01-01"}}, "ban state DISABLE"),
            ({"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "SCAM"}}, None),
            ({"event": "PARTNER_REMOVED", "waba_info": {"waba_id": WABA_ID}}, "PARTNER_REMOVED"),
            ({"event": "ACCOUNT_OFFBOARDED"}, "ACCOUNT_OFFBOARDED"),
            ({"event": "BUSINESS_DISCONNECTED"}, "BUSINESS_DISCONNECTED"),
        ):
            with self.subTest(event=value["event"]):
                self.connection.write({"state": "connected", "last_error": False})
                self.assertEqual(self.post(account_body("account_update", value)).status_code, 200)
                self.process()
                if words is None:
                    self.assertEqual(self.connection.state, "connected")
                    continue
                self.assertEqual(self.connection.state, "error")
                self.assertIn(words, self.connection.last_error)
                self.assertIn(self.connection.last_error, self.manager_notes()[:1].body)
        self.assertEqual(set(self.Event.search([]).mapped("state")), {"done"})

    def test_other_account_updates_and_unknown_fields_are_kept_and_acknowledged(self):
        for field, value in (("account_update", {"event": "PARTNER_ADDED", "waba_info": {"waba_id": WABA_ID}}),
                             ("account_update", {"event": "VOLUME_BASED_PRICING_TIER_UPDATE"}),
                             ("some_field_meta_adds_next_year", {"anything": [1, 2, 3]})):
            with self.subTest(field=field, value=value):
                self.assertEqual(self.post(account_body(field, value)).status_code, 200)
        self.process()
        self.assertEqual(self.Event.search([]).mapped("state"), ["done"] * 3)
        self.assertEqual(self.connection.state, "connected")

    @mute_logger("odoo.addons.guest_messaging.controllers.webhook")
    def test_another_apps_secret_is_refused_and_an_unknown_account_dropped(self):
        body = account_body("message_template_status_update", {
            "event": "DISABLED", "message_template_id": 594425479261596, "message_template_name": "booking_confirmed",
            "message_template_language": "en_US"})
        self.assertEqual(self.post(body, secret="another-apps-secret").status_code, 401)
        self.env["ir.config_parameter"].sudo().set_param("guest_messaging.meta_app_secret", "platform-secret")
        unknown = account_body("account_update", {"event": "ACCOUNT_DELETED"}, waba_id="WABA-X")
        self.assertEqual(self.post(unknown, secret="platform-secret").status_code, 200)
        self.assertFalse(self.Event.search_count([]))
        self.assertEqual(self.template.status, "APPROVED")
