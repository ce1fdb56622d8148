"""Understanding guest messages: intents and booking slots.

``OfflineNlu`` works without network or model; an LLM-backed NLU implements
the same ``Nlu`` protocol. Whatever an NLU returns, the dialog engine
validates before use. Besides the protocol (``types``), the dialog relies on
``fold``, ``find_escalation_keyword`` and the shared ``vocabulary`` of email
addresses, names and yes/no words, never on a parser's inner parts.
"""

from guestmsg.bot.nlu.escalation import find_escalation_keyword
from guestmsg.bot.nlu.language import detect_language
from guestmsg.bot.nlu.offline import OfflineNlu
from guestmsg.text import fold
from guestmsg.bot.nlu.types import INTENTS, Nlu, NluResult

__all__ = ["INTENTS", "Nlu", "NluResult", "OfflineNlu", "detect_language", "find_escalation_keyword", "fold"]
