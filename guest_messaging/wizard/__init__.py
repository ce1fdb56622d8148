from . import guest_conversation_assign
