import random
import unicodedata
from dataclasses import replace

import pytest

from guestmsg.channels.whatsapp import outbound as whatsapp_outbound
from guestmsg.channels.whatsapp.outbound import rendered_payloads as whatsapp_payloads
from guestmsg.channels.capabilities import (
    PROFILES, Buttons, CapabilityProfile, Option, OptionList, Rendered, Text, degrade, fit_text, graphemes,
    resolve_reply, shorten, text_length,
)

WA = PROFILES["whatsapp"]
IG = PROFILES["instagram"]
FB = PROFILES["messenger"]
TO = "+34600111222"


def options(count, title="Room type {}", description=None):
    return tuple(Option(f"opt{i}", title.format(i), description) for i in range(1, count + 1))


# --- profiles ----------------------------------------------------------------------


def test_profile_values_from_the_reference():
    assert (WA.max_buttons, WA.button_title_max, WA.max_list_rows, WA.list_row_title_max,
            WA.list_row_description_max, WA.list_button_label_max) == (3, 20, 10, 24, 72, 20)
    assert (WA.text_max, WA.interactive_body_max, WA.list_body_max) == (4096, 1024, 4096)
    assert (WA.header_max, WA.footer_max, WA.list_section_title_max) == (60, 60, 24)
    assert WA.supports_buttons and WA.supports_lists
    assert not WA.supports_quick_replies and not WA.supports_generic_template
    assert (IG.max_quick_replies, IG.quick_reply_title_max) == (13, 20)
    assert IG.supports_quick_replies and not IG.supports_lists and not IG.supports_buttons
    assert (FB.max_quick_replies, FB.quick_reply_title_max, FB.max_buttons, FB.button_title_max) == (13, 20, 3, 20)
    assert FB.supports_generic_template and FB.max_generic_elements == 10
    assert FB.supports_buttons and not FB.supports_lists


def test_sandbox_is_whatsapp():
    sandbox = PROFILES["sandbox"]
    assert isinstance(sandbox, CapabilityProfile)
    assert sandbox.name == "sandbox"
    for name in CapabilityProfile.__dataclass_fields__:
        if name != "name":
            assert getattr(sandbox, name) == getattr(WA, name), name


def test_whatsapp_profile_matches_the_builders():
    assert WA.max_buttons == whatsapp_outbound.BUTTONS_MAX
    assert WA.list_row_id_max == whatsapp_outbound.LIST_ROW_ID_MAX
    assert WA.button_id_max == whatsapp_outbound.BUTTON_ID_MAX


# --- shorten -----------------------------------------------------------------------


def test_continue_with_assistant_keeps_its_first_word():
    title = "Continue with assistant"
    assert len(title) == 23
    short = shorten(title, 20)
    assert len(short) <= 20
    assert short.split()[0].rstrip("…") == "Continue"
    assert short == "Continue with…"


@pytest.mark.parametrize("limit,expected", [
    (23, "Continue with assistant"), (22, "Continue with…"), (14, "Continue with…"), (13, "Continue with"),
    (12, "Continue…"), (9, "Continue…"), (8, "Continue"), (7, "Contin…"), (2, "C…"), (1, "C"), (0, ""),
])
def test_shorten_drops_whole_words_first(limit, expected):
    assert shorten("Continue with assistant", limit) == expected


def test_shorten_strips_and_collapses_whitespace():
    assert shorten("  Late \n check-out  ", 20) == "Late check-out"
    assert shorten("", 20) == ""
    assert shorten(None, 20) == ""


def test_shorten_drops_dangling_punctuation_before_the_ellipsis():
    assert shorten("Yes, 2 pm works perfectly", 9) == "Yes, 2 pm"
    assert shorten("Yes, 2 pm works perfectly", 8) == "Yes, 2…"
    assert shorten("Yes, please do", 5) == "Yes…"
    assert shorten("Breakfast, lunch and dinner", 12) == "Breakfast…"


def test_shorten_never_splits_combining_marks():
    decomposed = unicodedata.normalize("NFD", "Crèmebrûléeglacée")  # one long word: cut between graphemes
    cuts = set()
    for limit in range(1, len(decomposed) + 1):
        short = shorten(decomposed, limit)
        assert text_length(short) <= limit
        kept = short.rstrip("…")
        assert decomposed.startswith(kept)
        following = decomposed[len(kept):len(kept) + 1]
        assert not following or not unicodedata.combining(following), (limit, short)
        cuts.add(kept)
    assert "Cre\u0300" in cuts and "Cr" in cuts and "Cre" not in cuts


