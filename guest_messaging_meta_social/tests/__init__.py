from . import test_page_media
from . import test_page_outbox
from . import test_page_webhook
from . import test_page_channels
from . import test_page_signup
