"""How far the bot goes on its own."""

MAX_NIGHTS = 30
MAX_GUESTS = 20
MAX_YEARS_AHEAD = 2
MAX_LISTED_ROOMS = 10
MAX_LISTED_RESERVATIONS = 10
STRIKES_BEFORE_ESCALATION = 3
CONFIDENCE_FLOOR = 0.5
# when the asked dates are full: how many days earlier or later to look, and how many stays to offer
ALTERNATIVE_DAYS = 7
MAX_ALTERNATIVES = 2
