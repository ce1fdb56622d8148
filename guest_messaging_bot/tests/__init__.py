from . import test_reservation_link
