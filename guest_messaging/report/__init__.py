from . import guest_report_view
from . import guest_conversation_report
from . import guest_message_tally
from . import guest_message_report
from . import guest_reporting_dashboard
