"""The dialog's steps, one per state: the turn looks the current state up in ``STEPS``.

``ESCALATED`` has none: a conversation handed to the team starts afresh before any step is asked.
"""

from guestmsg.bot.dialog.steps.base import BookingFlowStep, Step
from guestmsg.bot.dialog.steps.confirm import ConfirmStep
from guestmsg.bot.dialog.steps.dates import DatesStep
from guestmsg.bot.dialog.steps.escalation_offer import EscalationOfferStep
from guestmsg.bot.dialog.steps.guest import GuestEmailStep, GuestFirstNameStep, GuestLastNameStep
from guestmsg.bot.dialog.steps.manage import (
    ManageChoiceStep, ManageConfirmStep, ManageDatesStep, ManagePickStep, ManageRoomsStep,
)
from guestmsg.bot.dialog.steps.menu import MenuStep, StartStep
from guestmsg.bot.dialog.steps.rooms import NoRoomsStep, RoomsStep

STEPS = {step.state: step for step in (
    StartStep(), MenuStep(), DatesStep(), RoomsStep(), NoRoomsStep(), GuestFirstNameStep(), GuestLastNameStep(),
    GuestEmailStep(), ConfirmStep(), EscalationOfferStep(), ManagePickStep(), ManageChoiceStep(), ManageDatesStep(),
    ManageRoomsStep(), ManageConfirmStep(),
)}

__all__ = ["STEPS", "BookingFlowStep", "Step"]
