"""The addons' own Odoo tests, one pytest item per Odoo test and database.

Odoo runs them itself (``--test-tags`` while installing, at_install and
post_install as Odoo intends); each item here reports what Odoo logged for
its test. A test that Odoo never started (not imported in its package's
``tests/__init__.py``, say) fails here instead of vanishing.
"""

import ast
from pathlib import Path

import pytest

from devtools.odoo_runner import ADDONS, REPO

pytestmark = pytest.mark.odoo


def _imported_test_modules(tests_dir):
    init = tests_dir / "__init__.py"
    if not init.exists():
        return []
    names = []
    for node in ast.walk(ast.parse(init.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.extend(alias.name for alias in node.names)
    return names


def discover_odoo_tests():
    cases = []
    for addon in ADDONS:
        tests_dir = REPO / addon / "tests"
        for path in sorted(tests_dir.glob("test_*.py")):
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if not isinstance(node, ast.ClassDef):
                    continue
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                        cases.append((addon, path.stem, f"{node.name}.{item.name}"))
    return cases


ODOO_TESTS = discover_odoo_tests()
FLAVOURS = ("nodemo", "demo")


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    "addon,module,test", ODOO_TESTS, ids=[f"{a}/{m}::{t}" for a, m, t in ODOO_TESTS]
)
def test_odoo(odoo_runs, flavour, addon, module, test):
    log = odoo_runs[flavour].wait()
    key = (addon, module, test)
    assert module in _imported_test_modules(REPO / addon / "tests"), (
        f"{addon}/tests/{module}.py is not imported in {addon}/tests/__init__.py, so Odoo never runs it"
    )
    if key in log.skipped:
        pytest.fail(f"Odoo skipped {test}: {log.skipped[key]}")
    assert key in log.started, f"Odoo never started {test}; see {odoo_runs[flavour].logfile}"
    if key in log.failures:
        pytest.fail("\n".join(log.failures[key]), pytrace=False)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_install_is_clean(odoo_runs, flavour):
    """All five addons install, and nothing logs an error outside a test."""
    run = odoo_runs[flavour]
    log = run.wait()
    assert not log.errors, "Errors in the Odoo log:\n" + "\n\n".join("\n".join(e) for e in log.errors[:10])
    assert run.proc.returncode == 0, f"odoo exited with {run.proc.returncode}; see {run.logfile}"
    assert log.summary is None or log.summary.startswith("0 failed, 0 error(s)"), log.summary


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_addons_log_no_warnings(odoo_runs, flavour):
    log = odoo_runs[flavour].wait()
    assert not log.warnings, "Warnings from our addons:\n" + "\n\n".join("\n".join(w) for w in log.warnings[:10])


def test_every_addon_test_module_is_found():
    """The discovery above reads every test file; an addon without tests is a gap worth seeing."""
    found = {(addon, module) for addon, module, _t in ODOO_TESTS}
    for addon in ADDONS:
        for module in _imported_test_modules(REPO / addon / "tests"):
            assert (addon, module) in found, f"{addon}/tests/{module}.py has no test methods"
    assert Path(REPO / "guest_messaging" / "tests" / "__init__.py").exists()
