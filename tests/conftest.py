"""Shared fixtures: a throwaway PostgreSQL cluster and Odoo databases with the addons.

The Odoo layer runs only where ``import odoo`` gives Odoo 18; elsewhere it is
skipped, and the run says so at the end in a line of its own.
"""

import os
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from devtools import odoo_runner
from devtools.pgcluster import PgCluster

ODOO_SKIP_REASON = odoo_runner.odoo_unavailable_reason()
FLAVOURS = ("nodemo", "demo")
TEST_TAGS = ",".join(f"/{addon}" for addon in odoo_runner.ADDONS)


def pytest_report_header(config):
    if ODOO_SKIP_REASON:
        return f"Odoo layer: SKIPPED - {ODOO_SKIP_REASON}"
    import odoo.release  # noqa: PLC0415

    return f"Odoo layer: Odoo {odoo.release.version} from {Path(odoo.__file__).parent}"


def pytest_collection_modifyitems(config, items):
    if not ODOO_SKIP_REASON:
        return
    skip = pytest.mark.skip(reason=f"Odoo layer skipped: {ODOO_SKIP_REASON}")
    for item in items:
        if "odoo" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if ODOO_SKIP_REASON:
        terminalreporter.write_line(
            f"ODOO LAYER SKIPPED: {ODOO_SKIP_REASON}. Install Odoo 18 into this interpreter "
            "(see DEVELOPERS.md) to run the addons' Odoo tests and the end-to-end tests.",
            red=True,
            bold=True,
        )
        return
    runs = getattr(terminalreporter.config, "_odoo_runs", None)
    if runs:
        for run in runs.values():
            terminalreporter.write_line(run.describe())


class OdooDatabaseRun:
    """One database: the five addons installed (with or without demo data) and their tests run."""

    def __init__(self, cluster, workdir, flavour, encryption_key):
        self.cluster = cluster
        self.flavour = flavour
        self.dbname = f"gm_test_{flavour}"
        self.logfile = workdir / f"odoo-{flavour}.log"
        self.data_dir = workdir / "filestore"
        self.encryption_key = encryption_key
        args = [
            f"--addons-path={odoo_runner.addons_path()}",
            *cluster.odoo_args(),
            f"--data-dir={self.data_dir}",
            "-d", self.dbname,
            "-i", ",".join(odoo_runner.ADDONS),
            f"--test-tags={TEST_TAGS}",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={odoo_runner.free_port()}",
            "--log-level=info",
        ]
        if flavour == "nodemo":
            args.append("--without-demo=all")
        self.started_at = time.monotonic()
        env = odoo_runner.odoo_env(GUEST_MESSAGING_ENCRYPTION_KEY=encryption_key)
        self.proc = odoo_runner.run_odoo(args, self.logfile, env=env, wait=False)
        self._log = None
        self.seconds = None

    def wait(self):
        if self._log is None:
            self.proc.wait()
            self.proc.log.close()
            self.seconds = time.monotonic() - self.started_at
            self._log = odoo_runner.OdooLog(self.logfile.read_text(errors="replace"))
        return self._log

    def describe(self):
        if self._log is None:
            return f"Odoo layer [{self.flavour}]: not run"
        log = self._log
        return (
            f"Odoo layer [{self.flavour}]: {len(log.started)} Odoo tests started, "
            f"{len(log.failures)} failed; install + tests took {self.seconds:.0f} s "
            f"(database {self.dbname}, log {self.logfile})"
        )


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory):
    if ODOO_SKIP_REASON:
        pytest.skip(ODOO_SKIP_REASON)
    cluster = PgCluster(tmp_path_factory.mktemp("pg"), port=5432).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def encryption_key():
    return os.environ.get("GUEST_MESSAGING_ENCRYPTION_KEY") or Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def odoo_runs(request, pg_cluster, tmp_path_factory, encryption_key):
    """Both databases are built in parallel (one per core), once per session."""
    workdir = tmp_path_factory.mktemp("odoo")
    runs = {flavour: OdooDatabaseRun(pg_cluster, workdir, flavour, encryption_key) for flavour in FLAVOURS}
    request.config._odoo_runs = runs
    yield runs
    for run in runs.values():
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()
