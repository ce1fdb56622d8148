from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import GuestMessagingCase

STOP_REPLY = "You will no longer receive notifications from us. Write START to receive them again."
START_REPLY = "You will receive our notifications again. Write STOP to stop them."


@tagged("guest_messaging")
class TestConsent(GuestMessagingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Conversation = cls.env["guest.conversation"]
        cls.OptOut = cls.env["guest.opt.out"]
        cls.sequence = 0

    def _write(self, body, guest="consent-guest", connection=None, **vals):
        type(self).sequence += 1
        return self.Conversation._ingest_inbound(
            connection or self.connection, guest, f"wamid.consent.{self.sequence}", {"body": body, **vals})

    def _opted_out(self, guest="consent-guest", connection=None):
        return self.OptOut._is_opted_out(connection or self.connection, guest)

    def _system_lines(self, conversation):
        return conversation.guest_message_ids.filtered(lambda m: m.author_type == "system").mapped("body")

    def _replies(self, conversation):
        return conversation.guest_message_ids.filtered(
            lambda m: m.direction == "outbound" and m.author_type != "system").mapped("body")

    def test_stop_opts_the_guest_out_and_confirms_once(self):
        message = self._write("STOP!!")
        conversation = message.conversation_id
        self.assertTrue(self._opted_out())
        opt_out = self.OptOut.search([("guest_external_id", "=", "consent-guest")])
        self.assertRecordValues(opt_out, [{"connection_id": self.connection.id, "opted_out": True,
                                           "source": "guest_keyword", "last_text": "STOP!!"}])
        self.assertEqual(opt_out.company_id, self.connection.company_id)
        self.assertEqual(self._system_lines(conversation), ["The guest opted out of template messages (STOP!!)"])
        # the confirmation is the one answer: the bot, when installed, does not read STOP as a request
        self.assertEqual(self._replies(conversation), [STOP_REPLY])
        self.assertEqual(message.direction, "inbound")
        # STOP again: confirmed again, no second line for staff
        self._write("stop")
        self.assertEqual(len(self._system_lines(conversation)), 1)
        self.assertEqual(self._replies(conversation), [STOP_REPLY, STOP_REPLY])

    def test_every_language_and_spelling(self):
        for n, body in enumerate(["unsubscribe", " Baja ", "ARRÊT", "désabonner", "Abmelden", "stopp", "sair",
                                  "cancelar inscrição", "Annulla iscrizione", "STOP 🛑"]):
            with self.subTest(body=body):
                self._write(body, guest=f"lang-{n}")
                self.assertTrue(self._opted_out(f"lang-{n}"))

    def test_the_opt_out_survives_a_new_conversation_on_the_same_connection_only(self):
        first = self._write("STOP").conversation_id
        first.unlink()
        second = self._write("Hello, is breakfast included?").conversation_id
        self.assertNotEqual(first, second)
        self.assertTrue(self._opted_out())
        self.assertFalse(self._opted_out(connection=self.connection_2))
        self._write("Hello", connection=self.connection_2)
        self.assertFalse(self._opted_out(connection=self.connection_2))
        self.assertFalse(self._opted_out("another-guest"))

    def test_start_opts_back_in(self):
        conversation = self._write("BAJA").conversation_id
        self._write("Démarrer")
        self.assertFalse(self._opted_out())
        opt_out = self.OptOut.search([("guest_external_id", "=", "consent-guest")])
        self.assertRecordValues(opt_out, [{"opted_out": False, "last_text": "Démarrer"}])
        self.assertEqual(self._system_lines(conversation)[-1],
                         "The guest opted back in to template messages (Démarrer)")
        # the French keyword is answered in French
        self.assertEqual(self._replies(conversation)[-1],
                         "Vous recevrez à nouveau nos notifications. Écrivez STOP pour les arrêter.")
        self._write("STOP")
        self.assertTrue(self._opted_out())
        self.assertEqual(len(self.OptOut.search([("guest_external_id", "=", "consent-guest")])), 1)

    def test_start_from_a_guest_who_never_opted_out_is_an_ordinary_message(self):
        message = self._write("start")
        conversation = message.conversation_id
        self.assertFalse(conversation._apply_consent(message))
        self.assertFalse(self.OptOut.search([("guest_external_id", "=", "consent-guest")]))
        self.assertFalse(self._system_lines(conversation))
        self.assertNotIn(START_REPLY, self._replies(conversation))

    def test_hostile_and_ordinary_messages_do_nothing(self):
        bodies = ["Please STOP sending me messages about the spa", "stop it please", "I want to stop",
                  "STOP " * 50_000, "S T O P", "ЅТОР", "", "🛑", "cancelar", "x" * 100_000 + "STOP"]
        for n, body in enumerate(bodies):
            with self.subTest(n=n):
                message = self._write(body, guest=f"hostile-{n}")
                self.assertFalse(self._opted_out(f"hostile-{n}"))
                self.assertFalse(self._system_lines(message.conversation_id))
                self.assertNotIn(STOP_REPLY, self._replies(message.conversation_id))
        # only typed text counts: a caption or a button title saying STOP is no command
        for n, message_type in enumerate(["image", "interactive", "sticker"]):
            self._write("STOP", guest=f"typed-{n}", message_type=message_type)
            self.assertFalse(self._opted_out(f"typed-{n}"))
        self.assertFalse(self.OptOut.search([]).filtered(lambda o: o.guest_external_id.startswith("hostile")))

    def test_a_duplicate_webhook_does_not_confirm_twice(self):
        self.Conversation._ingest_inbound(self.connection, "dup-guest", "wamid.dup", {"body": "STOP"})
        self.assertFalse(self.Conversation._ingest_inbound(self.connection, "dup-guest", "wamid.dup", {"body": "STOP"}))
        conversation = self.Conversation.search([("guest_external_id", "=", "dup-guest")])
        self.assertEqual(self._replies(conversation), [STOP_REPLY])

    def test_the_guest_panel_shows_the_opt_out(self):
        conversation = self._write("Hello").conversation_id
        Inbox = self.env["guest.inbox"].with_user(self.agent)
        self.assertIs(Inbox.load_guest(conversation.id)["opted_out"], False)
        self._write("STOP")
        opt_out = self.OptOut.search([("guest_external_id", "=", "consent-guest")])
        shown = Inbox.load_guest(conversation.id)["opted_out"]
        self.assertEqual(shown, {"at": fields.Datetime.to_string(opt_out.changed_at), "source": "guest_keyword"})
        self._write("START")
        self.assertIs(Inbox.load_guest(conversation.id)["opted_out"], False)

    def test_agents_read_and_managers_change_opt_outs(self):
        self._write("STOP")
        opt_out = self.OptOut.search([("guest_external_id", "=", "consent-guest")])
        self.assertEqual(opt_out.with_user(self.agent).opted_out, True)
        with self.assertRaises(AccessError):
            opt_out.with_user(self.agent).write({"opted_out": False})
        with self.assertRaises(AccessError):
            opt_out.with_user(self.internal).read(["opted_out"])
        self.OptOut.with_user(self.manager)._apply_command(
            self.connection, "consent-guest", "start", "", source="staff")
        self.assertRecordValues(opt_out, [{"opted_out": False, "source": "staff"}])
        with self.assertRaises(AccessError):
            self.OptOut.with_user(self.agent)._apply_command(
                self.connection, "consent-guest", "stop", "", source="staff")

    def test_managers_change_an_opt_out_only_through_its_actions(self):
        self._write("STOP")
        opt_out = self.OptOut.search([("guest_external_id", "=", "consent-guest")])
        self.assertEqual(opt_out.guest_name, opt_out.with_user(self.manager).guest_name)
        for user in (self.manager, self.agent):
            with self.assertRaises(AccessError):
                opt_out.with_user(user).write({"opted_out": False})
            with self.assertRaises(AccessError):
                opt_out.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.OptOut.with_user(user).create({"connection_id": self.connection.id,
                                                     "guest_external_id": "someone-else"})
        with self.assertRaises(AccessError):
            opt_out.with_user(self.agent).action_opt_in()
        self.assertTrue(opt_out.opted_out)
        opt_out.with_user(self.manager).action_opt_in()
        self.assertRecordValues(opt_out, [{"opted_out": False, "source": "staff", "changed_by_id": self.manager.id}])
        self.assertFalse(self.OptOut._is_opted_out(self.connection, "consent-guest"))
        opt_out.with_user(self.manager).action_opt_out()
        self.assertTrue(self.OptOut._is_opted_out(self.connection, "consent-guest"))
        # the guest's own START then wins again, and is told apart from the staff's change
        self._write("START")
        self.assertRecordValues(opt_out, [{"opted_out": False, "source": "guest_keyword", "changed_by_id": False}])

    def test_a_manager_of_another_company_changes_nothing(self):
        self._write("STOP")
        opt_out = self.OptOut.search([("guest_external_id", "=", "consent-guest")])
        other = self.env["res.company"].create({"name": "Other hotel"})
        outsider = new_test_user(self.env, login="consent_outsider", company_id=other.id, company_ids=[other.id],
                                 groups="base.group_user,guest_messaging.group_manager")
        with self.assertRaises(AccessError):
            opt_out.with_user(outsider).action_opt_in()
        self.assertTrue(opt_out.opted_out)

    def test_the_confirmation_speaks_the_guests_language_installed_or_not(self):
        self.assertFalse(self.env["res.lang"].search([("code", "in", ("es_ES", "fr_FR", "de_DE"))]))
        # a keyword of one language only: that language
        baja = self._write("BAJA", guest="consent-es").conversation_id
        self.assertEqual(self._replies(baja), [
            "Ya no recibirás nuestras notificaciones. Escribe ALTA para volver a recibirlas."])
        # STOP is English and French: the guest's own language decides
        french = self._write("Bonjour", guest="consent-fr").conversation_id
        french.sudo().guest_locale = "fr_FR"
        self._write("STOP", guest="consent-fr")
        self.assertIn("Vous ne recevrez plus nos notifications. Écrivez START pour les recevoir à nouveau.",
                      self._replies(french))
        english = self._write("STOP", guest="consent-en").conversation_id
        self.assertEqual(self._replies(english), [STOP_REPLY])
        german = self._write("abmelden", guest="consent-de").conversation_id
        self._write("anmelden", guest="consent-de")
        self.assertEqual(self._replies(german)[-1],
                         "Sie erhalten wieder unsere Benachrichtigungen. Schreiben Sie STOPP, um sie zu beenden.")
