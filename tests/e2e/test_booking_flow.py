"""A guest books a room over signed WhatsApp webhooks: real Odoo (workers + cron), the fake Graph API
receiving the bot's messages, and the NLU offline or through the real anthropic SDK against a fake
Messages API."""

from datetime import date, timedelta

import pytest

from guestmsg.testing import FakeMessagesAPI

from .whatsapp_guest import WhatsAppGuest, button, reply_ids, row, text, texts

pytestmark = pytest.mark.odoo

APP_SECRET = "e2e-booking-secret"
PHONE_NUMBER_ID = "551234000777"


@pytest.fixture(scope="module")
def hotel(odoo_server, fake_graph):
    admin = odoo_server.hotel_manager_session()
    call = odoo_server.call
    call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url", fake_graph.base_url)
    call(admin, "guest.channel.connection", "create", {
        "name": "E2E booking", "channel_type": "whatsapp", "setup_mode": "manual",
        "phone_number_id": PHONE_NUMBER_ID, "access_token": "EAAG-book", "app_secret": APP_SECRET,
        "greeting_message": "Welcome to the E2E Hotel!"})
    room_type = call(admin, "hotel.room.type", "create", {"name": "E2E rooms"})
    rooms = call(admin, "hotel.room", "create", [
        {"name": "E2E-Garden", "room_categ_id": room_type, "list_price": 95.0, "capacity": 2},
        {"name": "E2E-Suite", "room_categ_id": room_type, "list_price": 210.0, "capacity": 4},
    ])
    return admin, rooms


def book(guest, rooms, first_message, days_ahead):
    check_in = date.today() + timedelta(days=days_ahead)
    check_out = check_in + timedelta(days=2)
    if first_message is None:
        greeting = guest.send(text("Hello"))
        assert "Welcome to the E2E Hotel!" in texts(greeting)
        assert reply_ids(greeting) == ["book", "availability", "my_reservations"]
        guest.send(button("book", "Book a Stay"))
        offered = guest.send(text(f"{check_in.isoformat()} to {check_out.isoformat()} for 2 adults"))
    else:
        offered = guest.send(text(first_message.format(check_in=check_in.isoformat())))
    assert f"room:{rooms[0]}" in reply_ids(offered), offered
    guest.send(row(f"room:{rooms[0]}", "E2E-Garden"))
    guest.send(text("Ana"))
    guest.send(text("García"))
    summary = guest.send(text("ana.e2e@example.com"))
    assert reply_ids(summary) == ["confirm", "change", "cancel"]
    assert "E2E-Garden" in texts(summary)
    return guest.send(button("confirm", "Confirm"))


def reservations_of(server, session, wa_id):
    return server.call(session, "hotel.reservation", "search_read",
                       [("guest_conversation_id.guest_external_id", "=", wa_id)],
                       fields=["reservation_no", "state", "adults"])


def test_book_a_room_with_the_offline_parser(odoo_server, fake_graph, hotel):
    admin, rooms = hotel
    guest = WhatsAppGuest(odoo_server, fake_graph, "34611100001", PHONE_NUMBER_ID, APP_SECRET)
    confirmation = book(guest, rooms, first_message=None, days_ahead=40)
    booked = reservations_of(odoo_server, admin, guest.wa_id)
    assert len(booked) == 1 and booked[0]["state"] == "confirm" and booked[0]["adults"] == 2
    assert booked[0]["reservation_no"] in texts(confirmation)


def test_book_a_room_with_claude_haiku_through_the_sdk(odoo_server, fake_graph, hotel):
    admin, rooms = hotel

    def responder(request):
        """Plays Claude: reads what the bot asked from the system prompt and fills that slot."""
        system = request["system"] if isinstance(request["system"], str) else " ".join(
            part.get("text", "") for part in request["system"])
        guest_text = request["messages"][-1]["content"]
        guest_text = guest_text if isinstance(guest_text, str) else " ".join(
            part.get("text", "") for part in guest_text)
        if "nights" in guest_text:
            check_in = (date.today() + timedelta(days=50)).isoformat()
            tool_input = {"intent": "book", "check_in": check_in, "nights": 2, "adults": 2}
        elif "the guest's first name" in system:
            tool_input = {"intent": "provide_guest_info", "first_name": guest_text}
        elif "the guest's last name" in system:
            tool_input = {"intent": "provide_guest_info", "last_name": guest_text}
        elif "@" in guest_text:
            tool_input = {"intent": "provide_guest_info", "email": guest_text}
        else:
            tool_input = {"intent": "unknown", "confidence": 0.2}
        tool_input = {"confidence": 0.92, "language": "en", **tool_input}
        return {"content": [{"type": "tool_use", "id": "toolu_e2e", "name": request["tool_choice"]["name"],
                             "input": tool_input}],
                "stop_reason": "tool_use", "usage": {"input_tokens": 310, "output_tokens": 42}}

    with FakeMessagesAPI(api_key="sk-ant-e2e") as claude:
        claude.responder = responder
        for key, value in (("anthropic_api_key", "sk-ant-e2e"), ("anthropic_base_url", claude.base_url)):
            odoo_server.call(admin, "ir.config_parameter", "set_param", f"guest_messaging_bot.{key}", value)
        try:
            guest = WhatsAppGuest(odoo_server, fake_graph, "34611100002", PHONE_NUMBER_ID, APP_SECRET)
            book(guest, rooms, first_message="I would like a room for 2 nights starting in fifty days, 2 adults",
                 days_ahead=50)
        finally:
            odoo_server.call(admin, "ir.config_parameter", "set_param", "guest_messaging_bot.anthropic_api_key", "")
        assert claude.requests, "the bot asked Claude"
        assert all(r.json["model"] for r in claude.requests)
    booked = reservations_of(odoo_server, admin, guest.wa_id)
    assert len(booked) == 1 and booked[0]["state"] == "confirm"
    conversation = odoo_server.call(admin, "guest.conversation", "search_read",
                                    [("guest_external_id", "=", guest.wa_id)], fields=["bot_input_tokens"])
    assert conversation[0]["bot_input_tokens"] >= 310
