import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GuestMessagingCase


@tagged("guest_messaging")
class TestCannedPlaceholders(GuestMessagingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.name = "Hotel Placeholder"
        cls.welcome = cls.env["guest.canned.response"].create({
            "name": "Welcome", "shortcut": "/welcome-ph",
            "content": "Hello {guest_name}, welcome to {hotel_name}! Room {room}, {{not a placeholder}}.",
        })
        cls.Inbox = cls.env["guest.inbox"].with_user(cls.agent)

    def test_unknown_placeholders_are_refused_by_name(self):
        for i, (content, named) in enumerate([
            ("Hi {guest}", "{guest}"), ("{guest_name.__class__}", "{guest_name.__class__}"), ("{0}", "{0}"),
            ("Hi {guest_name} {Room}", "{Room}"),
        ]):
            with self.subTest(content=content), self.assertRaisesRegex(ValidationError, re.escape(named)):
                self.env["guest.canned.response"].create({"name": "Bad", "shortcut": f"/bad-ph-{i}",
                                                          "content": content})
        with self.assertRaisesRegex(ValidationError, "{nights}"):
            self.welcome.content = "You stay {nights} nights"

    def test_a_translation_is_checked_too(self):
        self.env["res.lang"]._activate_lang("es_ES")
        with self.assertRaisesRegex(ValidationError, "{huesped}"):
            self.welcome.with_context(lang="es_ES").content = "Hola {huesped}"
        self.welcome.with_context(lang="es_ES").content = "Hola {guest_name}"
        self.assertEqual(self.welcome.with_context(lang="es_ES").content, "Hola {guest_name}")

    def test_rendered_with_the_conversations_values(self):
        text = self.Inbox.render_canned_response(self.conversation.id, self.welcome.id)
        self.assertEqual(text, "Hello Ana, welcome to Hotel Placeholder! Room , {not a placeholder}.")

    def test_the_contacts_name_when_the_channel_gave_none(self):
        partner = self.env["res.partner"].create({"name": "Bruno Contact"})
        conversation = self._new_conversation("34600000077", partner_id=partner.id)
        text = self.Inbox.render_canned_response(conversation.id, self.welcome.id)
        self.assertTrue(text.startswith("Hello Bruno Contact, "))
        nameless = self._new_conversation("34600000078")
        self.assertTrue(self.Inbox.render_canned_response(nameless.id, self.welcome.id).startswith("Hello , "))

    def test_a_guest_name_is_inserted_as_text(self):
        self.conversation.guest_name = "{hotel_name} {0.__class__}"
        text = self.Inbox.render_canned_response(self.conversation.id, self.welcome.id)
        self.assertTrue(text.startswith("Hello {hotel_name} {0.__class__}, welcome to Hotel Placeholder!"))

    def test_another_companys_agent_cannot_render(self):
        other_company = self.env["res.company"].create({"name": "Other placeholder hotel"})
        outsider = new_test_user(self.env, login="gm_outsider_ph", groups="base.group_user,guest_messaging.group_agent",
                                 company_id=other_company.id, company_ids=[other_company.id])
        with self.assertRaises(AccessError):
            self.env["guest.inbox"].with_user(outsider).render_canned_response(self.conversation.id, self.welcome.id)
        elsewhere = self.env["guest.canned.response"].create({
            "name": "Elsewhere", "shortcut": "/elsewhere", "content": "Hi {guest_name}",
            "company_id": other_company.id})
        with self.assertRaises(AccessError):
            self.Inbox.render_canned_response(self.conversation.id, elsewhere.id)

    def test_hostile_ids(self):
        for conversation_id, response_id in [
            (None, self.welcome.id), ("1", self.welcome.id), (True, self.welcome.id), ([1], self.welcome.id),
            (self.conversation.id, None), (self.conversation.id, "1"), (self.conversation.id, False),
            (self.conversation.id, {"id": 1}), (self.conversation.id, 1.5),
            (2**31 - 1, self.welcome.id), (-1, self.welcome.id), (self.conversation.id, 2**31 - 1),
            (self.conversation.id, -5),
        ]:
            with self.subTest(conversation_id=conversation_id, response_id=response_id), \
                    self.assertRaises(UserError):
                self.Inbox.render_canned_response(conversation_id, response_id)

    def test_save_as_canned_response_is_for_managers(self):
        action = self.env["guest.inbox"].with_user(self.manager).action_new_canned_response("  Dear {guest_name}  ")
        self.assertEqual(action["res_model"], "guest.canned.response")
        self.assertEqual(action["context"], {"default_content": "Dear {guest_name}"})
        with self.assertRaises(AccessError):
            self.Inbox.action_new_canned_response("Dear {guest_name}")
        for text in (None, 42, ["x"], "x" * 10001):
            with self.subTest(text=str(text)[:20]), self.assertRaises(UserError):
                self.env["guest.inbox"].with_user(self.manager).action_new_canned_response(text)
