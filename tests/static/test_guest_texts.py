"""Every sentence the inbox itself writes to guests is in each of the core's guest catalogues."""

import ast
import re

import pytest
from babel.messages.pofile import read_po

from .addons import REPO

TEXTS = REPO / "guest_messaging" / "lib" / "guest_texts.py"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _module():
    return ast.parse(TEXTS.read_text())


def guest_texts():
    return [node.args[0].value for node in ast.walk(_module())
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_lt"]


def guest_languages():
    for node in ast.walk(_module()):
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["GUEST_LANGUAGES"]:
            return ast.literal_eval(node.value)
    raise AssertionError("guest_texts.py declares no GUEST_LANGUAGES")


def test_the_module_lists_sentences_and_languages():
    assert len(guest_texts()) >= 5
    assert set(guest_languages()) == {"es", "fr", "de", "pt", "it"}


@pytest.mark.parametrize("language", guest_languages())
def test_each_catalogue_translates_every_guest_sentence(language):
    with (REPO / "guest_messaging" / "i18n" / f"{language}.po").open("rb") as po:
        catalogue = {message.id: message for message in read_po(po) if message.id}
    for msgid in guest_texts():
        message = catalogue.get(msgid)
        assert message and message.string, f"{language}.po lacks {msgid!r}"
        assert message.string != msgid, f"{language}.po leaves {msgid!r} in English"
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(msgid)), msgid
        assert any("odoo-python" in comment for comment in message.auto_comments), \
            f"{language}.po: {msgid!r} must be marked odoo-python for Odoo to read it"


def test_guest_sentences_are_not_written_with_the_users_language():
    """The consent and rating code writes guest sentences only through ``_guest_text``."""
    for name in ("guest_conversation_consent.py", "guest_conversation_satisfaction.py"):
        source = (REPO / "guest_messaging" / "models" / name).read_text()
        for msgid in guest_texts():
            assert f"'{msgid}'" not in source and f"\"{msgid}\"" not in source, \
                f"{name} writes {msgid!r} itself instead of guest_texts"
