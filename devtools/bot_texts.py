#!/usr/bin/env python3
"""Keep guest_messaging_bot/lib/bot_texts.py in step with the dialog engine's sentences.

The engine (guestmsg/bot/dialog, no Odoo) speaks through translate(msgid, **params), called as ``turn._(...)``
or ``self._(...)`` in any of its modules; listing every msgid with _lt() in the addon makes Odoo export them
to the addon's .pot and translate them.

    python3 devtools/bot_texts.py          # rewrite the file
    python3 devtools/bot_texts.py --check  # exit 1 when it is out of date
"""

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIALOG = REPO / "guestmsg" / "bot" / "dialog"
TARGET = REPO / "guest_messaging_bot" / "lib" / "bot_texts.py"
ADDON_TEXTS = ["Our team will respond shortly."]


def engine_msgids():
    found = []
    nodes = (node for path in sorted(DIALOG.rglob("*.py")) for node in ast.walk(ast.parse(path.read_text())))
    for node in nodes:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            if node.args[0].value not in found:
                found.append(node.args[0].value)
    if not found:
        raise SystemExit(f"No sentence found under {DIALOG}: is the dialog engine still there?")
    return found


def render():
    lines = [
        "# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).",
        '"""Every sentence the booking bot can say, so Odoo exports and translates them.',
        "",
        "Generated from the modules of guestmsg/bot/dialog/ by devtools/bot_texts.py; do not edit by hand.",
        '"""',
        "",
        "from odoo.tools.translate import LazyTranslate",
        "",
        "_lt = LazyTranslate(__name__)",
        "",
        "BOT_TEXTS = (",
    ]
    lines += [f"    _lt({msgid!r})," for msgid in sorted(set(engine_msgids() + ADDON_TEXTS))]
    lines += [")", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.exists() and TARGET.read_text() == render() else 1)
    TARGET.write_text(render())
