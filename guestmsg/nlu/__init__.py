"""Understanding guest messages: intents and booking slots.

``OfflineNlu`` works without network or model; an LLM-backed NLU implements
the same ``Nlu`` protocol. Whatever an NLU returns, the dialog engine
validates before use.
"""

from guestmsg.nlu.offline import OfflineNlu, detect_language, find_escalation_keyword
from guestmsg.nlu.types import INTENTS, Nlu, NluResult

__all__ = ["INTENTS", "Nlu", "NluResult", "OfflineNlu", "detect_language", "find_escalation_keyword"]
