"""Connecting channels end to end: Settings, Embedded Signup, the manual handshake, the token cron, and the
reservation templates, through a real Odoo server's JSON-RPC and controllers against the fake Graph API."""

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from guestmsg.meta.signature import sign

pytestmark = pytest.mark.odoo

APP_ID, APP_SECRET = "4242", "e2e-platform-secret"
WABA_ID, PHONE_NUMBER_ID = "300100", "300101"
SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")


@pytest.fixture(scope="module")
def platform(odoo_server, fake_graph):
    """The administrator's one-time Settings: the platform app, saved through the Settings form."""
    admin = odoo_server.session()
    odoo_server.call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url",
                     fake_graph.base_url)
    odoo_server.call(admin, "ir.config_parameter", "set_param", "ir.cron.disable", "")
    settings = odoo_server.call(admin, "res.config.settings", "create", {
        "guest_meta_app_id": APP_ID, "guest_meta_config_id": "555666", "guest_meta_app_secret": APP_SECRET})
    odoo_server.call(admin, "res.config.settings", "execute", [settings])
    fake_graph.set_app(APP_ID, APP_SECRET)
    return admin


def cron(server, session, xmlid):
    module, name = xmlid.split(".")
    [data] = server.call(session, "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
                         fields=["res_id"])
    server.call(session, "ir.cron", "method_direct_trigger", [data["res_id"]])


def connection(server, session, connection_id, fields=("state", "name", "last_error")):
    return server.call(session, "guest.channel.connection", "read", [connection_id], list(fields))[0]


def test_embedded_signup_then_a_guest_writes(odoo_server, fake_graph, platform):
    admin = platform
    config = odoo_server.call(admin, "guest.channel.connection", "get_embedded_signup_config")
    assert (config["app_id"], config["config_id"]) == (APP_ID, "555666")
    assert APP_SECRET not in json.dumps(config)
    settings = odoo_server.call(admin, "res.config.settings", "create", {})
    assert odoo_server.call(admin, "res.config.settings", "read", [settings], ["guest_meta_app_secret"])[0][
        "guest_meta_app_secret"] is False

    fake_graph.add_oauth_code("E2E-SIGNUP-CODE", access_token="BISU-E2E", scopes=SCOPES,
                              granular_scopes=[{"scope": "whatsapp_business_management", "target_ids": [WABA_ID]}])
    fake_graph.add_phone_number(PHONE_NUMBER_ID, display_phone_number="+34 600 300 101", verified_name="Hotel E2E",
                                waba_id=WABA_ID, status="PENDING")
    connection_id = odoo_server.call(admin, "guest.channel.connection", "create",
                                     {"channel_type": "whatsapp", "setup_mode": "embedded"})
    result = odoo_server.call(admin, "guest.channel.connection", "complete_embedded_signup", [connection_id],
                              "E2E-SIGNUP-CODE", {"phone_number_id": PHONE_NUMBER_ID, "waba_id": WABA_ID})
    assert result == {"state": "connected", "message": "Hotel E2E is connected."}
    assert fake_graph.registrations[PHONE_NUMBER_ID]["calls"] == 1
    assert WABA_ID in fake_graph.subscriptions
    # the same code again (a double click) is refused by Meta and leaves a message to act on
    again = odoo_server.call(admin, "guest.channel.connection", "complete_embedded_signup", [connection_id],
                             "E2E-SIGNUP-CODE", {})
    assert again["state"] == "error" and "only once" in again["message"]
    assert connection(odoo_server, admin, connection_id)["state"] == "connected"

    # Meta signs the webhooks of embedded connections with the platform app's secret
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "34600300101", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Eva"}, "wa_id": "34611000222"}],
            "messages": [{"from": "34611000222", "id": "wamid.ES-E2E-1", "timestamp": str(int(time.time())),
                          "type": "text", "text": {"body": "Hola"}}]}}]}]}).encode()
    response = requests.post(f"{odoo_server.url}/guest_messaging/webhook/whatsapp", data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": sign(APP_SECRET, body)})
    assert response.status_code == 200
    odoo_server.wait_for(lambda: odoo_server.call(admin, "guest.message", "search",
                                                  [("platform_message_id", "=", "wamid.ES-E2E-1")]),
                         message="the guest's message on the embedded connection")


def test_manual_setup_is_pending_until_metas_handshake(odoo_server, platform):
    admin = platform
    connection_id = odoo_server.call(admin, "guest.channel.connection", "create", {
        "name": "Manual E2E", "channel_type": "whatsapp", "setup_mode": "manual", "phone_number_id": "300201",
        "waba_id": "300200", "access_token": "EAAG-manual", "app_secret": "manual-secret"})
    info = connection(odoo_server, admin, connection_id, ("state", "verify_token", "webhook_callback_url"))
    assert info["state"] == "pending_verification"
    url = info["webhook_callback_url"].replace(info["webhook_callback_url"].split("/guest_messaging")[0],
                                               odoo_server.url)
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                      "hub.challenge": "1158201444"}, timeout=30)
    assert wrong.status_code == 403
    assert connection(odoo_server, admin, connection_id)["state"] == "pending_verification"
    right = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": info["verify_token"],
                                      "hub.challenge": "1158201444"}, timeout=30)
    assert (right.status_code, right.text) == (200, "1158201444")
    assert connection(odoo_server, admin, connection_id)["state"] == "connected"


