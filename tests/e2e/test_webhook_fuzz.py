"""Ten thousand hostile webhook bodies, signed and unsigned, through the real HTTP routes of a real
server: none gets a 500, none leaves a traceback, and every stored one is processed."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from guestmsg.meta.signature import sign

from .hostile_bodies import hostile_bodies

pytestmark = pytest.mark.odoo

BODIES = 10_000
APP_SECRET = "fuzz-app-secret"
ACCOUNTS = {"whatsapp": "551234009999", "messenger": "880099001", "instagram": "178990099001"}
ANSWERS = {200, 400, 401, 413}


@pytest.fixture(scope="module")
def fuzz_connections(odoo_server, fake_graph):
    admin = odoo_server.session()
    odoo_server.call(admin, "ir.config_parameter", "set_param", "guest_messaging.graph_api_base_url",
                     fake_graph.base_url)
    ids = odoo_server.call(admin, "guest.channel.connection", "create", [
        {"name": "Fuzz WhatsApp", "channel_type": "whatsapp", "setup_mode": "manual",
         "phone_number_id": ACCOUNTS["whatsapp"], "access_token": "EAAG-fuzz", "app_secret": APP_SECRET},
        {"name": "Fuzz Messenger", "channel_type": "messenger", "setup_mode": "manual",
         "page_id": ACCOUNTS["messenger"], "access_token": "EAAG-fuzz", "app_secret": APP_SECRET},
        {"name": "Fuzz Instagram", "channel_type": "instagram", "setup_mode": "manual",
         "page_id": "880099002", "instagram_account_id": ACCOUNTS["instagram"], "access_token": "EAAG-fuzz",
         "app_secret": APP_SECRET},
    ])
    return admin, ids


def _send(server, work):
    index, (channel, body) = work
    headers = {"Content-Type": "application/json"}
    if index % 2 == 0:
        headers["X-Hub-Signature-256"] = sign(APP_SECRET, body)
    elif index % 4 == 1:
        headers["X-Hub-Signature-256"] = sign("forged-secret", body)
    with requests.Session() as session:
        response = session.post(f"{server.url}/guest_messaging/webhook/{channel}", data=body, headers=headers,
                                timeout=60)
    return index, response.status_code, "Traceback" in response.text


def test_ten_thousand_hostile_bodies_get_no_500(odoo_server, fuzz_connections):
    admin, connection_ids = fuzz_connections
    work = list(enumerate(hostile_bodies(seed=20261206, count=BODIES, accounts=ACCOUNTS)))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda item: _send(odoo_server, item), work))
    statuses = {}
    for _index, status, traceback in results:
        statuses[status] = statuses.get(status, 0) + 1
        assert not traceback
    print(f"{BODIES} hostile bodies: answers {dict(sorted(statuses.items()))}")
    assert len(results) == BODIES
    assert set(statuses) <= ANSWERS, statuses
    assert statuses.get(200), "some signed bodies were accepted and stored"

    def unprocessed():
        return odoo_server.call(admin, "guest.webhook.event", "search_count", [
            ("connection_id", "in", connection_ids), ("state", "in", ["pending", "failed"])])

    odoo_server.wait_for(lambda: unprocessed() == 0, timeout=600, message="the worker to process the fuzzed events")
    parked = odoo_server.call(admin, "guest.webhook.event", "search_count", [
        ("connection_id", "in", connection_ids), ("state", "=", "parked")])
    assert parked == 0, "a hostile but signed body made the worker fail"
