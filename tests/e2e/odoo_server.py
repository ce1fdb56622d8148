"""A real Odoo server (worker processes, cron thread) on a database the Odoo layer built."""

import itertools
import os
import signal
import time

import requests

from devtools import odoo_runner


class OdooServer:
    def __init__(self, run, workdir, encryption_key, workers=2, addons_path=None):
        self.run = run
        self.addons_path = addons_path or odoo_runner.addons_path()
        self.workdir = workdir
        self.encryption_key = encryption_key
        self.workers = workers
        self.port = odoo_runner.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.starts = 0
        self._ids = itertools.count(1)

    def start(self):
        self.starts += 1
        args = [
            f"--addons-path={self.addons_path}",
            *self.run.cluster.odoo_args(),
            f"--data-dir={self.run.data_dir}",
            "-d", self.run.dbname, f"--db-filter=^{self.run.dbname}$",
            f"--workers={self.workers}", "--max-cron-threads=1",
            "--http-interface=127.0.0.1", f"--http-port={self.port}",
            "--log-level=info", "--limit-time-real=300",
        ]
        env = odoo_runner.odoo_env(GUEST_MESSAGING_ENCRYPTION_KEY=self.encryption_key)
        # no browser connects over the bus here: no long-polling process (see odoo_runner)
        self.proc = odoo_runner.run_odoo(args, self.workdir / f"server-{self.starts}.log", env=env, wait=False,
                                         long_polling=False)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_tail()
            try:
                if requests.get(f"{self.url}/web/login", timeout=3).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError("Odoo did not start:\n" + self.log_tail())

    def kill(self):
        """SIGKILL the whole server, workers and cron included, as a crash would."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except Exception:  # noqa: BLE001
                self.kill()
                return
            self.proc.log.close()

    def log_tail(self, chars=6000):
        logs = sorted(self.workdir.glob("server-*.log"))
        return logs[-1].read_text(errors="replace")[-chars:] if logs else ""

    # --- JSON-RPC as a browser would ---
    def session(self, login="admin", password="admin"):
        session = requests.Session()
        result = self._rpc(session, "/web/session/authenticate",
                           {"db": self.run.dbname, "login": login, "password": password})
        assert result.get("uid"), result
        return session

    def _rpc(self, session, route, params):
        response = session.post(f"{self.url}{route}", json={
            "jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params}, timeout=60)
        payload = response.json()
        if "error" in payload:
            raise RuntimeError(payload["error"].get("data", {}).get("message") or payload["error"])
        return payload["result"]

    def hotel_manager_session(self):
        """The administrator's session, made a hotel manager so that it may create rooms."""
        admin = self.session()
        _model, group = self.call(admin, "ir.model.data", "check_object_reference", "hotel", "group_hotel_manager")
        admin_id = self.call(admin, "res.users", "search", [("login", "=", "admin")])[0]
        self.call(admin, "res.users", "write", [admin_id], {"groups_id": [[4, group]]})
        return admin

    def call(self, session, model, method, *args, **kwargs):
        return self._rpc(session, f"/web/dataset/call_kw/{model}/{method}",
                         {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def wait_for(self, predicate, timeout=60, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {message}\n{self.log_tail()}")
