"""Guest text as the parsers read it: folded, split into words, and blanked out span by span."""

import re
import unicodedata

MAX_TEXT = 2000

_KEYCAP_MARKS = str.maketrans("", "", "\ufe0f\u20e3")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
_EMOJI_WORDS = {
    "\U0001f44d": " yes ", "\U0001f44c": " yes ", "\u2705": " yes ", "\u2714": " yes ",
    "\U0001f44e": " no ", "\u274c": " no ",
    "\U0001f44b": " hello ",
    "\U0001f64f": " thanks ",
    "\U0001f6cf": " room ", "\U0001f3e8": " hotel ",
}


def fold(text: str, emojis: bool = True) -> str:
    """Lower case without accents, emojis that mean a word turned into it, other symbols dropped."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_KEYCAP_MARKS).translate(_APOSTROPHES)
    if emojis:
        for emoji, word in _EMOJI_WORDS.items():
            text = text.replace(emoji, word)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s'/.\-:,@+]", " ", text)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The words of ``text``, an apostrophe inside a word kept ("j'ai", "that's")."""
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text)


def alternation(choices) -> str:
    """A regex alternative of the literal ``choices``, longest first so that no choice shadows a longer one."""
    return "|".join(re.escape(w) for w in sorted(set(choices), key=len, reverse=True))


def mask(text: str, start: int, end: int) -> str:
    """``text`` with ``start:end`` blanked out; positions after it do not move."""
    return text[:start] + " " * (end - start) + text[end:]


def take(pattern, text: str, handler) -> str:
    """Calls ``handler`` on each match of ``pattern`` in turn, blanking it out before looking for the next."""
    while True:
        match = pattern.search(text)
        if not match:
            return text
        handler(match)
        text = mask(text, match.start(), match.end())
