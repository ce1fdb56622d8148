"""Run Odoo 18 from the interpreter it is installed in, against a given cluster."""

import importlib.util
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("guest_messaging", "guest_messaging_whatsapp", "guest_messaging_meta_social", "guest_messaging_bot",
          "guest_messaging_livechat")


def odoo_unavailable_reason():
    """None when Odoo 18 is importable here, else a sentence saying why not."""
    if importlib.util.find_spec("odoo") is None:
        return f"'import odoo' fails in {sys.executable}: Odoo 18 is not installed in this interpreter"
    try:
        import odoo.release  # noqa: PLC0415
    except Exception as exc:  # noqa: BLE001 - any import failure makes the layer unavailable
        return f"'import odoo' fails in {sys.executable}: {exc!r}"
    if odoo.release.version_info[0] != 18:
        return f"Odoo {odoo.release.version} is installed, but these addons need 18.0"
    return None


def addons_path(with_repo=True):
    """Odoo's own addons folders plus this repository (pip-installed OCA addons are found on their own)."""
    import odoo  # noqa: PLC0415

    source = Path(odoo.__file__).resolve().parent
    paths = [source / "addons", source.parent / "addons", *([REPO] if with_repo else [])]
    return ",".join(str(p) for p in paths if p.is_dir())


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(*args):
    return [sys.executable, "-m", "odoo", *args]


def odoo_env(**extra):
    """The environment for an Odoo process: this checkout's guestmsg first, whatever pip installed last."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


# odoo-bin, except that a sleeping process stands in for the long-polling one a server with --workers starts
# (as ``python <sys.argv[0]> gevent``, which under ``python -m odoo`` fails and is restarted in a loop that
# keeps a core busy): for servers no browser connects to over the bus
NO_LONG_POLLING_LAUNCHER = """import os
import sys
import time

os.environ["TZ"] = "UTC"
if sys.argv[1:2] == ["gevent"]:
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    sys.exit(0)

import odoo

odoo.cli.main()
"""


def run_odoo(args, logfile, env=None, wait=True, long_polling=True):
    """Start ``python -m odoo args`` with its output in ``logfile``; return the Popen. Without
    ``long_polling``, a server with ``--workers`` starts no long-polling process (see the launcher)."""
    command = odoo_command(*args)
    if not long_polling:
        launcher = Path(logfile).with_name("odoo-launcher.py")
        launcher.write_text(NO_LONG_POLLING_LAUNCHER)
        command = [sys.executable, str(launcher), *args]
    log = open(logfile, "wb")  # noqa: SIM115 - closed by the caller through proc.log
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env or odoo_env(),
                            cwd=str(REPO), start_new_session=True)
    proc.log = log
    if wait:
        proc.wait()
        log.close()
    return proc


LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)$"
)
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<addon>\w+)\.tests\.(?P<module>\w+)$")
TEST_EVENT = re.compile(
    r"^(?:(?P<start>Starting) (?P<started>[\w.]+) \.\.\.|(?P<kind>FAIL|ERROR): (?:Subtest )?(?P<failed>\w+\.\w+)"
    r"|skipped (?P<skipped>[\w.]+) : (?P<reason>.*))"
)


class OdooLog:
    """What an Odoo run with --test-tags logged: tests started, failed, skipped; stray errors."""

    def __init__(self, text):
        self.started = set()
        self.failures = {}
        self.skipped = {}
        self.errors = []
        self.warnings = []
        self.summary = None
        current = None
        for line in text.splitlines():
            match = LOG_LINE.match(line)
            if not match:
                if current is not None:
                    current.append(line)
                continue
            current = None
            level, logger, msg = match["level"], match["logger"], match["msg"]
            test_logger = TEST_LOGGER.match(logger)
            event = TEST_EVENT.match(msg) if test_logger else None
            if event:
                key_prefix = (test_logger["addon"], test_logger["module"])
                if event["start"]:
                    self.started.add((*key_prefix, event["started"]))
                elif event["kind"]:
                    current = self.failures.setdefault((*key_prefix, event["failed"]), [])
                    current.append(line)
                    continue
                elif event["skipped"]:
                    self.skipped[(*key_prefix, event["skipped"])] = event["reason"]
            if logger == "odoo.tests.result" and "tests when loading database" in msg:
                self.summary = msg
                continue
            if level in ("ERROR", "CRITICAL") and not event and not self._is_test_tally(logger, msg):
                current = [line]
                self.errors.append(current)
            elif level == "WARNING" and logger.startswith("odoo.addons.guest_messaging"):
                current = [line]
                self.warnings.append(current)

    @staticmethod
    def _is_test_tally(logger, msg):
        return logger == "odoo.modules.loading" and (
            re.match(r"Module \w+: \d+ failures, \d+ errors of \d+ tests", msg)
            or msg.startswith("At least one test failed")
        )
