"""The README's run command brings Odoo up with the addons; a newcomer logs in and sees the menu."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from devtools.odoo_runner import REPO, free_port

pytestmark = pytest.mark.odoo


def _wait_for_http(url, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if requests.get(url, timeout=30).status_code == 200:
                return True
        except requests.RequestException:  # not listening yet, or busy building its first page
            pass
        time.sleep(1)
    return False


def test_serve_installs_and_shows_the_guest_messaging_menu(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(GUEST_MESSAGING_HOME=str(tmp_path / "home"), GUEST_MESSAGING_PORT=str(port))
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "bin" / "serve"), "--skip-requirements", "--db", "gm_serve"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        up = _wait_for_http(f"{base}/web/login", proc, timeout=900)
        assert up, (tmp_path / "serve.log").read_text(errors="replace")[-5000:]

        session = requests.Session()
        auth = session.post(f"{base}/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": "gm_serve", "login": "admin", "password": "admin"},
        }, timeout=120).json()
        assert auth.get("result", {}).get("uid"), auth
        menus = session.get(f"{base}/web/webclient/load_menus/{int(time.time())}", timeout=120).json()
        roots = [menus[str(i)]["name"] for i in menus["root"]["children"]]
        assert "Guest Messaging" in roots
        assert roots.index("Guest Messaging") == roots.index("Hotel Management") + 1
        app = next(m for m in menus.values() if m.get("xmlid") == "guest_messaging.menu_root")
        children = {menus[str(c)]["name"] for c in app["children"]}
        assert {"Inbox", "Connections", "Templates", "Configuration"} <= children

        inbox = session.post(f"{base}/web/dataset/call_kw/guest.conversation/search_read", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"model": "guest.conversation", "method": "search_read", "args": [[]],
                       "kwargs": {"fields": ["guest_name", "status"]}},
        }, timeout=120).json()
        assert {c["guest_name"] for c in inbox["result"]} >= {"Ana García", "Tom Becker"}, inbox
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    # the cluster it started is stopped again
    assert not list((tmp_path / "home" / "pg" / "data").glob("postmaster.pid"))