def test_the_daily_cron_renews_a_token_close_to_expiry_and_flags_a_revoked_one(odoo_server, fake_graph, platform):
    admin = platform
    in_three_days = int(time.time()) + 3 * 86400
    fake_graph.set_token_state("EAAG-expiring-e2e", expires_at=in_three_days, scopes=SCOPES)
    fake_graph.set_token_state("EAAG-revoked-e2e", valid=False, scopes=SCOPES)
    expiring, revoked = (odoo_server.call(admin, "guest.channel.connection", "create", {
        "name": name, "channel_type": "whatsapp", "setup_mode": "manual", "phone_number_id": number,
        "access_token": token, "app_secret": "x"}) for name, number, token in (
        ("Expiring E2E", "300301", "EAAG-expiring-e2e"), ("Revoked E2E", "300302", "EAAG-revoked-e2e")))
    for connection_id in (expiring, revoked):
        odoo_server.call(admin, "guest.channel.connection", "write", [connection_id], {"state": "connected"})
    cron(odoo_server, admin, "guest_messaging.ir_cron_refresh_tokens")

    renewed = connection(odoo_server, admin, expiring, ("state", "token_expires_at", "access_token", "message_ids"))
    assert renewed["state"] == "connected"
    assert renewed["access_token"] is False  # never read back
    assert any("Access token renewed" in n["body"] for n in odoo_server.call(
        admin, "mail.message", "read", renewed["message_ids"], ["body"]))
    assert renewed["token_expires_at"] > (datetime.now(timezone.utc) + timedelta(days=50)).strftime("%Y-%m-%d")
    flagged = connection(odoo_server, admin, revoked, ("state", "last_error", "message_ids"))
    assert flagged["state"] == "error" and "Reconnect the channel" in flagged["last_error"]
    notes = odoo_server.call(admin, "mail.message", "read", flagged["message_ids"], ["body", "partner_ids"])
    assert any("refused the access token" in n["body"] and n["partner_ids"] for n in notes)


