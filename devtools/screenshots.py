#!/usr/bin/env python3
"""Regenerate the screenshots in docs/ from a throwaway demo database.

Builds a database with the five addons and their demo data, serves it, lets a
few guests talk to the booking bot through the Sandbox channel, has an agent
take one over, answer and leave a note; then walks the README's first minutes
in headless Chromium (a guest books in the Guest Simulator, the booking in the
inbox) and photographs the simulator, the inbox at 1280x800 and at phone
width, and Reporting > Overview.

    python3 devtools/screenshots.py
"""

import base64
import datetime
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests
import websocket

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from devtools import odoo_runner  # noqa: E402
from devtools.scratch_odoo import ScratchOdoo  # noqa: E402

DOCS = REPO / "docs"
GUESTS = [
    ("sim-ana", "Ana García", ["Hello", "I'd like to book a room for next weekend for 2 adults"]),
    ("sim-tom", "Tom Becker", ["Hi there", "Can I speak to a real person please?"]),
    ("sim-yuki", "Yuki Tanaka", ["Do you have availability?"]),
]


class Chromium:
    """Just enough of the devtools protocol to log in by cookie, click and take screenshots."""

    def __init__(self, workdir):
        port = odoo_runner.free_port()
        self.proc = subprocess.Popen(
            [shutil.which("chromium") or shutil.which("chromium-browser") or "google-chrome", "--headless=new",
             "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--remote-debugging-port={port}",
             f"--user-data-dir={workdir}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _i in range(100):
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next(p for p in pages if p["type"] == "page")
                break
            except (requests.RequestException, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = 0

    def send(self, method, **params):
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.ids:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.2)
        raise TimeoutError(selector)

    def wait_until(self, expression, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.2)
        raise TimeoutError(expression)

    def click(self, selector):
        self.wait_for(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        time.sleep(1.0)

    def viewport(self, width, height, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=mobile)

    def shot(self, name):
        time.sleep(1.0)
        self.evaluate("document.querySelectorAll('.o_notification_close').forEach((b) => b.click())")
        time.sleep(0.5)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        (DOCS / name).write_bytes(base64.b64decode(data))
        print(f"wrote docs/{name}")

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)


def simulate_booking(browser, dates):
    """The README's walk in the Guest Simulator: Hi, Book a Stay, dates, the first room, names, email, Confirm."""
    last_bubble = "[...document.querySelectorAll('.o_guest_simulator_bubble.o_from_hotel')].at(-1)"

    def write(text, after):
        browser.wait_until(f"({last_bubble}?.textContent || '').includes({json.dumps(after)})")
        browser.evaluate(
            "(() => { const box = document.querySelector('.o_guest_simulator_composer textarea');"
            f" box.value = {json.dumps(text)}; box.dispatchEvent(new Event('input', {{bubbles: true}})); }})()")
        browser.click(".o_guest_simulator_composer button")

    def tap(title=None):
        match = f"b.textContent.includes({json.dumps(title)})" if title else "true"
        buttons = f"[...({last_bubble}?.querySelectorAll('button') || [])].filter((b) => {match} && !b.disabled)"
        browser.wait_until(f"{buttons}.length > 0")
        browser.evaluate(f"{buttons}[0].click()")
        time.sleep(1.0)

    browser.wait_for(".o_guest_simulator_composer textarea")
    write("Hi", "")
    tap("Book a Stay")
    write(dates, "When would you like to stay")
    tap()
    write("Eve", "first name")
    write("Newcomer", "last name")
    write("eve.newcomer@example.com", "email address")
    tap("Confirm")
    browser.wait_until(f"({last_bubble}?.textContent || '').includes('R/')")


def main():
    if odoo_runner.odoo_unavailable_reason():
        sys.exit(odoo_runner.odoo_unavailable_reason())
    with ScratchOdoo("gm-shots-", "gm_shots") as odoo:
        odoo.install(*odoo_runner.ADDONS, demo=True)
        base = odoo.serve("--max-cron-threads=1")
        session = requests.Session()

        def rpc(route, params):
            reply = session.post(f"{base}{route}", json={"jsonrpc": "2.0", "method": "call", "params": params},
                                 timeout=60).json()
            if "error" in reply:
                raise RuntimeError(reply["error"])
            return reply["result"]

        def call(model, method, *args, **kwargs):
            return rpc(f"/web/dataset/call_kw/{model}/{method}",
                       {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

        rpc("/web/session/authenticate", {"db": "gm_shots", "login": "admin", "password": "admin"})
        sandbox = call("ir.model.data", "check_object_reference", "guest_messaging_bot", "demo_connection_sandbox")[1]
        for key, name, texts in GUESTS:
            for text in texts:
                call("guest.channel.connection", "sandbox_send", sandbox, key, text, guest_name=name)
                time.sleep(2.5)
        tom = call("guest.conversation", "search", [("guest_external_id", "=", "sim-tom")])
        call("guest.conversation", "action_claim", tom)
        call("guest.conversation", "send_agent_message", tom, "Hi Tom, Mitchell from the front desk here. How can I help?")
        call("guest.inbox", "add_note", tom[0], "Returning guest: prefers a quiet room on a high floor.")
        time.sleep(3)

        DOCS.mkdir(exist_ok=True)
        browser = Chromium(odoo.work / "chrome")
        try:
            browser.send("Network.enable")
            browser.send("Network.setCookie", name="session_id", value=session.cookies["session_id"], url=base)
            browser.viewport(1280, 800)
            browser.send("Page.navigate", url=f"{base}/odoo/guest-simulator")
            stay = [datetime.date.today() + datetime.timedelta(days=offset) for offset in (40, 43)]
            simulate_booking(browser, f"{stay[0].isoformat()} to {stay[1].isoformat()} for 2 adults")
            browser.shot("guest-simulator.png")
            browser.send("Page.navigate", url=f"{base}/odoo/guest-inbox")
            browser.wait_for(".o_gm_conversation")
            browser.evaluate("[...document.querySelectorAll('.o_gm_conversation')]"
                             ".find((row) => row.textContent.includes('Eve Newcomer')).click()")
            browser.wait_for(".o_gm_reservations a")
            browser.shot("inbox-desktop.png")
            browser.viewport(390, 844, mobile=True)
            browser.send("Page.navigate", url=f"{base}/odoo/guest-inbox")
            browser.wait_for(".o_gm_conversation")
            browser.shot("inbox-phone-list.png")
            browser.click(".o_gm_conversation[data-conversation-id='%d']" % tom[0])
            browser.shot("inbox-phone-thread.png")
            browser.click(".o_gm_show_guest")
            browser.shot("inbox-phone-guest.png")
            browser.viewport(1280, 800)
            browser.send("Page.navigate", url=f"{base}/odoo/guest-reporting")
            browser.wait_for(".o_guest_reporting_channels td")
            browser.shot("reporting-overview.png")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
