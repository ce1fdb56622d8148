from . import guest_booking_report
