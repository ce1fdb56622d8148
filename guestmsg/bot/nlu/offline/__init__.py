"""Offline understanding of guest messages: no network, no model.

Keyword rules find the intent; a small date grammar reads the stay (dates, nights, party) in English,
Spanish, French, German, Portuguese and Italian, and dateparser reads the date phrases the grammar does not know
("in a fortnight", "dans une semaine"). Relative dates are resolved against ``now`` in the hotel's timezone.
Key words survive small typos ("resevation", "tomorow") through an edit-distance match against a short
vocabulary.
"""

from guestmsg.bot.nlu.escalation import find_escalation_keyword
from guestmsg.bot.nlu.language import detect_language
from guestmsg.bot.nlu.offline.parser import OfflineNlu
from guestmsg.bot.nlu.offline.typos import correct_word
from guestmsg.text import fold

__all__ = ["OfflineNlu", "correct_word", "detect_language", "find_escalation_keyword", "fold"]
