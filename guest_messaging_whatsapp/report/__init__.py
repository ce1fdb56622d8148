from . import guest_template_report
