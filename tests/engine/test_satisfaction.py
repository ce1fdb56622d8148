"""Reading a guest's rating of the help they got."""

import pytest

from guestmsg.core import satisfaction


@pytest.mark.parametrize(("reply_id", "text", "score"), [
    ("rating:4", None, 4), ("rating:1", "whatever", 1), (None, "5", 5), (None, " 3 ", 3), (None, "4/5", 4),
    (None, "2 de 5", 2), (None, "5 stars", 5), (None, "4 estrellas", 4), (None, "⭐⭐⭐", 3),
    (None, "⭐️⭐️⭐️⭐️⭐️", 5), (None, "five", 5), (None, "cinco", 5), (None, "Trois", 3), (None, "5!", 5),
    ("book", "5", 5),
])
def test_a_tapped_or_typed_rating_is_read(reply_id, text, score):
    assert satisfaction.read_score(reply_id, text) == score


@pytest.mark.parametrize(("reply_id", "text"), [
    ("rating:0", None), ("rating:6", None), ("rating:x", None), ("rating:", None),
    (None, "2 nights"), (None, "6"), (None, "0"), (None, "⭐" * 6), (None, "I'd give you 5"), (None, ""),
    (None, None), (None, "5" * 100), (None, 5), (None, "{5}"),
])
def test_anything_else_is_no_rating(reply_id, text):
    assert satisfaction.read_score(reply_id, text) is None


def test_options_and_comments():
    assert [satisfaction.option_id(s) for s in satisfaction.SCORES] == [f"rating:{s}" for s in range(1, 6)]
    assert satisfaction.option_title(3) == "⭐⭐⭐"
    assert satisfaction.comment("  Great \n service ") == "Great service"
    assert len(satisfaction.comment("x " * 2000)) == satisfaction.MAX_COMMENT
    assert satisfaction.comment(None) == ""
