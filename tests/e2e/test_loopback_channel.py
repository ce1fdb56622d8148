"""A channel declared outside the product: the loopback test addon (tests/addons), installed with the core
and the bot only. Its guest writes through signed webhooks, gets the bot's greeting on a phone played by a
local HTTP server, and books a room; no file of the product names the channel."""

import itertools
import json
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from devtools import odoo_runner

from .odoo_server import OdooServer

pytestmark = pytest.mark.odoo

TEST_ADDONS = Path(__file__).resolve().parent.parent / "addons"
SECRET = "loopback-shared-secret"
ACCOUNT = "hotel-loopback-1"


class Phone:
    """The guest's side of the channel: every message the hotel posts, by guest."""

    def __init__(self):
        self.received = []
        self._ids = itertools.count(1)
        phone = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                phone.received.append(body)
                answer = json.dumps({"id": f"loop.{next(phone._ids)}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/inbox"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def of(self, guest_id):
        return [item["message"] for item in self.received if item["to"] == guest_id]

    def close(self):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def loopback_server(pg_cluster, tmp_path_factory, encryption_key):
    workdir = tmp_path_factory.mktemp("loopback")
    addons_path = f"{odoo_runner.addons_path()},{TEST_ADDONS}"
    run = SimpleNamespace(cluster=pg_cluster, data_dir=workdir / "filestore", dbname="gm_test_loopback")
    build = odoo_runner.run_odoo([
        f"--addons-path={addons_path}", *pg_cluster.odoo_args(), f"--data-dir={run.data_dir}",
        "-d", run.dbname, "-i", "guest_messaging_bot,guest_messaging_loopback", "--without-demo=all",
        "--stop-after-init", "--max-cron-threads=0", "--http-port=0", "--log-level=warn",
    ], workdir / "build.log", env=odoo_runner.odoo_env(GUEST_MESSAGING_ENCRYPTION_KEY=encryption_key), wait=False)
    build.wait()
    build.log.close()
    assert build.returncode == 0, (workdir / "build.log").read_text(errors="replace")[-6000:]
    server = OdooServer(run, workdir, encryption_key, addons_path=addons_path).start()
    yield server
    server.stop()


def sign(body):
    import hashlib  # noqa: PLC0415
    import hmac  # noqa: PLC0415

    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


class LoopbackGuest:
    def __init__(self, server, phone, guest_id):
        self.server, self.phone, self.guest_id = server, phone, guest_id
        self._ids = itertools.count(1)

    def post(self, body, signature=None):
        raw = json.dumps(body).encode()
        return requests.post(f"{self.server.url}/guest_messaging/webhook/loopback", data=raw, timeout=30,
                             headers={"Content-Type": "application/json",
                                      "X-Loopback-Signature": signature or sign(raw)})

    def send(self, text=None, reply_id=None):
        """Write (or tap an option) and return what reached the phone in answer."""
        before = len(self.phone.of(self.guest_id))
        message = {"id": f"{self.guest_id}.{next(self._ids)}.{time.time_ns()}", "from": self.guest_id,
                   "name": "Lola Loop", **({"reply_id": reply_id} if reply_id else {"text": text})}
        response = self.post({"account": ACCOUNT, "messages": [message]})
        assert response.status_code == 200, response.text
        self.server.wait_for(lambda: len(self.phone.of(self.guest_id)) > before, timeout=60,
                             message="the hotel's reply on the loopback channel")
        time.sleep(1.0)  # a multi-part answer
        return self.phone.of(self.guest_id)[before:]


def option_ids(messages):
    return [option["id"] for message in messages for option in message["options"]]


def text_of(messages):
    return " ".join(message["text"] for message in messages)


@pytest.fixture(scope="module")
def hotel(loopback_server):
    phone = Phone()
    admin = loopback_server.hotel_manager_session()
    call = loopback_server.call
    call(admin, "guest.channel.connection", "create", {
        "name": "Loopback desk", "channel_type": "loopback", "loopback_account": ACCOUNT,
        "loopback_url": phone.url, "loopback_secret": SECRET, "greeting_message": "Welcome to the Loop Hotel!"})
    room_type = call(admin, "hotel.room.type", "create", {"name": "Loop rooms"})
    room = call(admin, "hotel.room", "create", {"name": "Loop-Garden", "room_categ_id": room_type,
                                                 "list_price": 99.0, "capacity": 2})
    yield admin, room, phone
    phone.close()


def test_a_guest_books_a_room_on_a_channel_the_product_does_not_name(loopback_server, hotel):
    admin, room, phone = hotel
    guest = LoopbackGuest(loopback_server, phone, "loop-guest-1")
    greeting = guest.send(text="Hello")
    assert "Welcome to the Loop Hotel!" in text_of(greeting)
    assert option_ids(greeting) == ["book", "availability", "my_reservations"]
    guest.send(reply_id="book")
    check_in = date.today() + timedelta(days=30)
    offered = guest.send(text=f"{check_in.isoformat()} to {(check_in + timedelta(days=2)).isoformat()} for 2 adults")
    assert f"room:{room}" in option_ids(offered), offered
    guest.send(reply_id=f"room:{room}")
    guest.send(text="Lola")
    guest.send(text="Loop")
    summary = guest.send(text="lola.loop@example.com")
    assert option_ids(summary) == ["confirm", "change", "cancel"]
    confirmation = guest.send(reply_id="confirm")
    booked = loopback_server.call(admin, "hotel.reservation", "search_read",
                                  [("guest_conversation_id.guest_external_id", "=", guest.guest_id)],
                                  fields=["reservation_no", "state", "adults"])
    assert len(booked) == 1 and booked[0]["state"] == "confirm" and booked[0]["adults"] == 2
    assert booked[0]["reservation_no"] in text_of(confirmation)
    conversation = loopback_server.call(admin, "guest.conversation", "search_read",
                                        [("guest_external_id", "=", guest.guest_id)], fields=["channel_type"])
    assert conversation[0]["channel_type"] == "loopback"


def test_a_body_signed_with_another_secret_is_refused_and_stored_nowhere(loopback_server, hotel):
    admin, _room, _phone = hotel
    guest = LoopbackGuest(loopback_server, hotel[2], "loop-guest-2")
    body = {"account": ACCOUNT, "messages": [{"id": "forged.1", "from": "loop-guest-2", "text": "hi"}]}
    assert guest.post(body, signature="sha256=" + "0" * 64).status_code == 401
    assert requests.post(f"{loopback_server.url}/guest_messaging/webhook/loopback", json=body,
                         timeout=30).status_code == 401  # no signature at all
    assert requests.post(f"{loopback_server.url}/guest_messaging/webhook/telegram", json=body,
                         timeout=30).status_code == 404  # no such channel installed
    assert not loopback_server.call(admin, "guest.conversation", "search_count",
                                    [("guest_external_id", "=", "loop-guest-2")])
