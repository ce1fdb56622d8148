from odoo.tests import HttpCase, new_test_user, tagged


@tagged("guest_messaging", "post_install", "-at_install")
class TestInboxTour(HttpCase):
    """A shift in the inbox, in headless Chromium: find, take over, canned reply, note, resolve."""

    def test_a_front_desk_shift(self):
        agent = new_test_user(self.env, login="gm_shift_agent", name="Sara Shift",
                              groups="base.group_user,guest_messaging.group_agent")
        connection = self.env["guest.channel.connection"].create(
            {"name": "Shift Sandbox", "channel_type": "sandbox"})
        Conversation = self.env["guest.conversation"]
        for i in range(3):
            Conversation._ingest_inbound(connection, f"3461122233{i}", f"wamid.other.{i}", {"body": f"Hello {i}"},
                                         guest_name=f"Other guest {i}", guest_phone=f"+3461122233{i}")
        message = Conversation._ingest_inbound(connection, "34600555111", "wamid.ana.1",
                                               {"body": "Hi, is my room ready?"},
                                               guest_name="Ana Shift", guest_phone="+34600555111")
        conversation = message.conversation_id
        conversation.write({"status": "bot_handling", "agent_id": False})
        self.env["guest.canned.response"].create({
            "name": "Welcome", "shortcut": "/welcome", "category": "Arrival", "content": "Welcome to Hotel Shift!"})

        found = self.env["guest.inbox"].with_user(agent).load_conversations(search="600 555 111")["conversations"]
        self.assertEqual([row["name"] for row in found], ["Ana Shift"])
        self.start_tour("/odoo/guest-inbox", "guest_messaging_inbox_shift", login="gm_shift_agent")

        self.assertEqual(conversation.status, "resolved")
        self.assertEqual(conversation.agent_id, agent)
        sent = conversation.guest_message_ids.filtered(lambda m: m.author_type == "agent")
        self.assertEqual(sent.mapped("body"), ["Welcome to Hotel Shift! Your room is ready, Ana."])
        self.assertEqual(sent.delivery_status, "queued")
        notes = conversation.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note")
                                                  and m.message_type == "comment")
        self.assertIn("Prefers a quiet room", notes.body)
