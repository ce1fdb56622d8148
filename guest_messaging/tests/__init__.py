from . import test_access_rights
from . import test_canned_response
from . import test_conversation_status
from . import test_conversation_timeouts
from . import test_guest_message
from . import test_menus
from . import test_message_template
from . import test_secret_encryption