def test_templates_sync_map_and_go_out_on_reservation_events(odoo_server, fake_graph, platform):
    admin = platform
    fake_graph.add_template(WABA_ID, "stay_confirmed", "en_US",
                            body_text="Hi {{1}}, {{2}} is confirmed from {{3}} to {{4}}: {{5}} {{6}}.")
    fake_graph.add_template(WABA_ID, "see_you_tomorrow", "en_US", body_text="Hi {{1}}, see you on {{2}} ({{3}}).")
    [connection_id] = odoo_server.call(admin, "guest.channel.connection", "search",
                                       [("phone_number_id", "=", PHONE_NUMBER_ID)])
    odoo_server.call(admin, "guest.channel.connection", "action_sync_templates", [connection_id])
    synced = {t["name"]: t for t in odoo_server.call(admin, "guest.whatsapp.template", "search_read",
                                                     [("connection_id", "=", connection_id)],
                                                     fields=["name", "parameter_count"])}
    assert synced["stay_confirmed"]["parameter_count"] == 6

    def mapping(event, name, parameters):
        return odoo_server.call(admin, "guest.message.template", "create", {
            "connection_id": connection_id, "event_type": event, "whatsapp_template_id": synced[name]["id"],
            "template_name": name, "language": "en_US", "parameter_mapping": parameters})

    with pytest.raises(RuntimeError, match="expects 6 body parameter"):
        mapping("reservation_confirmed", "stay_confirmed", {"1": "guestName"})
    with pytest.raises(RuntimeError, match="does not offer"):
        mapping("check_in_reminder", "see_you_tomorrow", {"1": "guestName", "2": "roomName", "3": "reference"})
    mapping("reservation_confirmed", "stay_confirmed", {"1": "guestName", "2": "reference", "3": "checkIn",
                                                        "4": "checkOut", "5": "totalAmount", "6": "currency"})
    mapping("check_in_reminder", "see_you_tomorrow", {"1": "guestName", "2": "checkIn", "3": "reference"})

    company = odoo_server.call(admin, "res.users", "read", [2], ["company_id"])[0]["company_id"][0]
    partner = odoo_server.call(admin, "res.company", "read", [company], ["partner_id"])[0]["partner_id"][0]
    odoo_server.call(admin, "res.partner", "write", [partner], {"tz": "UTC"})
    room_type = odoo_server.call(admin, "hotel.room.type", "create", {"name": "E2E suites"})
    room = odoo_server.call(admin, "hotel.room", "create", {"name": "Suite 7", "room_categ_id": room_type,
                                                            "list_price": 150.0, "capacity": 2})
    pricelist = odoo_server.call(admin, "product.pricelist", "search", [], limit=1) or [
        odoo_server.call(admin, "product.pricelist", "create", {"name": "E2E"})]
    guest = odoo_server.call(admin, "res.partner", "create", {"name": "Lucía Pérez", "mobile": "+34 622 33 44 55",
                                                              "lang": "en_US"})
    tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
    checkin = datetime.combine(tomorrow, datetime.min.time()).replace(hour=14)
    reservation = odoo_server.call(admin, "hotel.reservation", "create", {
        "partner_id": guest, "partner_invoice_id": guest, "partner_order_id": guest, "partner_shipping_id": guest,
        "pricelist_id": pricelist[0], "adults": 2, "checkin": checkin.strftime("%Y-%m-%d %H:%M:%S"),
        "checkout": (checkin + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"),
        "reservation_line": [[0, 0, {"categ_id": room_type, "reserve": [[6, 0, [room]]]}]]})
    reference = odoo_server.call(admin, "hotel.reservation", "read", [reservation], ["reservation_no"])[0][
        "reservation_no"]
    fake_graph.clear_requests()
    odoo_server.call(admin, "hotel.reservation", "confirmed_reservation", [reservation])

    def templates_to_guest():
        return [m for m in fake_graph.sent_messages(PHONE_NUMBER_ID)
                if m.get("type") == "template" and m["to"] == "+34622334455"]

    [confirmation] = odoo_server.wait_for(templates_to_guest, message="the confirmation template")
    day = f"{tomorrow:%b} {tomorrow.day}, {tomorrow.year}"
    assert confirmation["template"]["name"] == "stay_confirmed"
    assert [p["text"] for p in confirmation["template"]["components"][0]["parameters"]] == [
        "Lucía Pérez", reference, day, (lambda d: f"{d:%b} {d.day}, {d.year}")(tomorrow + timedelta(days=2)),
        "300.00", odoo_server.call(admin, "product.pricelist", "read", pricelist[:1], ["currency_id"])[0][
            "currency_id"][1]]

    for _run in range(2):
        cron(odoo_server, admin, "guest_messaging_whatsapp.ir_cron_check_in_reminders")
    odoo_server.wait_for(lambda: len(templates_to_guest()) >= 2, message="the check-in reminder")
    time.sleep(2)  # a second reminder, if the cron sent one, would have left the outbox by now
    reminders = [m for m in templates_to_guest() if m["template"]["name"] == "see_you_tomorrow"]
    assert len(reminders) == 1
    assert [p["text"] for p in reminders[0]["template"]["components"][0]["parameters"]] == [
        "Lucía Pérez", day, reference]
