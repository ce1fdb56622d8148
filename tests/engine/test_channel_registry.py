from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from guestmsg.channels import ReplyWindow, channel, channels, decide, register
from guestmsg.channels import registry
from guestmsg.channels.meta_social import INSTAGRAM_TEXT_BYTES_MAX, MESSENGER_TEXT_MAX
from guestmsg.channels.whatsapp.outbound import TEXT_BODY_MAX

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)


def test_the_shipped_channels_in_their_order():
    assert [c.code for c in channels()][:5] == ["whatsapp", "instagram", "messenger", "website_chat", "sandbox"]


@pytest.mark.parametrize("code", ["whatsapp", "instagram", "messenger", "sandbox"])
def test_a_declaration_names_its_profile_and_its_webhook(code):
    declared = channel(code)
    assert declared.profile.name == code
    assert declared.label and declared.icon.startswith("fa-")
    if declared.platform == "meta":
        assert declared.webhook_path == f"/guest_messaging/webhook/{code}"
        assert declared.account_field == declared.account_fields[0]
    else:
        assert (declared.webhook_path, declared.account_field) == (None, None)


def test_text_limits_are_the_wire_formats_own():
    assert channel("whatsapp").profile.text_max == TEXT_BODY_MAX
    assert (channel("instagram").profile.text_max, channel("instagram").profile.text_unit) == (
        INSTAGRAM_TEXT_BYTES_MAX, "utf8")
    assert (channel("messenger").profile.text_max, channel("messenger").profile.text_unit) == (
        MESSENGER_TEXT_MAX, "utf16")


def test_a_code_is_declared_once():
    whatsapp = channel("whatsapp")
    assert register(whatsapp) is whatsapp, "declaring the same channel again is harmless"
    with pytest.raises(ValueError, match="already registered"):
        register(replace(whatsapp, label="Another WhatsApp"))
    assert channel("whatsapp") is whatsapp
    with pytest.raises(KeyError, match="telegram"):
        channel("telegram")


def test_a_channel_declared_elsewhere_joins_the_registry(monkeypatch):
    monkeypatch.setattr(registry, "_CHANNELS", dict(registry._CHANNELS))
    loop = register(replace(channel("sandbox"), code="loop", label="Loop", sequence=85))
    assert channel("loop") is loop and loop.profile.name == "loop"
    assert [c.code for c in channels()][-2:] == ["loop", "sandbox"]


@pytest.mark.parametrize("age,human,allowed,state", [
    (timedelta(hours=3), False, True, "open"),
    (timedelta(hours=30), True, False, "closed"),
    (timedelta(days=9), True, False, "closed"),
])
def test_whatsapp_takes_only_templates_after_its_window(age, human, allowed, state):
    declared = channel("whatsapp")
    decision = decide(declared.reply_window, declared.label, NOW - age, NOW, human)
    assert (decision.allowed, decision.state) == (allowed, state)
    if not allowed:
        assert "only accepts an approved template" in decision.reason


def test_a_page_lets_a_person_answer_for_seven_days():
    declared = channel("messenger")
    tagged = decide(declared.reply_window, declared.label, NOW - timedelta(days=3), NOW, True)
    assert (tagged.allowed, tagged.human_agent, tagged.state) == (True, True, "human_agent")
    bot = decide(declared.reply_window, declared.label, NOW - timedelta(days=3), NOW, False)
    assert (bot.allowed, bot.state) == (False, "agents_only")


def test_a_window_needs_aware_times_and_knows_a_guest_who_never_wrote():
    window = ReplyWindow(hours=24)
    assert decide(window, "Loop", None, NOW, True).state == "never_wrote"
    with pytest.raises(ValueError, match="timezone-aware"):
        decide(window, "Loop", NOW.replace(tzinfo=None), NOW, True)
