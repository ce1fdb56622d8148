from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import code_translations

from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestBotLanguage(BotFixtures, TransactionCase):
    """The bot speaks the guest's language from the first reply, installed in Odoo or not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)

    def catalogue(self, language):
        return code_translations.get_python_translations("guest_messaging_bot", language)

    def test_a_spanish_guest_is_answered_in_spanish_though_spanish_is_not_installed(self):
        self.assertNotIn("es_ES", [code for code, _name in self.env["res.lang"].get_installed()])
        conversation = self.say("Hola, quiero reservar una habitación", guest="34699000201")
        question = self.catalogue("es")[
            'When would you like to stay, and for how many guests? For example: "March 15 to 18 for 2 adults" or '
            '"tomorrow for 3 nights".']
        self.assertEqual(self.replies(conversation).mapped("body"), [question])
        self.assertEqual(conversation.bot_language, "es")

    def test_the_channels_locale_speaks_for_a_guest_whose_message_gives_no_clue(self):
        conversation = self.say("Hi", guest="34699000202")
        conversation.guest_locale = "fr_FR"
        conversation.bot_context = {}
        conversation.bot_state = False
        before = self.replies(conversation)[-1:].id or 0
        self.say("👋", guest="34699000202")
        greeting = self.catalogue("fr")["Hello! How can I help you today?"]
        self.assertEqual(self.replies(conversation, since_id=before)[:1].body, greeting,
                         "staff wrote no French greeting, so the bot greets with its own")

    def test_the_greeting_staff_translated_is_used(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.connection.with_context(lang="it_IT").greeting_message = "Benvenuti all'Hotel Test!"
        conversation = self.say("Ciao, buongiorno", guest="34699000203")
        self.assertIn("Benvenuti all'Hotel Test!", self.replies(conversation)[0].body)
