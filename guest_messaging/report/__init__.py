from . import guest_conversation_report
from . import guest_message_report
