from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..lib.hotel_services import DEFAULT_CHECK_IN_HOUR, DEFAULT_CHECK_OUT_HOUR
from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestKnowledgeBase(BotFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.company, cls.company_b = cls.env["res.company"].create([{"name": "Hotel A"}, {"name": "Hotel B"}])
        Connection = cls.env["guest.channel.connection"]
        cls.connection, cls.connection_2 = Connection.create([
            {"name": "KB Sandbox", "channel_type": "sandbox", "company_id": cls.company.id},
            {"name": "KB Sandbox 2", "channel_type": "sandbox", "company_id": cls.company.id},
        ])
        cls.connection_b = Connection.create({"name": "KB Sandbox B", "channel_type": "sandbox",
                                              "company_id": cls.company_b.id})
        Entry = cls.env["guest.knowledge.entry"].with_company(cls.company)
        cls.entry_all = Entry.create({
            "name": "Is there parking?", "answer": "Yes, 18 EUR a night.", "category": "transport",
            "variants": "  parking \n\ncar park\n   \naparcamiento\n",
        })
        cls.entry_connection = Entry.create({
            "name": "Is there wifi?", "answer": "Free everywhere.", "category": "amenities",
            "connection_ids": [Command.set(cls.connection.ids)],
        })
        cls.entry_archived = Entry.create({"name": "Is there a pool?", "answer": "On the roof.", "active": False})
        cls.entry_b = Entry.create({"name": "Breakfast?", "answer": "From 7.", "company_id": cls.company_b.id})
        cls.conversation = cls.env["guest.conversation"].create(
            {"connection_id": cls.connection.id, "guest_external_id": "34600111001"})
        cls.conversation_2 = cls.env["guest.conversation"].create(
            {"connection_id": cls.connection.id, "guest_external_id": "34600111002"})
        cls.conversation_b = cls.env["guest.conversation"].create(
            {"connection_id": cls.connection_b.id, "guest_external_id": "34600111003"})
        cls.agent = new_test_user(cls.env, login="kb_agent", groups="base.group_user,guest_messaging.group_agent",
                                  company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.manager = new_test_user(cls.env, login="kb_manager", groups="base.group_user,guest_messaging.group_manager",
                                    company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.manager_b = new_test_user(cls.env, login="kb_manager_b",
                                      groups="base.group_user,guest_messaging.group_manager",
                                      company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])

    def keys(self, company, connection, language=None):
        return {int(e.key) for e in self.env["guest.knowledge.entry"]._bot_entries(company, connection, language)}

    # --- what the bot reads ---

    def test_bot_entries_of_the_company_and_connection_only(self):
        self.assertEqual(self.keys(self.company, self.connection), {self.entry_all.id, self.entry_connection.id})
        self.assertEqual(self.keys(self.company, self.connection_2), {self.entry_all.id},
                         "an entry limited to other connections is left out")
        self.assertEqual(self.keys(self.company_b, self.connection_b), {self.entry_b.id})
        self.assertNotIn(self.entry_archived.id, self.keys(self.company, self.connection))

    def test_bot_entries_variants_by_line(self):
        entry = next(e for e in self.env["guest.knowledge.entry"]._bot_entries(self.company, self.connection, None)
                     if e.key == str(self.entry_all.id))
        self.assertEqual(entry.variants, ("parking", "car park", "aparcamiento"))
        self.assertEqual(entry.question, "Is there parking?")
        self.assertEqual(entry.category, "transport")

    def test_bot_entries_replace_the_hours_from_the_settings(self):
        self.entry_all.answer = "In from {check_in_time}, out by {check_out_time}. {Not a placeholder}"
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("guest_messaging_bot.check_in_hour", "15")
        params.set_param("guest_messaging_bot.check_out_hour", "9")
        answers = {e.key: e.answer for e in
                   self.env["guest.knowledge.entry"]._bot_entries(self.company, self.connection, None)}
        self.assertEqual(answers[str(self.entry_all.id)], "In from 15:00, out by 09:00. {Not a placeholder}")
        params.set_param("guest_messaging_bot.check_in_hour", False)
        params.set_param("guest_messaging_bot.check_out_hour", False)
        answers = {e.key: e.answer for e in
                   self.env["guest.knowledge.entry"]._bot_entries(self.company, self.connection, None)}
        self.assertEqual(
            answers[str(self.entry_all.id)],
            f"In from {DEFAULT_CHECK_IN_HOUR:02d}:00, out by {DEFAULT_CHECK_OUT_HOUR:02d}:00. {{Not a placeholder}}")

    def test_bot_entries_in_the_guests_language_when_installed(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.entry_all.with_context(lang="es_ES").answer = "Sí, 18 EUR la noche."
        Entry = self.env["guest.knowledge.entry"]

        def read(language):
            return next(e for e in Entry._bot_entries(self.company, self.connection, language)
                        if e.key == str(self.entry_all.id))

        spanish = read("es")
        self.assertEqual(spanish.answer, "Sí, 18 EUR la noche.")
        self.assertEqual(spanish.question, "Is there parking?", "an untranslated question falls back to English")
        self.assertEqual(read("es_ES").answer, "Sí, 18 EUR la noche.")
        for language in ("de", None):
            with self.subTest(language=language):
                self.assertEqual(read(language).answer, "Yes, 18 EUR a night.")

    def test_count_answer(self):
        self.entry_all._count_answer()
        self.entry_all.sudo()._count_answer()
        self.assertEqual(self.entry_all.answer_count, 2)
        self.assertEqual(self.entry_connection.answer_count, 0)

    # --- the questions it could not answer ---

    def test_record_merges_the_same_question_of_the_company(self):
        Question = self.env["guest.bot.question"]
        first = Question._record(self.conversation, "  Is there a SPA? ", "en")
        self.assertEqual((first.name, first.count, first.language, first.state), ("Is there a SPA?", 1, "en", "new"))
        self.assertEqual(first.conversation_id, self.conversation)
        again = Question._record(self.conversation_2, "is   there a spa?", "en")
        self.assertEqual(again, first)
        self.assertEqual(first.count, 2)
        self.assertEqual(first.conversation_id, self.conversation_2, "the last conversation that asked")
        other_company = Question._record(self.conversation_b, "Is there a SPA?", "en")
        self.assertNotEqual(other_company, first)
        self.assertEqual(other_company.company_id, self.company_b)
        self.assertNotEqual(Question._record(self.conversation, "Is there a gym?", "en"), first)

    def test_record_starts_again_once_the_question_is_dismissed(self):
        Question = self.env["guest.bot.question"]
        first = Question._record(self.conversation, "Do you sell tickets?", "en")
        first.action_dismiss()
        self.assertEqual(first.state, "dismissed")
        second = Question._record(self.conversation, "Do you sell tickets?", "en")
        self.assertNotEqual(second, first)
        self.assertEqual((second.count, first.count), (1, 1))
        first.action_reopen()
        self.assertEqual(first.state, "new")

    def test_record_cuts_long_text_and_ignores_empty_text(self):
        Question = self.env["guest.bot.question"]
        question = Question._record(self.conversation, "  " + "x" * 600, None)
        self.assertEqual(question.name, "x" * 500)
        self.assertFalse(question.language)
        self.assertFalse(Question._record(self.conversation, "   ", "en"))

    def test_create_entry_answers_the_question(self):
        question = self.env["guest.bot.question"]._record(self.conversation, "Is there a spa?", "en")
        question = question.with_user(self.manager)
        action = question.action_create_entry()
        self.assertEqual((action["res_model"], action["view_mode"]), ("guest.knowledge.entry", "form"))
        context = action["context"]
        self.assertEqual(context["default_name"], "Is there a spa?")
        self.assertEqual(context["default_company_id"], self.company.id)
        entry = self.env["guest.knowledge.entry"].with_user(self.manager).with_context(**context).create(
            {"answer": "No, but there is one next door."})
        self.assertEqual(entry.name, "Is there a spa?")
        self.assertEqual(question.state, "answered")
        self.assertEqual(question.entry_id, entry)

    def test_create_entry_leaves_other_companies_questions_alone(self):
        question_b = self.env["guest.bot.question"]._record(self.conversation_b, "Is there a spa?", "en")
        self.env.invalidate_all()
        self.env["guest.knowledge.entry"].with_user(self.manager).with_context(
            guest_bot_question_ids=question_b.ids).create({"name": "Spa?", "answer": "No."})
        self.assertEqual(question_b.state, "new")
        self.assertFalse(question_b.entry_id)

    # --- who sees what ---

    def test_an_agent_reads_entries_but_neither_writes_them_nor_reads_questions(self):
        question = self.env["guest.bot.question"]._record(self.conversation, "Is there a spa?", "en")
        self.assertEqual(self.entry_all.with_user(self.agent).name, "Is there parking?")
        with self.assertRaises(AccessError):
            self.entry_all.with_user(self.agent).write({"answer": "Free."})
        with self.assertRaises(AccessError):
            self.env["guest.knowledge.entry"].with_user(self.agent).create({"name": "Gym?", "answer": "Yes."})
        with self.assertRaises(AccessError):
            question.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            self.env["guest.bot.question"].with_user(self.manager).create({"name": "By hand"})

    def test_a_manager_sees_only_the_companys_entries_and_questions(self):
        question_b = self.env["guest.bot.question"]._record(self.conversation_b, "Is there a spa?", "en")
        entries = self.env["guest.knowledge.entry"].with_user(self.manager).search([])
        self.assertIn(self.entry_all, entries)
        self.assertNotIn(self.entry_b, entries)
        with self.assertRaises(AccessError):
            self.entry_b.with_user(self.manager).read(["answer"])
        self.assertFalse(self.env["guest.bot.question"].with_user(self.manager).search([("id", "=", question_b.id)]))
        self.assertEqual(self.env["guest.bot.question"].with_user(self.manager_b).search([]), question_b)
