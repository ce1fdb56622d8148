from odoo.tests import TransactionCase, new_test_user, tagged

from .common import BotFixtures


@tagged("guest_messaging", "post_install", "-at_install")
class TestFrontDeskDetails(BotFixtures, TransactionCase):
    """What staff see of a booking the bot made: tapped titles, the guest's name, the reservation, the form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patch_key()
        cls.setup_hotel(cls.env)
        cls.agent = new_test_user(cls.env, login="front_desk_agent",
                                  groups="base.group_user,guest_messaging.group_agent")

    def _inbound(self, conversation):
        return conversation.guest_message_ids.filtered(lambda m: m.direction == "inbound").sorted("id")

    def test_what_the_guest_tapped_is_stored_with_its_title(self):
        conversation = self.book("34699000301", "tapper@example.com")
        tapped = self._inbound(conversation).filtered(lambda m: (m.payload or {}).get("reply_id"))
        self.assertEqual(len(tapped), 3)
        offered = {option["id"]: option["title"]
                   for message in conversation.guest_message_ids.filtered(lambda m: m.direction == "outbound")
                   for option in (message.payload or {}).get("options") or ()}
        for message in tapped:
            self.assertEqual(message.body, offered[message.payload["reply_id"]])
            self.assertTrue(message.body)
        # an id the bot never offered stays without a title, and decides nothing
        stray = self.say(reply_id="room:999999", guest="34699000301")
        self.assertEqual(self._inbound(stray)[-1].body, "")

    def test_the_booking_guest_is_listed_under_the_contacts_name(self):
        conversation = self.book("34699000302", "named@example.com", first_name="Lucía")
        self.assertEqual(conversation.partner_id.name, "Lucía Smith")
        conversation.sudo().guest_name = "lulu_92"
        rows = self.env["guest.inbox"].with_user(self.agent).load_conversations(search="Lucía Smith")["conversations"]
        self.assertEqual([(row["name"], row["profile_name"]) for row in rows], [("Lucía Smith", "lulu_92")])

    def test_the_panel_lists_the_booking_and_create_reservation_takes_the_bots_details(self):
        conversation = self.book("34699000303", "panel@example.com")
        reservation = conversation.reservation_ids
        guest = self.env["guest.inbox"].with_user(self.agent).load_guest(conversation.id)
        self.assertEqual([row["reference"] for row in guest["reservations"]], [reservation.reservation_no])
        self.assertEqual(guest["reservations"][0]["state_label"], "Confirm")
        # the guest starts another booking: dates and party are known, no room chosen yet
        self.say("Hi", guest="34699000303")
        self.say(reply_id="book", guest="34699000303")
        self.say(f"{self.day(30)} to {self.day(33)}", guest="34699000303")
        self.say("3 adults", guest="34699000303")
        context = conversation.with_user(self.agent).action_new_reservation()["context"]
        self.assertEqual((context["default_adults"], context["default_guest_conversation_id"],
                          context["default_partner_id"]), (3, conversation.id, conversation.partner_id.id))
        self.assertEqual((context["default_checkin"][:10], context["default_checkout"][:10]),
                         (self.day(30), self.day(33)))
