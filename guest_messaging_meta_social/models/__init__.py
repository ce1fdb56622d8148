from . import guest_conversation
from . import guest_message
from . import guest_webhook_event
