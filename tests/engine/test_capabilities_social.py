import pytest

from guestmsg.channels.whatsapp.outbound import rendered_payloads as whatsapp_payloads
from guestmsg.channels.capabilities import (
    PROFILES, Buttons, Option, OptionList, Rendered, degrade, resolve_reply, text_length,
)

WA = PROFILES["whatsapp"]
IG = PROFILES["instagram"]
FB = PROFILES["messenger"]

ROOMS = (
    Option("room:deluxe", "Deluxe double room", "Sea view, breakfast included. 180 EUR per night",
           "https://hotel.example/img/deluxe.jpg"),
    Option("room:twin", "Standard twin room", "Garden view. 120 EUR per night", "https://hotel.example/img/twin.jpg"),
    Option("room:suite", "Junior suite", "Terrace and jacuzzi. 260 EUR per night"),
)


def rooms(count, title="Room type {}", description="Sea view", image_url=None):
    return tuple(Option(f"r{i}", title.format(i), description, image_url) for i in range(1, count + 1))


# --- Option ----------------------------------------------------------------------------------


def test_option_image_is_optional_and_last():
    assert Option("a", "A").image_url is None
    assert Option("a", "A", "desc") == Option("a", "A", "desc", None)
    assert Option("a", "A", None, "https://x.example/a.jpg").image_url == "https://x.example/a.jpg"


@pytest.mark.parametrize("image_url", [42, b"https://x.example/a.jpg", ["https://x.example/a.jpg"]])
def test_option_image_must_be_text(image_url):
    with pytest.raises(ValueError, match="image of option 'a'"):
        OptionList("Pick", "Rooms", (Option("a", "A", None, image_url),))


def test_profiles_for_cards():
    assert FB.supports_generic_template and (FB.max_generic_elements, FB.generic_title_max,
                                             FB.generic_subtitle_max) == (10, 80, 80)
    # Instagram's web client does not show templates
    assert not IG.supports_generic_template


# --- Messenger: room cards ----------------------------------------------------------------------


def test_option_list_with_descriptions_becomes_cards_on_messenger():
    rendered = degrade(OptionList("Which room would you like?", "Rooms", ROOMS), FB)
    assert rendered == Rendered(kind="generic", body="Which room would you like?", options=ROOMS,
                                button_label="Select", profile="messenger")


def test_cards_are_fitted_to_the_element_limits():
    long_title = "Superior double room with a private terrace overlooking the old harbour and the sea"
    long_description = "Breakfast included.\n  Free cancellation until 48 hours before arrival, then one night."
    rendered = degrade(OptionList("Pick", "Rooms", (Option("a", long_title, long_description),
                                                    Option("b", "Twin", None, " https://x.example/t.jpg "))), FB)
    assert rendered.kind == "generic"
    first, second = rendered.options
    assert first.title == "Superior double room with a private terrace overlooking the old harbour and the…"
    assert text_length(first.title) <= 80
    assert first.description == "Breakfast included. Free cancellation until 48 hours before arrival, then one…"
    assert text_length(first.description) <= 80
    assert (second.description, second.image_url) == (None, "https://x.example/t.jpg")


def test_header_and_footer_go_into_the_question():
    rendered = degrade(OptionList("Which room?", "Rooms", ROOMS, header="Your stay", footer="Prices incl. VAT"), FB)
    assert rendered.kind == "generic"
    assert (rendered.body, rendered.header, rendered.footer) == (
        "Your stay\n\nWhich room?\n\nPrices incl. VAT", None, None)


def test_select_label_can_be_translated_and_is_fitted():
    assert degrade(OptionList("¿Qué habitación?", "Rooms", ROOMS), FB, select_label="Elegir").button_label == "Elegir"
    assert degrade(OptionList("Pick", "Rooms", ROOMS), FB,
                   select_label="Reservar esta habitación").button_label == "Reservar esta…"
    assert degrade(OptionList("Pick", "Rooms", ROOMS), FB, select_label="  ").button_label == "Select"


def test_bare_titles_stay_quick_replies_on_messenger():
    assert degrade(OptionList("Pick", "Rooms", rooms(3, description=None)), FB).kind == "quick_replies"
    # an image alone is enough for a card
    assert degrade(OptionList("Pick", "Rooms", rooms(3, description=None,
                                                     image_url="https://x.example/r.jpg")), FB).kind == "generic"