@pytest.mark.parametrize("emoji", ["👍🏽", "👨‍👩‍👧‍👦", "🇪🇸", "2️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "❤️"])
def test_shorten_never_splits_an_emoji(emoji):
    title = emoji * 6
    for limit in range(0, text_length(title) + 1):
        short = shorten(title, limit)
        assert text_length(short) <= limit
        kept = short.rstrip("…")
        assert kept == emoji * (len(kept) // len(emoji)), (limit, short)


def test_shorten_measures_in_utf16_units_or_bytes():
    assert shorten("😀😀😀 party", 7) == "😀😀😀…"
    # 2 bytes per "é" and 3 for the ellipsis: two letters fit in 8 bytes, three would need 9
    assert shorten("ééééé", 8, unit="utf8") == "éé…"
    assert shorten("ééééé", 8) == "ééééé"
    assert text_length(shorten("ééééé", 8, unit="utf8"), "utf8") <= 8


def test_shorten_and_fit_text_respect_limits_on_random_text():
    rng = random.Random(20260101)
    alphabet = ["a", "B", " ", " ", "\n", "é", "e\u0301", "😀", "👍🏽", "👨‍👩‍👧", "🇪🇸", "ß", "ﷺ", "字", ",", "-", "\u200f"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        limit = rng.randint(0, 30)
        unit = rng.choice(["utf16", "utf8"])
        for result in (shorten(text, limit, unit), fit_text(text, limit, unit)):
            assert text_length(result, unit) <= limit, (text, limit, unit, result)
            kept = result.rstrip("…")
            assert not kept[:1] or not unicodedata.combining(kept[0])
        if limit >= text_length(" ".join(text.split()), unit):
            assert shorten(text, limit, unit) == " ".join(text.split())


def test_graphemes():
    assert graphemes("e\u0301a") == ["e\u0301", "a"]
    assert graphemes("🇪🇸🇫🇷") == ["🇪🇸", "🇫🇷"]
    assert graphemes("👍🏽!") == ["👍🏽", "!"]
    assert graphemes("a\r\nb") == ["a", "\r\n", "b"]
    assert graphemes("") == []


# --- fit_text ------------------------------------------------------------------------


def test_fit_text_cuts_at_a_word_boundary():
    assert fit_text("Hello wonderful world of hotels", 20) == "Hello wonderful…"
    assert fit_text("short", 20) == "short"
    assert fit_text("  padded  ", 6) == "padded"
    assert len(fit_text("word " * 1000, 1024)) <= 1024
    assert fit_text("word " * 1000, 1024).endswith("word…")


def test_fit_text_without_spaces_cuts_between_graphemes():
    assert fit_text("a" * 50, 10) == "a" * 9 + "…"
    assert fit_text("👍🏽" * 10, 9) == "👍🏽👍🏽…"


# --- degrade: text ---------------------------------------------------------------------


def test_text_is_truncated_to_the_channel():
    rendered = degrade(Text("word " * 2000), WA)
    assert rendered.kind == "text"
    assert text_length(rendered.body) <= 4096 and rendered.body.endswith("…")
    rendered = degrade(Text("é" * 800), IG)
    assert len(rendered.body.encode("utf-8")) <= 1000
    assert degrade(Text("Hello"), FB) == Rendered(kind="text", body="Hello", profile="messenger")


# --- degrade: buttons ---------------------------------------------------------------------


def test_three_buttons_stay_buttons_on_whatsapp():
    message = Buttons("Late check-out?", (Option("yes", "Yes, until 2 pm"), Option("no", "No thanks"),
                                          Option("agent", "Continue with assistant")),
                      header="Check-out", footer="Hotel Sol")
    rendered = degrade(message, WA)
    assert rendered.kind == "buttons"
    assert [o.title for o in rendered.options] == ["Yes, until 2 pm", "No thanks", "Continue with…"]
    assert [o.id for o in rendered.options] == ["yes", "no", "agent"]
    assert (rendered.header, rendered.footer) == ("Check-out", "Hotel Sol")
    assert rendered.numbered_options == ()
    payload = whatsapp_payloads(rendered, TO)
    assert len(payload) == 1
    assert payload[0]["interactive"]["type"] == "button"
    assert [b["reply"]["title"] for b in payload[0]["interactive"]["action"]["buttons"]] == [
        "Yes, until 2 pm", "No thanks", "Continue with…"]


def test_four_buttons_become_a_list_on_whatsapp():
    rendered = degrade(Buttons("What do you need?", options(4, "Extra service number {}")), WA)
    assert rendered.kind == "list"
    assert len(rendered.options) == 4
    assert rendered.options[0].title == "Extra service number 1"  # 22 chars fit a row (24) but not a button (20)
    assert rendered.button_label == "Options"
    assert rendered.section_title == "Options"
    payload = whatsapp_payloads(rendered, TO)[0]
    assert payload["interactive"]["type"] == "list"
    sections = payload["interactive"]["action"]["sections"]
    assert [r["id"] for r in sections[0]["rows"]] == ["opt1", "opt2", "opt3", "opt4"]


def test_list_label_for_buttons_can_be_chosen():
    rendered = degrade(Buttons("Body", options(4)), WA, list_button_label="Elige una opción")
    assert rendered.button_label == "Elige una opción"


def test_buttons_on_instagram_become_quick_replies_and_numbered_text_beyond_13():
    message = Buttons("Pick", (Option("a", "Continue with assistant"), Option("b", "Book a spa treatment today"),
                               Option("c", "Order room service now")))
    rendered = degrade(message, IG)
    assert rendered.kind == "quick_replies"
    assert [o.title for o in rendered.options] == ["Continue with…", "Book a spa treatment", "Order room service…"]
    assert all(len(o.title) <= 20 for o in rendered.options)
    rendered = degrade(Buttons("Pick", options(14)), IG)
    assert rendered.kind == "text"
    assert len(rendered.numbered_options) == 14


def test_buttons_on_messenger():
    assert degrade(Buttons("Pick", options(3)), FB).kind == "buttons"
    assert degrade(Buttons("Pick", options(5)), FB).kind == "quick_replies"
    assert degrade(Buttons("Pick", options(20)), FB).kind == "text"


def test_colliding_short_titles_fall_back_to_a_form_that_keeps_them_apart():
    message = Buttons("Which breakfast?", (
        Option("cont", "Breakfast continental"), Option("eng", "Breakfast english"), Option("veg", "Breakfast vegan"),
    ))
    assert degrade(message, WA).kind == "buttons"  # all fit in 20 characters
    colliding = Buttons("Which room?", (
        Option("a", "Superior double room with sea view"), Option("b", "Superior double room with garden view"),
    ))
    rendered = degrade(colliding, WA)
    # 20 chars: both would read "Superior double…"; 24 chars: both "Superior double room…" -> numbered text
    assert rendered.kind == "text"
    assert "1. Superior double room with sea view" in rendered.body
    assert "2. Superior double room with garden view" in rendered.body
    assert rendered.numbered_options == colliding.options


def test_collision_as_buttons_can_be_solved_by_a_list():
    message = Buttons("Which?", (Option("a", "Reservation change A"), Option("b", "Reservation change B1"),
                                 Option("c", "Reservation change B2")))
    rendered = degrade(message, WA)
    assert rendered.kind == "list"
    assert len({o.title for o in rendered.options}) == 3


def test_identical_titles_always_become_numbered_text():
    message = Buttons("Pick", (Option("a", "Same"), Option("b", "same")))
    assert degrade(message, WA).kind == "text"
    assert degrade(message, IG).kind == "text"


def test_too_long_ids_skip_forms_that_carry_them():
    message = Buttons("Pick", (Option("x" * 230, "A"), Option("y", "B")))
    rendered = degrade(message, WA)
    assert rendered.kind == "buttons"  # 230 <= 256
    message = Buttons("Pick", (Option("x" * 230, "A"), Option("y", "B"), Option("z", "C"), Option("w", "D")))
    assert degrade(message, WA).kind == "text"  # a row id can hold 200 only


def test_buttons_body_over_1024_is_truncated_at_a_word():
    rendered = degrade(Buttons("lorem ipsum " * 200, options(2)), WA)
    assert rendered.kind == "buttons"
    assert text_length(rendered.body) <= 1024
    assert rendered.body.endswith("ipsum…") or rendered.body.endswith("lorem…")
    whatsapp_payloads(rendered, TO)


def test_long_header_and_footer_are_fitted():
    rendered = degrade(Buttons("Body", options(2), header="A header " * 10, footer="A footer " * 10), WA)
    assert text_length(rendered.header) <= 60 and text_length(rendered.footer) <= 60
    whatsapp_payloads(rendered, TO)


def test_header_and_footer_fold_into_the_body_where_unsupported():
    rendered = degrade(Buttons("Pick one", options(2), header="Spa", footer="Hotel Sol"), IG)
    assert rendered.kind == "quick_replies"
    assert rendered.header is None and rendered.footer is None
    assert rendered.body == "Spa\n\nPick one\n\nHotel Sol"


# --- degrade: lists ------------------------------------------------------------------------


def test_list_on_whatsapp():
    message = OptionList("What can we book?", "Services", (
        Option("spa", "Spa booking", "Treatments 10:00-20:00"), Option("table", "Restaurant table")),
        header="Services", footer="Hotel Sol", section_title="Wellness & food")
    rendered = degrade(message, WA)
    assert rendered.kind == "list"
    assert rendered.button_label == "Services"
    assert rendered.section_title == "Wellness & food"
    assert rendered.options[0].description == "Treatments 10:00-20:00"
    payload = whatsapp_payloads(rendered, TO)[0]
    assert payload["interactive"]["action"]["sections"][0]["rows"][0] == {
        "id": "spa", "title": "Spa booking", "description": "Treatments 10:00-20:00"}


def test_list_texts_are_fitted_to_whatsapp():
    message = OptionList("Pick", "Choose one of our many options", (
        Option("deluxe", "Deluxe suite with terrace and jacuzzi", "d" * 100),
        Option("std", "Standard double with city view", "words " * 30),
        Option("family", "Family room for four people", None),
    ), section_title="s" * 40)
    rendered = degrade(message, WA)
    assert rendered.kind == "list"
    assert [o.title for o in rendered.options] == [
        "Deluxe suite with…", "Standard double with…", "Family room for four…"]
    assert all(text_length(o.title) <= 24 for o in rendered.options)
    assert text_length(rendered.options[0].description) == 72
    assert rendered.options[1].description.endswith("words…")
    assert rendered.options[2].description is None
    assert rendered.button_label == "Choose one of our…"
    assert text_length(rendered.section_title) <= 24
    whatsapp_payloads(rendered, TO)


def test_list_titles_that_collide_once_shortened_become_numbered_text():
    message = OptionList("Pick", "Rooms", options(3, "A very long room type name number {}"))
    rendered = degrade(message, WA)
    assert rendered.kind == "text"
    assert "3. A very long room type name number 3" in rendered.body


def test_list_section_title_defaults_to_the_label():
    rendered = degrade(OptionList("Pick", "Rooms", options(2)), WA)
    assert rendered.section_title == "Rooms"


def test_twelve_rows_become_numbered_text_on_whatsapp():
    message = OptionList("Which room would you like?", "Rooms", options(12, "Room type {}", "with breakfast"))
    rendered = degrade(message, WA)
    assert rendered.kind == "text"
    assert rendered.numbered_options == message.options
    assert rendered.options == message.options
    lines = rendered.body.split("\n")
    assert lines[0] == "Which room would you like?"
    assert lines[2] == "1. Room type 1 – with breakfast"
    assert lines[-1] == "12. Room type 12 – with breakfast"
    payload = whatsapp_payloads(rendered, TO)
    assert payload[0]["type"] == "text"
    assert resolve_reply("12", rendered.numbered_options).id == "opt12"


def test_ten_rows_stay_a_list_and_eleven_do_not():
    assert degrade(OptionList("Pick", "Rooms", options(10)), WA).kind == "list"
    assert degrade(OptionList("Pick", "Rooms", options(11)), WA).kind == "text"


def test_lists_become_quick_replies_on_instagram_and_numbered_text_beyond_13():
    rendered = degrade(OptionList("Pick", "Rooms", options(13, "Superior room {}", "desc")), IG)
    assert rendered.kind == "quick_replies"
    assert len(rendered.options) == 13
    assert all(o.description is None for o in rendered.options)
    rendered = degrade(OptionList("Pick", "Rooms", options(14)), IG)
    assert rendered.kind == "text"
    assert len(rendered.numbered_options) == 14
    assert "14. Room type 14" in rendered.body
    assert len(rendered.body.encode("utf-8")) <= 1000


def test_list_on_messenger_prefers_quick_replies():
    assert degrade(OptionList("Pick", "Rooms", options(2)), FB).kind == "quick_replies"


def test_numbered_text_places_header_first_and_footer_last():
    message = OptionList("Which room?", "Rooms", options(2), header="Upgrade", footer="Reply with a number")
    rendered = degrade(message, replace(IG, max_quick_replies=1))
    assert rendered.kind == "text"
    assert rendered.body == "Upgrade\n\nWhich room?\n\n1. Room type 1\n2. Room type 2\n\nReply with a number"


def test_numbered_text_with_a_huge_body_keeps_the_options():
    message = OptionList("blah " * 5000, "Rooms", options(12))
    rendered = degrade(message, WA)
    assert rendered.kind == "text"
    assert text_length(rendered.body) <= 4096
    assert rendered.body.endswith("12. Room type 12")
    assert "…\n\n1. Room type 1" in rendered.body


def test_numbered_text_with_many_long_options_fits():
    message = OptionList("Pick", "Rooms", options(150, "An extraordinarily long option title number {}"))
    rendered = degrade(message, IG)
    assert rendered.kind == "text"
    assert len(rendered.body.encode("utf-8")) <= 1000


# --- abstract messages --------------------------------------------------------------------


def test_abstract_messages_validate_their_content():
    with pytest.raises(ValueError):
        Text("  ")
    with pytest.raises(ValueError):
        Buttons("Body", ())
    with pytest.raises(ValueError):
        Buttons("Body", (Option("a", "A"), Option("a", "B")))
    with pytest.raises(ValueError):
        OptionList("Body", "Label", (Option("a", " "),))
    with pytest.raises(ValueError):
        Buttons("Body", ("not an option",))
    assert Buttons("Body", [Option("a", "A")]).options == (Option("a", "A"),)


def test_degrade_rejects_unknown_messages():
    with pytest.raises(TypeError):
        degrade("hello", WA)


def test_whatsapp_payloads_refuse_quick_replies():
    rendered = degrade(Buttons("Pick", options(2)), IG)
    with pytest.raises(ValueError):
        whatsapp_payloads(rendered, TO)


def test_every_whatsapp_rendering_is_accepted_by_the_builders():
    titles = ["Continue with assistant", "Yes", "Late check-out until 2 pm", "🍳 Breakfast in bed",
              "Crème brûlée dessert menu", "Habitación doble superior", "A", "Spa"]
    for count in range(1, 13):
        for kind in (Buttons, OptionList):
            opts = tuple(Option(f"id{i}", f"{titles[i % len(titles)]} {i}", "Desc " * 20) for i in range(count))
            message = Buttons("Body " * 300, opts, header="H " * 40, footer="F " * 40) if kind is Buttons else \
                OptionList("Body " * 1000, "Choose something nice", opts, header="H " * 40, footer="F " * 40)
            rendered = degrade(message, WA)
            assert rendered.kind in ("buttons", "list", "text")
            for payload in whatsapp_payloads(rendered, TO):
                assert payload["to"] == TO


# --- resolve_reply -------------------------------------------------------------------------


OPTS = (Option("ci:late:yes", "Yes, until 2 pm"), Option("agent", "Continue with assistant"),
        Option("cafe", "Café & snacks"))


@pytest.mark.parametrize("answer", ["2", "2.", "#2", " 2 ", "option 2", "Option 2", "２", "2)", "# 2", "2️⃣",
                                    "٢", "opción 2", "no. 2", "nr 2"])
def test_resolve_number_forms(answer):
    assert resolve_reply(answer, OPTS) == OPTS[1]


@pytest.mark.parametrize("answer", ["0", "4", "99", "-1", "option 0", "#4", "1000", "2 3", "2nd"])
def test_out_of_range_or_odd_numbers_give_none(answer):
    assert resolve_reply(answer, OPTS) is None


def test_resolve_by_id():
    assert resolve_reply("ci:late:yes", OPTS) == OPTS[0]
    assert resolve_reply(" agent ", OPTS) == OPTS[1]
    assert resolve_reply("AGENT", OPTS) is None  # ids are exact


def test_resolve_by_title_ignoring_case_accents_and_width():
    assert resolve_reply("continue with assistant", OPTS) == OPTS[1]
    assert resolve_reply("CAFE & SNACKS", OPTS) == OPTS[2]
    assert resolve_reply("Ｃａｆé & snacks", OPTS) == OPTS[2]
    assert resolve_reply("  yes,   until 2 pm ", OPTS) == OPTS[0]


def test_resolve_by_shortened_title():
    assert resolve_reply("Continue with…", OPTS) == OPTS[1]
    assert resolve_reply("Continue with", OPTS) == OPTS[1]
    # the rendered (already shortened) options resolve too
    rendered = degrade(Buttons("Late check-out?", OPTS), WA)
    assert resolve_reply(rendered.options[1].title, rendered.options).id == "agent"


def test_resolve_ambiguous_or_unknown_gives_none():
    opts = (Option("a", "Superior double room with sea view"), Option("b", "Superior double room with garden"))
    assert resolve_reply("Superior double…", opts) is None
    assert resolve_reply("superior double room with garden", opts) == opts[1]
    assert resolve_reply("maybe", OPTS) is None
    assert resolve_reply("", OPTS) is None
    assert resolve_reply("   ", OPTS) is None
    assert resolve_reply(None, OPTS) is None
    assert resolve_reply(2, OPTS) is None
    assert resolve_reply("2", ()) is None
    assert resolve_reply("x" * 100_000, OPTS) is None
