import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "guestmsg"


def test_guestmsg_never_imports_odoo():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] != "odoo", f"{path.name} imports {name}"


def test_guestmsg_imports_in_a_fresh_interpreter_without_odoo():
    code = (
        "import sys, importlib, pkgutil, guestmsg\n"
        "sys.modules['odoo'] = None\n"
        "for m in pkgutil.iter_modules(guestmsg.__path__):\n"
        "    importlib.import_module('guestmsg.' + m.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=PACKAGE.parent, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
