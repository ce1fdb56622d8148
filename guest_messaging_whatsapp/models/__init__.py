from . import guest_whatsapp_template
from . import guest_message_template
from . import guest_channel_connection
from . import guest_conversation
from . import guest_message
from . import guest_webhook_event
from . import hotel_reservation
from . import res_config_settings_template_rates
