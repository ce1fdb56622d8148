"""The guest's rating of a conversation an agent resolved: the scale, and reading an answer."""

import re
import unicodedata

from guestmsg.text.numbers import NUMBER_WORDS
from guestmsg.text import fold

SCORES = (1, 2, 3, 4, 5)
REPLY_PREFIX = "rating:"  # rating:<score>, the id of a tapped option
# the star a score's option shows
STAR = "⭐"
MAX_COMMENT = 1000


def option_id(score: int) -> str:
    return f"{REPLY_PREFIX}{score}"


def option_title(score: int) -> str:
    return STAR * score


def read_score(reply_id=None, text=None):
    """The score a tapped option or a typed answer gives ("4", "4/5", "⭐⭐⭐⭐", "four"), or None.

    A typed answer must be nothing but the score: "2 nights" is not a rating.
    """
    if isinstance(reply_id, str) and reply_id.startswith(REPLY_PREFIX):
        value = reply_id[len(REPLY_PREFIX):]
        return int(value) if value.isdigit() and int(value) in SCORES else None
    if not isinstance(text, str):
        return None
    plain = unicodedata.normalize("NFKC", text).strip().lower().rstrip(".!")
    if not plain or len(plain) > 20:
        return None
    if set(plain) <= {STAR, "\ufe0f", " "} and STAR in plain:
        count = plain.count(STAR)
        return count if count in SCORES else None
    match = re.fullmatch(r"([1-5])(?:\s*(?:/|de|of|sur|von|di|su)\s*5)?(?:\s*(?:stars?|estrellas?|étoiles?|sterne?|estrelas?|stelle))?", plain)
    if match:
        return int(match.group(1))
    # a number word of the bot's six languages ("four", "cuatro", "fünf")
    score = NUMBER_WORDS.get(fold(plain).strip())
    return score if score in SCORES else None


def comment(text) -> str:
    """A comment as stored: trimmed and bounded."""
    return " ".join((text or "").split())[:MAX_COMMENT] if isinstance(text, str) else ""
