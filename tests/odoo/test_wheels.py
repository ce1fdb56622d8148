"""The addons as OCA distributes addons: wheels built with whool, installed with pip into a clean
virtual environment that has Odoo, and installed from there into a new database."""

import email
import os
import subprocess
import sys
import venv
import zipfile

import pytest

from devtools import odoo_runner

pytestmark = pytest.mark.odoo


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    sources = [odoo_runner.REPO, *(odoo_runner.REPO / addon for addon in odoo_runner.ADDONS)]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "-w", str(dist), *map(str, sources)], check=True, timeout=600)
    return {_metadata(w)["Name"]: w for w in dist.glob("*.whl")}


def test_each_addon_is_a_wheel_that_declares_what_it_needs(wheels):
    assert set(wheels) == {"guestmsg", *(f"odoo-addon-{addon}" for addon in odoo_runner.ADDONS)}
    for addon in odoo_runner.ADDONS:
        requires = _metadata(wheels[f"odoo-addon-{addon}"]).get_all("Requires-Dist")
        assert any(r.startswith("odoo==18.0") for r in requires), requires
        assert "guestmsg" in requires, requires
    bot = _metadata(wheels["odoo-addon-guest_messaging_bot"]).get_all("Requires-Dist")
    assert any(r.startswith("odoo-addon-guest_messaging") for r in bot), bot
    assert any(r.startswith("odoo-addon-hotel_reservation") for r in bot), bot
    guestmsg = _metadata(wheels["guestmsg"]).get_all("Requires-Dist")
    assert any(r.startswith("phonenumbers") for r in guestmsg), guestmsg


def test_the_wheels_install_into_a_clean_environment_and_into_a_new_database(wheels, pg_cluster, tmp_path,
                                                                              encryption_key):
    env_dir = tmp_path / "venv"
    # a clean environment that has Odoo (and Odoo's libraries) from this interpreter, and nothing of ours
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-index", *map(str, wheels.values())], check=True, timeout=600)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["GUEST_MESSAGING_ENCRYPTION_KEY"] = encryption_key
    where = subprocess.run([str(python), "-c", "import guestmsg, odoo.addons.guest_messaging_bot as bot; "
                            "print(guestmsg.__file__); print(bot.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(str(env_dir) in path for path in where), where
    log = tmp_path / "install.log"
    with open(log, "wb") as out:
        result = subprocess.run([
            str(python), "-m", "odoo", f"--addons-path={odoo_runner.addons_path(with_repo=False)}",
            *pg_cluster.odoo_args(), f"--data-dir={tmp_path / 'data'}", "-d", "gm_wheels",
            "-i", ",".join(odoo_runner.ADDONS), "--without-demo=all", "--stop-after-init",
            "--max-cron-threads=0", f"--http-port={odoo_runner.free_port()}", "--log-level=warn",
        ], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1200, check=False)
    text = log.read_text(errors="replace")
    assert result.returncode == 0, text[-4000:]
    assert " ERROR " not in text and "Traceback" not in text, text[-4000:]
    installed = subprocess.run(
        ["psql", "-h", str(pg_cluster.socket_dir), "-p", str(pg_cluster.port), "-U", "odoo", "-d", "gm_wheels", "-tA",
         "-c", "SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE 'guest_messaging%' ORDER BY name"],
        capture_output=True, text=True, check=True).stdout.split()
    assert installed == sorted(odoo_runner.ADDONS)
