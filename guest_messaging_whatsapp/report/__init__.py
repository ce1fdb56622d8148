from . import guest_template_report
from . import guest_reporting_dashboard
