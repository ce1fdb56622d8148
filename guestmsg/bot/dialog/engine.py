"""The booking bot as a pure state machine.

``Engine.step(state, context, event)`` returns the next state, the next
context, the messages to send (capabilities.Text / Buttons / OptionList) and
the actions for the addon (Escalate, Booked, NotifyStaff). The hotel is reached
only through ``HotelServices``; the context stays JSON-serialisable.

Each state is a step in ``guestmsg.bot.dialog.steps.STEPS``; a ``Turn`` works one
event through the current state's step.

Guest text goes through the NLU, but the NLU only fills slots: the engine
validates every value, books only on the confirmation step (the Confirm
button, its number or title, or a plain yes typed there), and answers tapped
buttons, numbers picking an offered option and strict formats (YYYY-MM-DD, a
bare party size, a bare email address) without calling the NLU.
"""

from guestmsg.bot.dialog.context import GREET_NEXT, kept
from guestmsg.bot.dialog.turn import Turn
from guestmsg.bot.dialog.types import INITIAL_STATE, InboundEvent, StepResult


def default_translate(msgid: str, **params) -> str:
    """No translation; ``%(name)s`` placeholders filled as Odoo's ``_()`` does."""
    return msgid % params if params else msgid


class Engine:
    """``Engine(services, nlu, translate=None, translations=None, escalation_keywords=())``.

    ``translations(language)`` returns the ``translate(msgid, **params)`` of a language code ("es", or
    None when the guest's language is not known yet); the bot speaks the language of the conversation's
    context as it stands when each sentence is written, so a first message in Spanish is answered in
    Spanish. Without it, ``translate`` (default :func:`default_translate`) serves every language.
    ``escalation_keywords``: the hotel's own words for asking for a person, besides the built-in ones.
    """

    def __init__(self, services, nlu, translate=None, translations=None, escalation_keywords=()):
        self.services = services
        self.nlu = nlu
        fixed = translate or default_translate
        self.translations = translations or (lambda _language: fixed)
        self.escalation_keywords = tuple(escalation_keywords or ())

    @staticmethod
    def reset(context: dict | None = None) -> StepResult:
        """The initial state; only the guest's language (and details already given) survive."""
        return StepResult(INITIAL_STATE, kept(context or {}), [], [])

    @staticmethod
    def welcome_back(context: dict | None = None) -> StepResult:
        """After a person hands the guest back: the initial state, and the next reply opens with the greeting."""
        return StepResult(INITIAL_STATE, {**kept(context or {}), GREET_NEXT: True}, [], [])

    def step(self, state: str, context: dict, event: InboundEvent) -> StepResult:
        return Turn(self, state, context, event).run()