def test_an_unusable_image_is_dropped():
    rendered = degrade(OptionList("Pick", "Rooms", (Option("a", "A", "Sea view", "not a url"),
                                                    Option("b", "B", None, "ftp://x.example/b.jpg"))), FB)
    assert rendered.kind == "generic"
    assert [o.image_url for o in rendered.options] == [None, None]
    # with no usable image and no description there is nothing to show on a card
    rendered = degrade(OptionList("Pick", "Rooms", (Option("a", "A", None, "not a url"),)), FB)
    assert rendered.kind == "quick_replies"


def test_more_than_ten_cards_fall_back():
    assert degrade(OptionList("Pick", "Rooms", rooms(10)), FB).kind == "generic"
    eleven = degrade(OptionList("Pick", "Rooms", rooms(11)), FB)
    assert eleven.kind == "quick_replies" and len(eleven.options) == 11
    assert degrade(OptionList("Pick", "Rooms", rooms(14)), FB).kind == "text"


def test_titles_that_collide_at_80_are_not_cards():
    base = "Superior double room with a private terrace overlooking the old harbour and the sea"
    rendered = degrade(OptionList("Pick", "Rooms", (Option("a", base + " (north)", "x"),
                                                    Option("b", base + " (south)", "y"))), FB)
    assert rendered.kind == "text"
    assert rendered.numbered_options[0].id == "a"


def test_ids_too_long_for_a_postback_are_not_cards():
    rendered = degrade(OptionList("Pick", "Rooms", (Option("x" * 1001, "A", "desc"),)), FB)
    assert rendered.kind == "text"


def test_buttons_on_messenger_stay_a_button_template():
    rendered = degrade(Buttons("Pick", ROOMS), FB)
    assert rendered.kind == "buttons"
    assert [o.title for o in rendered.options] == ["Deluxe double room", "Standard twin room", "Junior suite"]


# --- Instagram ------------------------------------------------------------------------------------


def test_option_list_on_instagram_is_quick_replies_even_with_cards():
    rendered = degrade(OptionList("Which room?", "Rooms", ROOMS), IG)
    assert rendered.kind == "quick_replies"
    assert [(o.id, o.title, o.description, o.image_url) for o in rendered.options] == [
        ("room:deluxe", "Deluxe double room", None, None),
        ("room:twin", "Standard twin room", None, None),
        ("room:suite", "Junior suite", None, None),
    ]


def test_instagram_falls_back_to_numbered_text():
    assert degrade(OptionList("Pick", "Rooms", rooms(13)), IG).kind == "quick_replies"
    rendered = degrade(OptionList("Pick", "Rooms", rooms(14)), IG)
    assert rendered.kind == "text" and rendered.numbered_options == rooms(14)
    # "Superior double…" twice at 20 characters: not distinguishable as quick replies
    colliding = (Option("a", "Superior double room with sea view"), Option("b", "Superior double room with garden"))
    rendered = degrade(OptionList("Pick", "Rooms", colliding), IG)
    assert rendered.kind == "text"
    assert rendered.body == ("Pick\n\n1. Superior double room with sea view\n"
                             "2. Superior double room with garden")


# --- answers --------------------------------------------------------------------------------------


def test_a_tapped_card_or_a_typed_number_resolve_to_the_option():
    rendered = degrade(OptionList("Which room?", "Rooms", ROOMS), FB)
    assert resolve_reply("room:twin", rendered.options).id == "room:twin"  # postback payload
    assert resolve_reply("3", rendered.options).id == "room:suite"
    assert resolve_reply("junior suite", rendered.options).id == "room:suite"
    assert resolve_reply("Select", rendered.options) is None


def test_typed_numbers_on_instagram_numbered_text():
    rendered = degrade(OptionList("Pick", "Rooms", rooms(14)), IG)
    assert resolve_reply("14", rendered.numbered_options).id == "r14"
    assert resolve_reply("#2", rendered.numbered_options).id == "r2"
    assert resolve_reply("15", rendered.numbered_options) is None


# --- WhatsApp is unchanged --------------------------------------------------------------------------


def test_whatsapp_lists_ignore_images():
    rendered = degrade(OptionList("Which room?", "Rooms", ROOMS), WA)
    assert rendered.kind == "list"
    assert all(o.image_url is None for o in rendered.options)
    rows = whatsapp_payloads(rendered, "+34600111222")[0]["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0] == {"id": "room:deluxe", "title": "Deluxe double room",
                       "description": "Sea view, breakfast included. 180 EUR per night"}
