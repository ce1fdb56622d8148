from . import guest_booking_report
from . import guest_conversation_report
from . import guest_reporting_dashboard
