from . import test_website_chat_booking
from . import test_website_chat_handover
from . import test_website_chat_hostile
from . import test_website_chat_tour
