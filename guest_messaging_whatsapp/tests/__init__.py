from . import test_disconnect
from . import test_embedded_signup
from . import test_outbox
from . import test_reservation_notifications
from . import test_template_sync
from . import test_token_refresh
from . import test_webhook
