# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which NLU the bot uses: Claude Haiku when a key is configured, the offline parser otherwise."""

from guestmsg.bot.dialog import GuestLimitReached
from guestmsg.bot.nlu.claude import DEFAULT_MODEL, ClaudeNlu
from guestmsg.bot.nlu.offline import OfflineNlu


DEFAULT_MAX_LLM_CALLS_PER_HOUR = 30


class CountingNlu:
    """Passes calls through and adds up the tokens spent, so cost per booking can be reported.

    ``budget`` caps the calls to a language model (None: no cap); past it, GuestLimitReached.
    """

    def __init__(self, inner, uses_llm=False, budget=None):
        self.inner = inner
        self.uses_llm = uses_llm
        self.budget = budget
        self.input_tokens = 0
        self.output_tokens = 0
        self.calls = 0

    def understand(self, text, now, expecting=None):
        if self.uses_llm and self.budget is not None and self.calls >= self.budget:
            raise GuestLimitReached("language-model calls")
        result = self.inner.understand(text, now, expecting)
        self.calls += 1
        self.input_tokens += result.input_tokens or 0
        self.output_tokens += result.output_tokens or 0
        return result


ANTHROPIC_KEY_PARAM = "guest_messaging_bot.anthropic_api_key"


def anthropic_api_key(env):
    """The Claude API key, kept encrypted like the channels' secrets."""
    return env["guest.channel.connection"]._get_secret_param(ANTHROPIC_KEY_PARAM)


def count_param(env, key, default):
    """A count from a system parameter: ``default`` when unset or not a whole number, never below 0."""
    try:
        return max(0, int(env["ir.config_parameter"].sudo().get_param(key, default)))
    except (TypeError, ValueError):
        return default


def llm_calls_per_hour(env):
    return count_param(env, "guest_messaging_bot.max_llm_calls_per_hour", DEFAULT_MAX_LLM_CALLS_PER_HOUR)


def build_nlu(env, llm_budget=None, knowledge=None):
    """``llm_budget``: how many language-model calls this conversation may still make now; ``knowledge``:
    a callable giving the hotel's (key, question) pairs, for the model to name the one a guest asks."""
    params = env["ir.config_parameter"].sudo()
    offline = OfflineNlu()
    api_key = anthropic_api_key(env)
    if not api_key:
        return CountingNlu(offline)
    return CountingNlu(ClaudeNlu(
        api_key=api_key,
        model=params.get_param("guest_messaging_bot.anthropic_model") or DEFAULT_MODEL,
        base_url=params.get_param("guest_messaging_bot.anthropic_base_url") or None,
        timeout=float(params.get_param("guest_messaging_bot.anthropic_timeout") or 8.0),
        fallback=offline,
        knowledge=knowledge,
    ), uses_llm=True, budget=llm_budget)
