from . import guest_channel_connection
from . import guest_conversation
from . import guest_message
from . import guest_webhook_event
