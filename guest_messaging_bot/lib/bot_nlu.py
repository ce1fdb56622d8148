# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which NLU the bot uses: Claude Haiku when a key is configured, the offline parser otherwise."""

from guestmsg.nlu.claude import DEFAULT_MODEL, ClaudeNlu
from guestmsg.nlu.offline import OfflineNlu


class CountingNlu:
    """Passes calls through and adds up the tokens spent, so cost per booking can be reported."""

    def __init__(self, inner):
        self.inner = inner
        self.input_tokens = 0
        self.output_tokens = 0
        self.calls = 0

    def understand(self, text, now, expecting=None):
        result = self.inner.understand(text, now, expecting)
        self.calls += 1
        self.input_tokens += result.input_tokens or 0
        self.output_tokens += result.output_tokens or 0
        return result


def build_nlu(env):
    params = env["ir.config_parameter"].sudo()
    offline = OfflineNlu()
    api_key = params.get_param("guest_messaging_bot.anthropic_api_key")
    if not api_key:
        return CountingNlu(offline)
    return CountingNlu(ClaudeNlu(
        api_key=api_key,
        model=params.get_param("guest_messaging_bot.anthropic_model") or DEFAULT_MODEL,
        base_url=params.get_param("guest_messaging_bot.anthropic_base_url") or None,
        timeout=float(params.get_param("guest_messaging_bot.anthropic_timeout") or 8.0),
        fallback=offline,
    ))
