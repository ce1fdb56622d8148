"""A throwaway PostgreSQL cluster in a folder, reached over a unix socket.

Used by the test harness and by ``bin/serve``. When run as root the server
runs as an unprivileged system user, because PostgreSQL refuses root.
"""

import os
import pwd
import shutil
import subprocess
from pathlib import Path

SUPERUSER = "odoo"


def _pg_bindir():
    for candidate in (os.environ.get("PG_BINDIR"),):
        if candidate and Path(candidate, "initdb").exists():
            return Path(candidate)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if versions:
        return versions[0].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found; "
        "install the 'postgresql' package or set PG_BINDIR."
    )


def _run_as():
    """The OS user the server runs as: ourselves, or 'postgres'/'nobody' under root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user exists")


class PgCluster:
    """initdb + pg_ctl start/stop in ``root``; sockets live in ``root/socket``."""

    def __init__(self, root, port=5432):
        self.root = Path(root).resolve()
        self.datadir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.logfile = self.root / "postgres.log"
        self.port = port
        self.bindir = _pg_bindir()
        self.user = _run_as()

    # -- process helpers ---------------------------------------------------
    def _run(self, *args, check=True):
        kwargs = {}
        if self.user:
            kwargs["user"] = self.user.pw_uid
            kwargs["group"] = self.user.pw_gid
            kwargs["extra_groups"] = []
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            cwd=str(self.root),
            **kwargs,
        )

    def _chown(self, path):
        if self.user:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)

    # -- lifecycle ---------------------------------------------------------
    @property
    def initialised(self):
        return (self.datadir / "PG_VERSION").exists()

    def init(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.user:
            # the server user must be able to reach its folders
            for parent in [self.root, *self.root.parents]:
                mode = parent.stat().st_mode
                if not mode & 0o001:
                    os.chmod(parent, mode | 0o001)
            self._chown(self.root)
            self._chown(self.socket_dir)
        if not self.initialised:
            self._run(
                "initdb", "-D", str(self.datadir), "-U", SUPERUSER,
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-N",
            )

    def start(self):
        self.init()
        if self.running:
            return self
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        if self.user:
            self.logfile.touch()
            self._chown(self.logfile)
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile),
                  "-o", options, "-w", "-t", "60", "start")
        return self

    @property
    def running(self):
        if not self.initialised:
            return False
        return self._run("pg_ctl", "-D", str(self.datadir), "status", check=False).returncode == 0

    def stop(self):
        if self.running:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop", check=False)

    def odoo_args(self):
        """Command-line options that point Odoo at this cluster."""
        return [f"--db_host={self.socket_dir}", f"--db_port={self.port}", f"--db_user={SUPERUSER}",
                "--db_password=False"]
