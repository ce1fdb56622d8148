"""A guest asks for a person over signed WhatsApp webhooks and is routed to the right agent.

Real Odoo (workers + the cron thread running the router and the outbox), agents acting over
JSON-RPC with their own sessions, the fake Graph API receiving what the guest gets.
"""

import pytest

from .whatsapp_guest import WhatsAppGuest, button, reply_ids, text, texts

pytestmark = pytest.mark.odoo

APP_SECRET = "e2e-handover-secret"
PHONE_NUMBER_ID = "551234000888"
GREETING = "Welcome to the Handover Hotel!"


@pytest.fixture(scope="module")
def team(odoo_server, fake_graph):
    """Three agents: Maria online with one conversation, Luis online and free, Pablo away and free."""
    admin = odoo_server.session()
    call = odoo_server.call
    groups = [call(admin, "ir.model.data", "check_object_reference", module, name)[1]
              for module, name in (("base", "group_user"), ("guest_messaging", "group_agent"))]
    call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url", fake_graph.base_url)
    call(admin, "guest.channel.connection", "create", {
        "name": "E2E handover", "channel_type": "whatsapp", "setup_mode": "manual",
        "phone_number_id": PHONE_NUMBER_ID, "access_token": "EAAG-handover", "app_secret": APP_SECRET,
        "greeting_message": GREETING})
    sessions = {}
    for login, status in (("maria", "online"), ("luis", "online"), ("pablo", "away")):
        call(admin, "res.users", "create", {
            "name": login.capitalize(), "login": f"e2e_{login}", "password": f"e2e-{login}-pw",
            "groups_id": [[6, 0, groups]]})
        sessions[login] = odoo_server.session(f"e2e_{login}", f"e2e-{login}-pw")
        presence = call(sessions[login], "res.users", "guest_set_agent_status", status)
        assert presence["status"] == status
    # conversations start with a guest's message: nobody creates one by hand
    WhatsAppGuest(odoo_server, fake_graph, "34622200000", PHONE_NUMBER_ID, APP_SECRET, name="Earlier guest").send(
        text("Hello"))
    busy = conversation_of(odoo_server, admin, "34622200000")["id"]
    call(sessions["maria"], "guest.conversation", "action_take_over", [busy])
    return admin, sessions


def conversation_of(server, session, wa_id):
    found = server.call(session, "guest.conversation", "search_read", [("guest_external_id", "=", wa_id)],
                        fields=["status", "agent_id"])
    return found[0] if found else None


def system_lines(server, session, conversation_id):
    return server.call(session, "guest.message", "search_read",
                       [("conversation_id", "=", conversation_id), ("author_type", "=", "system")],
                       fields=["body"], order="id")


def test_a_guest_asks_for_a_person_is_routed_answered_resolved_and_greeted_again(odoo_server, fake_graph, team):
    admin, sessions = team
    guest = WhatsAppGuest(odoo_server, fake_graph, "34622200001", PHONE_NUMBER_ID, APP_SECRET)
    assert GREETING in texts(guest.send(text("Hello")))
    offer = guest.send(text("Can I speak to a real person please?"))
    assert reply_ids(offer) == ["escalate", "continue"]
    assert "Connecting you with our team" in texts(guest.send(button("escalate", "Talk to our team")))

    routed = odoo_server.wait_for(
        lambda: (c := conversation_of(odoo_server, admin, guest.wa_id)) and c["status"] == "agent_assigned" and c,
        timeout=60, message="the router to assign the conversation")
    assert routed["agent_id"][1] == "Luis", "the online agent with the fewest conversations"
    luis = sessions["luis"]
    # the agent sees it as theirs and answers
    mine = odoo_server.call(luis, "guest.conversation", "search_read",
                            [("agent_id", "=", routed["agent_id"][0]), ("status", "=", "agent_assigned")],
                            fields=["guest_name"])
    assert [c["id"] for c in mine] == [routed["id"]]
    before = len(guest.sent_to_me())
    odoo_server.call(luis, "guest.conversation", "send_agent_message", [routed["id"]], "Hola Ana, soy Luis.")
    odoo_server.wait_for(lambda: len(guest.sent_to_me()) > before, message="the agent's reply at Meta")
    assert guest.sent_to_me()[-1]["text"]["body"] == "Hola Ana, soy Luis."

    # Maria may not resolve Luis's conversation; Luis does
    with pytest.raises(RuntimeError, match="only they or a manager"):
        odoo_server.call(sessions["maria"], "guest.conversation", "action_resolve", [routed["id"]])
    odoo_server.call(luis, "guest.conversation", "action_resolve", [routed["id"]])
    assert conversation_of(odoo_server, admin, guest.wa_id)["status"] == "resolved"

    again = guest.send(text("Thanks, one more question"))
    assert GREETING in texts(again)
    assert reply_ids(again) == ["book", "availability", "my_reservations"]
    assert conversation_of(odoo_server, admin, guest.wa_id)["status"] == "bot_handling"
    lines = [line["body"] for line in system_lines(odoo_server, admin, routed["id"])]
    assert lines == ["Bot escalated to agent", "Assigned to Luis automatically", "Resolved by Luis"]


def test_nobody_free_the_guest_is_told_and_the_first_agent_online_gets_it(odoo_server, fake_graph, team):
    admin, sessions = team
    for login in ("maria", "luis"):
        odoo_server.call(sessions[login], "res.users", "guest_set_agent_status", "away")
    guest = WhatsAppGuest(odoo_server, fake_graph, "34622200002", PHONE_NUMBER_ID, APP_SECRET)
    guest.send(text("Hi"))
    guest.send(text("I need to talk to reception"))
    guest.send(button("escalate", "Talk to our team"))
    odoo_server.wait_for(lambda: "Our team will respond shortly." in texts(guest.sent_to_me()),
                         message="the guest to be told the team will answer")
    assert conversation_of(odoo_server, admin, guest.wa_id)["status"] == "awaiting_agent"

    odoo_server.call(sessions["pablo"], "res.users", "guest_set_agent_status", "online")
    routed = odoo_server.wait_for(
        lambda: (c := conversation_of(odoo_server, admin, guest.wa_id)) and c["status"] == "agent_assigned" and c,
        timeout=60, message="the router to offer it to the agent who came online")
    assert routed["agent_id"][1] == "Pablo"
    assert texts(guest.sent_to_me()).count("Our team will respond shortly.") == 1
