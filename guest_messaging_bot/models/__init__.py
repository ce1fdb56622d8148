from . import guest_conversation
from . import hotel_reservation
from . import res_config_settings
from . import guest_knowledge_entry
from . import guest_bot_question
from . import guest_inbox
from . import guest_bot_escalation_keyword
