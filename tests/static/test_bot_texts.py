import ast
import re
import subprocess
import sys
from collections import Counter

import pytest
from babel.messages.pofile import read_po

from guestmsg.channels.capabilities import option_title_limits
from guestmsg.channels.registry import channels

from .addons import REPO

I18N = REPO / "guest_messaging_bot" / "i18n"
LANGUAGES = ("es", "fr", "de", "pt", "it")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# the tightest limit any channel's profile sets: a title fitting it is shown uncut everywhere
OPTION_TITLE_MAX = min(limit for c in channels() for limit in option_title_limits(c.profile).values())
LIST_LABEL_MAX = min(c.profile.list_button_label_max for c in channels() if c.profile.supports_lists)
LIST_SECTION_TITLE_MAX = min(c.profile.list_section_title_max for c in channels() if c.profile.supports_lists)


def test_bot_texts_list_every_engine_sentence():
    result = subprocess.run([sys.executable, str(REPO / "devtools" / "bot_texts.py"), "--check"], cwd=REPO)
    assert result.returncode == 0, "run: python3 devtools/bot_texts.py (the engine's sentences changed)"


def bot_texts():
    """The msgids guest_messaging_bot/lib/bot_texts.py lists with _lt()."""
    tree = ast.parse((REPO / "guest_messaging_bot" / "lib" / "bot_texts.py").read_text())
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_lt"]


def _msgid(node):
    """The sentence of ``turn._("...")`` or ``self._("...")``, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return node.args[0].value
    return None


def title_limits():
    """The engine's sentences used as an option's title, a list's button label or its section title, with the
    most characters each may have."""
    limits = {}
    for path in sorted((REPO / "guestmsg" / "bot" / "dialog").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None)
            name = getattr(name, "id", None) or getattr(name, "attr", None)
            if name == "Option" and len(node.args) > 1:
                titles = [(_msgid(node.args[1]), OPTION_TITLE_MAX)]
            elif name == "OptionList":
                titles = [(_msgid(node.args[1]), LIST_LABEL_MAX)] if len(node.args) > 1 else []
                titles += [(_msgid(k.value), LIST_SECTION_TITLE_MAX)
                           for k in node.keywords if k.arg == "section_title"]
            else:
                continue
            for msgid, limit in titles:
                if msgid:
                    limits[msgid] = min(limit, limits.get(msgid, limit))
    return limits


def test_titles_found_are_bot_texts():
    limits = title_limits()
    assert {"Confirm", "Change", "Cancel", "Talk to our team", "Choose a room", "Rooms"} <= set(limits)
    assert set(limits) <= set(bot_texts())


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) | {p.stem for p in I18N.glob("*.po")}))
def test_catalogue_translates_every_bot_text(lang):
    path = I18N / f"{lang}.po"
    assert path.is_file(), f"{path.relative_to(REPO)} is missing"
    with path.open("rb") as f:
        catalog = read_po(f)
    assert str(catalog.locale) == lang, f"{path.name}: its Language header says {catalog.locale}"
    limits = title_limits()
    problems = []
    for msgid in bot_texts():
        message = catalog.get(msgid)
        msgstr = message.string if message else ""
        if not msgstr or not msgstr.strip():
            problems.append(f"not translated: {msgid!r}")
        elif Counter(PLACEHOLDER.findall(msgstr)) != Counter(PLACEHOLDER.findall(msgid)):
            problems.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
        elif msgid in limits and len(msgstr) > limits[msgid]:
            problems.append(f"longer than {limits[msgid]} characters: {msgid!r} -> {msgstr!r}")
    assert not problems, f"{path.relative_to(REPO)}:\n" + "\n".join(problems)
