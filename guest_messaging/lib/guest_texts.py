"""What the inbox itself writes to guests, in the guest's language.

Odoo reads an addon's catalogue (``i18n/<language>.po``) whether or not the language is installed, so each
of these is written to the guest with ``TEXT._translate(language)``. Every sentence here must be in each
catalogue of ``GUEST_LANGUAGES`` (a static test checks it).
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

GUEST_LANGUAGES = ("es", "fr", "de", "pt", "it")

OPTED_OUT = _lt("You will no longer receive notifications from us. Write START to receive them again.")
OPTED_IN = _lt("You will receive our notifications again. Write STOP to stop them.")
RATING_QUESTION = _lt("How would you rate the help you got from us? Tap a rating, from 1 star to 5.")
RATING_BUTTON = _lt("Rate")
RATING_THANKS = _lt("Thank you for your rating! If you would like to tell us more, just write it here.")
