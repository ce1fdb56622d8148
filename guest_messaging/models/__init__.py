from . import guest_queue_mixin
from . import guest_channel_connection
from . import guest_conversation
from . import guest_message
from . import guest_message_template
from . import guest_canned_response
from . import res_users
from . import guest_webhook_event
