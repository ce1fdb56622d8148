from . import test_booking_race
from . import test_bot_flow
from . import test_bot_handover
from . import test_reservation_link
from . import test_sandbox
from . import test_room_photo
from . import test_guest_identity
