"""bin/test makes sure Odoo's browser tests have a Chromium, or stops with one line saying what to install."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "devtools" / "ensure_chromium.sh"


def _run(tmp_path, *, odoo, browser):
    """Run the script with a PATH holding only what it needs, and a stand-in interpreter."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "id", "env"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    python = bin_dir / "python-under-test"
    python.write_text(f"#!{sys.executable}\nimport sys\nsys.exit({0 if odoo else 1})\n")
    python.chmod(0o755)
    if browser:
        fake = bin_dir / "chromium"
        fake.write_text("#!/bin/sh\n")
        fake.chmod(0o755)
    return subprocess.run([str(bin_dir / "bash"), str(SCRIPT), str(python)], env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=60, check=False)


def test_without_odoo_no_browser_is_needed(tmp_path):
    result = _run(tmp_path, odoo=False, browser=False)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_browser_on_path_is_enough(tmp_path):
    result = _run(tmp_path, odoo=True, browser=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_without_a_browser_or_apt_it_stops_with_one_line(tmp_path):
    result = _run(tmp_path, odoo=True, browser=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get install chromium" in lines[0]
