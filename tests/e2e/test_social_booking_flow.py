"""The booking bot over Messenger and Instagram: signed webhooks to a real Odoo, its Send API calls to the fake
Graph API, and a real hotel.reservation at the end; then a person takes over from the inbox."""

from datetime import date, timedelta

import pytest

from .page_guest import PageGuest, reply_ids, texts

pytestmark = pytest.mark.odoo

APP_SECRET = "e2e-social-secret"
PAGE_ID, IG_ID = "770001", "17841400770"


@pytest.fixture(scope="module")
def hotel(odoo_server, fake_graph):
    admin = odoo_server.session()
    call = odoo_server.call
    call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url", fake_graph.base_url)
    for channel, extra in (("messenger", {}), ("instagram", {"instagram_account_id": IG_ID})):
        connection = call(admin, "guest.channel.connection", "create", {
            "name": f"E2E {channel}", "channel_type": channel, "setup_mode": "manual", "page_id": PAGE_ID,
            "access_token": "PAGE-E2E", "app_secret": APP_SECRET, "greeting_message": "Welcome to the Social Hotel!",
            **extra})
        call(admin, "guest.channel.connection", "write", [connection], {"state": "connected"})
    fake_graph.add_profile("PSID-E2E-1", name="Carla Messenger", profile_pic="https://cdn.example/carla.jpg")
    fake_graph.add_profile("IGSID-E2E-1", name="Iris Instagram", username="iris.ig")
    room_type = call(admin, "hotel.room.type", "create", {"name": "Social rooms"})
    rooms = call(admin, "hotel.room", "create", [
        {"name": "Social-Loft", "room_categ_id": room_type, "list_price": 120.0, "capacity": 2},
        {"name": "Social-Family", "room_categ_id": room_type, "list_price": 180.0, "capacity": 4},
    ])
    return admin, rooms


def book(guest, rooms, days_ahead, name):
    greeting = guest.send(guest.text("Hello"))
    assert "Welcome to the Social Hotel!" in texts(greeting)
    assert reply_ids(greeting) == ["book", "availability", "my_reservations"]
    guest.send(guest.tap("book", "Book a Stay"))
    check_in = date.today() + timedelta(days=days_ahead)
    offered = guest.send(guest.text(f"{check_in.isoformat()} to {(check_in + timedelta(days=2)).isoformat()} "
                                    "for 2 adults"))
    assert f"room:{rooms[0]}" in reply_ids(offered), offered
    guest.send(guest.tap(f"room:{rooms[0]}", "Select"))
    guest.send(guest.text(name))
    guest.send(guest.text("Tester"))
    summary = guest.send(guest.text(f"{name.lower()}.e2e@example.com"))
    assert reply_ids(summary) == ["confirm", "change", "cancel"]
    assert "Social-Loft" in texts(summary)
    return offered, guest.send(guest.tap("confirm", "Confirm"))


def reservation_of(server, session, guest_id):
    return server.call(session, "hotel.reservation", "search_read",
                       [("guest_conversation_id.guest_external_id", "=", guest_id)],
                       fields=["reservation_no", "state", "partner_id"])


def test_book_over_messenger_with_room_cards(odoo_server, fake_graph, hotel):
    admin, rooms = hotel
    guest = PageGuest(odoo_server, fake_graph, "messenger", "PSID-E2E-1", PAGE_ID, PAGE_ID, APP_SECRET)
    offered, confirmation = book(guest, rooms, days_ahead=60, name="Carla")
    cards = [m for m in offered if m["message"].get("attachment", {}).get("payload", {}).get("template_type")
             == "generic"]
    assert cards and cards[0]["message"]["attachment"]["payload"]["elements"][0]["buttons"][0]["title"]
    [booked] = reservation_of(odoo_server, admin, "PSID-E2E-1")
    assert booked["state"] == "confirm"
    assert booked["reservation_no"] in texts(confirmation)
    assert all(m["messaging_type"] == "RESPONSE" for m in guest.sent_to_me())

    # a person takes over from the inbox and replies; the guest's profile was fetched once
    [conversation] = odoo_server.call(admin, "guest.conversation", "search_read",
                                      [("guest_external_id", "=", "PSID-E2E-1")],
                                      fields=["guest_name", "guest_picture_url"])
    assert (conversation["guest_name"], conversation["guest_picture_url"]) == (
        "Carla Messenger", "https://cdn.example/carla.jpg")
    odoo_server.call(admin, "guest.conversation", "send_agent_message", [conversation["id"]], "See you soon!")
    odoo_server.wait_for(lambda: any(m["message"].get("text") == "See you soon!" for m in guest.sent_to_me()),
                         message="the agent's reply over Messenger")


def test_book_over_instagram_with_quick_replies(odoo_server, fake_graph, hotel):
    admin, rooms = hotel
    guest = PageGuest(odoo_server, fake_graph, "instagram", "IGSID-E2E-1", IG_ID, PAGE_ID, APP_SECRET)
    offered, confirmation = book(guest, rooms, days_ahead=70, name="Iris")
    assert any(m["message"].get("quick_replies") for m in offered)
    assert not any("attachment" in m["message"] for m in guest.sent_to_me())
    [booked] = reservation_of(odoo_server, admin, "IGSID-E2E-1")
    assert booked["state"] == "confirm"
    assert booked["reservation_no"] in texts(confirmation)
