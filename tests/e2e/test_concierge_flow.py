"""The bot as a concierge over signed WhatsApp webhooks: the hotel's answers in the middle of a booking, a
Spanish guest answered in Spanish throughout, a guest moving then cancelling their reservation, and the
nearest free dates when the asked ones are full. Real Odoo (workers + cron), the offline parser, the fake
Graph API receiving the bot's messages."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .whatsapp_guest import WhatsAppGuest, button, reply_ids, row, text, texts

pytestmark = pytest.mark.odoo

APP_SECRET = "e2e-concierge-secret"
PHONE_NUMBER_ID = "551234000999"
ES_PO = Path(__file__).resolve().parents[2] / "guest_messaging_bot" / "i18n" / "es.po"


@pytest.fixture(scope="module")
def spanish():
    """The bot's Spanish catalogue, as the addon ships it: msgid -> msgstr."""
    with ES_PO.open("rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id}


@pytest.fixture(scope="module")
def hotel(odoo_server, fake_graph):
    admin = odoo_server.hotel_manager_session()
    call = odoo_server.call
    call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url", fake_graph.base_url)
    call(admin, "guest.channel.connection", "create", {
        "name": "E2E concierge", "channel_type": "whatsapp", "setup_mode": "manual",
        "phone_number_id": PHONE_NUMBER_ID, "access_token": "EAAG-concierge", "app_secret": APP_SECRET})
    room_type = call(admin, "hotel.room.type", "create", {"name": "E2E concierge rooms"})
    rooms = call(admin, "hotel.room", "create", [
        # the only rooms of the database that hold six: the full-dates test fills them all
        {"name": "Concierge-Patio", "room_categ_id": room_type, "list_price": 99.0, "capacity": 6},
        {"name": "Concierge-Loft", "room_categ_id": room_type, "list_price": 180.0, "capacity": 6},
    ])
    call(admin, "guest.knowledge.entry", "create", {
        "name": "Do you have parking?", "category": "transport",
        "variants": "parking\ncar park\naparcamiento\nwhere can I park",
        "answer": "Our garage is under the hotel: 18 EUR a night."})
    return admin, rooms


def day(offset):
    return (date.today() + timedelta(days=offset)).isoformat()


def guest(odoo_server, fake_graph, wa_id, name="Ana"):
    return WhatsAppGuest(odoo_server, fake_graph, wa_id, PHONE_NUMBER_ID, APP_SECRET, name=name)


def book(ana, room_id, check_in, check_out, email, adults=2):
    ana.send(text("Hello"))
    ana.send(button("book", "Book a Stay"))
    offered = ana.send(text(f"{check_in} to {check_out} for {adults} adults"))
    assert f"room:{room_id}" in reply_ids(offered), offered
    ana.send(row(f"room:{room_id}"))
    ana.send(text("Ana"))
    ana.send(text("García"))
    ana.send(text(email))
    return ana.send(button("confirm", "Confirm"))


def reservations_of(server, session, wa_id):
    return server.call(session, "hotel.reservation", "search_read",
                       [("guest_conversation_id.guest_external_id", "=", wa_id)],
                       fields=["reservation_no", "state", "checkin", "checkout"], order="id")


def test_a_question_in_the_middle_of_a_booking_is_answered_and_the_booking_goes_on(odoo_server, fake_graph, hotel):
    _admin, rooms = hotel
    ana = guest(odoo_server, fake_graph, "34611200001")
    ana.send(text("Hello"))
    ana.send(button("book", "Book a Stay"))
    asked = ana.send(text(f"{day(30)} for 2 adults"))
    assert "What is your check-out date" in texts(asked)
    answer = ana.send(text("Do you have parking?"))
    assert "Our garage is under the hotel: 18 EUR a night." in texts(answer)
    assert "What is your check-out date" in texts(answer), "the booking asks again where it was"
    offered = ana.send(text("2 nights"))
    assert f"room:{rooms[0]}" in reply_ids(offered)


def test_a_spanish_guest_is_answered_in_spanish_throughout(odoo_server, fake_graph, hotel, spanish):
    admin, rooms = hotel
    ana = guest(odoo_server, fake_graph, "34611200002")
    first = ana.send(text("Hola, quiero reservar una habitación"))
    assert spanish["When would you like to stay, and for how many guests? For example: \"March 15 to 18 for "
                   "2 adults\" or \"tomorrow for 3 nights\"."] in texts(first)
    offered = ana.send(text(f"del {day(60)} al {day(62)} para 2 adultos"))
    assert spanish["Here are the rooms available for your dates. Choose one to continue."] in texts(offered)
    asked = ana.send(row(f"room:{rooms[0]}"))
    assert spanish["To complete the booking I need a few details. What is your first name?"] in texts(asked)
    ana.send(text("Lucía"))
    ana.send(text("Martín"))
    summary = ana.send(text("lucia.e2e@example.com"))
    assert spanish["Please check your booking:"] in texts(summary)
    confirmed = ana.send(button("confirm"))
    reference = reservations_of(odoo_server, admin, ana.wa_id)[0]["reservation_no"]
    assert spanish["Your booking is confirmed! Your reference is %(reference)s. We look forward to welcoming "
                   "you."] % {"reference": reference} in texts(confirmed)
    assert "Please" not in texts(confirmed + summary + offered + first), "no English sentence on the way"


def test_a_guest_moves_then_cancels_their_reservation(odoo_server, fake_graph, hotel):
    admin, rooms = hotel
    ana = guest(odoo_server, fake_graph, "34611200003")
    book(ana, rooms[0], day(80), day(82), "ana.move@example.com")
    [booked] = reservations_of(odoo_server, admin, ana.wa_id)

    listed = ana.send(text("when is my check-in?"))
    assert booked["reservation_no"] in texts(listed)
    assert reply_ids(listed) == ["manage_change", "manage_cancel", "manage_keep"]
    ana.send(button("manage_change"))
    summary = ana.send(text(f"{day(90)} to {day(93)}"))
    assert reply_ids(summary) == ["manage_yes", "manage_no"]
    assert reservations_of(odoo_server, admin, ana.wa_id)[0]["checkin"].startswith(day(80)), "not before the yes"
    done = ana.send(button("manage_yes"))
    assert "Done!" in texts(done)
    [moved] = reservations_of(odoo_server, admin, ana.wa_id)
    assert moved["state"] == "confirm" and moved["checkin"].startswith(day(90))
    assert moved["checkout"].startswith(day(93))

    asked = ana.send(text("I want to cancel my reservation"))
    assert reply_ids(asked) == ["manage_yes", "manage_no"]
    ana.send(text("yes"))
    assert reservations_of(odoo_server, admin, ana.wa_id)[0]["state"] == "cancel"
    notes = odoo_server.call(admin, "mail.message", "search_read", [
        ("model", "=", "hotel.reservation"), ("res_id", "=", booked["id"])], fields=["body"])
    bodies = " ".join(note["body"] for note in notes)
    assert "changed this reservation in the chat" in bodies and "cancelled this reservation in the chat" in bodies


def test_full_dates_offer_the_nearest_free_ones(odoo_server, fake_graph, hotel):
    _admin, rooms = hotel
    for n, room_id in enumerate(rooms):
        book(guest(odoo_server, fake_graph, f"3461120001{n}"), room_id, day(120), day(122), f"full{n}@example.com",
             adults=6)
    late = guest(odoo_server, fake_graph, "34611200020")
    late.send(text("Hello"))
    late.send(button("book", "Book a Stay"))
    full = late.send(text(f"{day(120)} to {day(122)} for 6 adults"))
    assert "no rooms available" in texts(full)
    # two days earlier and two days later are as near: the earlier comes first
    assert reply_ids(full) == [f"alt:{day(118)}:{day(120)}", f"alt:{day(122)}:{day(124)}", "escalate"]
    offered = late.send(button(f"alt:{day(122)}:{day(124)}"))
    assert f"room:{rooms[0]}" in reply_ids(offered)
