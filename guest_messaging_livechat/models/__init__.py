from . import guest_channel_connection
from . import guest_conversation
from . import guest_message
from . import guest_webhook_event
from . import guest_livechat_rate
from . import discuss_channel
from . import im_livechat_channel
from . import mail_message
