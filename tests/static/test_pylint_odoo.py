"""pylint-odoo with the OCA mandatory checks over the four addons."""

import subprocess
import sys

from .addons import ADDONS, REPO


def test_pylint_odoo_mandatory_checks():
    result = subprocess.run(
        [sys.executable, "-m", "pylint", f"--rcfile={REPO / '.pylintrc-mandatory'}", *ADDONS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = (result.stdout + result.stderr).strip()
    assert "pylint_odoo" not in result.stderr or result.returncode == 0, output
    assert result.returncode == 0, output
