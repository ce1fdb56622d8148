from . import guest_conversation
from . import hotel_reservation
