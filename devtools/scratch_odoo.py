"""A throwaway PostgreSQL cluster and Odoo database for scripts (benchmarks, screenshots).

    with ScratchOdoo("gm-bench-", "gm_bench") as odoo:
        odoo.install("guest_messaging_whatsapp")
        base_url = odoo.serve("--workers=2")

``serve`` may be called again to run more servers on the same database, each on its own port:
``server`` is the first one, ``servers`` all of them.

Everything lives in a temporary folder that is removed at the end.
"""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import requests
from cryptography.fernet import Fernet

from devtools import odoo_runner
from devtools.pgcluster import PgCluster

class ScratchOdoo:
    def __init__(self, prefix, dbname):
        self.dbname = dbname
        self.work = Path(tempfile.mkdtemp(prefix=prefix))
        self.cluster = None
        self.server = None
        self.servers = []
        self.env = odoo_runner.odoo_env(GUEST_MESSAGING_ENCRYPTION_KEY=Fernet.generate_key().decode())

    def __enter__(self):
        self.cluster = PgCluster(self.work / "pg").start()
        self.common = [f"--addons-path={odoo_runner.addons_path()}", *self.cluster.odoo_args(),
                       f"--data-dir={self.work / 'data'}", "-d", self.dbname]
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            server.wait(timeout=60)
            server.log.close()
        if self.cluster:
            self.cluster.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def install(self, *addons, demo=False):
        print(f"installing {', '.join(addons)}{' with demo data' if demo else ''} ...", flush=True)
        subprocess.run(odoo_runner.odoo_command(*self.common, "-i", ",".join(addons), "--stop-after-init",
                                                "--log-level=warn", *([] if demo else ["--without-demo=all"])),
                       check=True, env=self.env)

    def shell(self, code):
        """Run ``code`` in ``odoo shell`` on the database; returns its standard output."""
        done = subprocess.run(odoo_runner.odoo_command("shell", *self.common, "--log-level=warn", "--no-http"),
                              input=code.encode(), check=True, env=self.env, capture_output=True)
        return done.stdout.decode()

    def connect(self):
        connection = psycopg2.connect(host=str(self.cluster.socket_dir), port=self.cluster.port, user="odoo",
                                      dbname=self.dbname)
        connection.autocommit = True
        return connection

    def serve(self, *args, no_long_polling=False):
        """Serve the database on a free loopback port; returns its base URL once it answers.

        With ``--workers``, Odoo starts a long-polling process as ``python <sys.argv[0]> gevent``: under
        ``python -m odoo`` it fails at once, and Odoo restarts it in a loop that keeps a core busy.
        ``no_long_polling`` starts Odoo from a launcher script that puts an idle process in its place
        instead, for scripts that connect no browser to the bus.
        """
        port = odoo_runner.free_port()
        log = self.work / ("server.log" if not self.servers else f"server-{len(self.servers) + 1}.log")
        odoo_args = [*self.common, "--http-interface=127.0.0.1", f"--http-port={port}", "--log-level=warn", *args]
        server = odoo_runner.run_odoo(odoo_args, log, env=self.env, wait=False, long_polling=not no_long_polling)
        self.servers.append(server)
        self.server = self.server or server
        base_url = f"http://127.0.0.1:{port}"
        for _i in range(120):
            try:
                requests.get(f"{base_url}/web/login", timeout=10)
                break
            except requests.RequestException:
                time.sleep(1)
        return base_url
