from . import guest_conversation
from . import hotel_reservation
from . import res_config_settings
