# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which NLU the bot uses: Claude Haiku when natural language is on and a key is configured, the offline
parser otherwise; and the Settings' test of the Claude configuration."""

import logging
import math
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import anthropic
from guestmsg.bot.dialog import GuestLimitReached
from guestmsg.bot.nlu.claude import DEFAULT_MODEL, ClaudeNlu
from guestmsg.bot.nlu.offline import OfflineNlu

_logger = logging.getLogger(__name__)

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
NATURAL_LANGUAGE_PARAM = "guest_messaging_bot.natural_language"
MODEL_PARAM = "guest_messaging_bot.anthropic_model"
TIMEOUT_PARAM = "guest_messaging_bot.anthropic_timeout"
BASE_URL_PARAM = "guest_messaging_bot.anthropic_base_url"  # a proxy; a system parameter only
DEFAULT_TIMEOUT = 8.0
MIN_TIMEOUT, MAX_TIMEOUT = 1.0, 60.0
# The Haiku models Settings offers, newest first (the pinned SDK's own list of model ids has them);
# any other id is typed in as "Other"
HAIKU_MODELS = (("claude-haiku-5-5", "Claude Haiku 5.5"), ("claude-haiku-4-5", "Claude Haiku 4.5"))
MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}")
OFF_VALUES = ("0", "false", "no", "off")


def anthropic_api_key(env):
    """The Claude API key, kept encrypted like the channels' secrets."""
    return env["guest.channel.connection"]._get_secret_param(ANTHROPIC_KEY_PARAM)


def _param(env, key):
    # sudo: ir.config_parameter - the bot reads its settings for an anonymous guest
    return env["ir.config_parameter"].sudo().get_param(key) or ""


def count_param(env, key, default):
    """A count from a system parameter: ``default`` when unset or not a whole number, never below 0."""
    try:
        return max(0, int(env["ir.config_parameter"].sudo().get_param(key, default)))
    except (TypeError, ValueError):
        return default


def llm_calls_per_hour(env):
    return count_param(env, "guest_messaging_bot.max_llm_calls_per_hour", DEFAULT_MAX_LLM_CALLS_PER_HOUR)


def natural_language_on(env):
    """Whether Claude may read the guests' messages (on unless Settings turned it off)."""
    return str(_param(env, NATURAL_LANGUAGE_PARAM)).strip().lower() not in OFF_VALUES


def valid_model_id(model):
    return isinstance(model, str) and bool(MODEL_ID.fullmatch(model))


def anthropic_model(env):
    """The model of Settings; the default one when unset or not shaped like a model id."""
    model = str(_param(env, MODEL_PARAM)).strip()
    return model if valid_model_id(model) else DEFAULT_MODEL


def anthropic_timeout(env):
    """Seconds Claude has to answer: the default when unset or not a number, else kept within the limits."""
    try:
        seconds = float(str(_param(env, TIMEOUT_PARAM)).strip() or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    if not math.isfinite(seconds) or seconds <= 0:
        return DEFAULT_TIMEOUT
    return min(max(seconds, MIN_TIMEOUT), MAX_TIMEOUT)


def anthropic_base_url(env):
    url = str(_param(env, BASE_URL_PARAM)).strip()
    return url if url.startswith(("https://", "http://")) else None


def build_nlu(env, llm_budget=None, knowledge=None):
    """``llm_budget``: how many language-model calls this conversation may still make now; ``knowledge``:
    a callable giving the hotel's (key, question) pairs, for the model to name the one a guest asks."""
    offline = OfflineNlu()
    api_key = anthropic_api_key(env) if natural_language_on(env) else ""
    if not api_key:
        return CountingNlu(offline)
    return CountingNlu(ClaudeNlu(
        api_key=api_key,
        model=anthropic_model(env),
        base_url=anthropic_base_url(env),
        timeout=anthropic_timeout(env),
        fallback=offline,
        knowledge=knowledge,
    ), uses_llm=True, budget=llm_budget)


@dataclass(frozen=True)
class ClaudeCheck:
    """What the Settings' Test button found: whether Claude answered, in words, and how long it took."""

    ok: bool
    message: str
    elapsed_ms: int | None = None


def check_claude(env):
    """One small Messages API call with the key, model and timeout the bot uses, told in plain words."""
    api_key = anthropic_api_key(env)
    model, timeout, base_url = anthropic_model(env), anthropic_timeout(env), anthropic_base_url(env)
    if not api_key:
        return ClaudeCheck(False, env._(
            "No Claude API key is stored: type one in and save. Until then the offline parser reads the guests' "
            "messages."))
    host = urlsplit(base_url).hostname if base_url else "api.anthropic.com"
    client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0)
    started = time.monotonic()

    def failed(message):
        return ClaudeCheck(False, message, round((time.monotonic() - started) * 1000))

    try:
        client.messages.create(model=model, max_tokens=1, messages=[{"role": "user", "content": "Hello"}])
    except anthropic.AuthenticationError:
        return failed(env._(
            "Claude refused the API key (401): it is wrong, revoked or incomplete. Copy it again from the Anthropic "
            "Console and save."))
    except anthropic.PermissionDeniedError:
        return failed(env._(
            "Claude knows the API key but does not let it use %(model)s (403): check the key's workspace and "
            "permissions in the Anthropic Console.", model=model))
    except anthropic.NotFoundError:
        return failed(env._(
            "Claude does not know the model %(model)s (404): choose one from the list or check its spelling.",
            model=model))
    except anthropic.RateLimitError:
        return failed(env._(
            "The key and the model work, but Claude is turning this key's requests away for now (429): check its "
            "rate limits and credit."))
    except anthropic.APITimeoutError:
        seconds = f"{timeout:g}"
        return failed(env._(
            "Claude did not answer within %(seconds)s seconds: the network to %(host)s is slow or blocked, or the "
            "timeout is too short.", seconds=seconds, host=host))
    except anthropic.APIConnectionError:
        return failed(env._(
            "Claude could not be reached: this server cannot open a connection to %(host)s.", host=host))
    except anthropic.APIStatusError as exc:
        return failed(env._("Claude answered with an error (%(status)s): %(reason)s",
                            status=exc.status_code, reason=_api_error_message(exc)))
    except Exception as exc:  # noqa: BLE001 - whatever failed is reported, never raised into Settings
        _logger.warning("The Claude test call failed", exc_info=True)
        return failed(env._("Claude could not be called: %(error)s", error=type(exc).__name__))
    ms = round((time.monotonic() - started) * 1000)
    return ClaudeCheck(True, env._(
        "Claude answered in %(ms)s ms with %(model)s: the key, the model and the network work.", ms=ms, model=model),
        ms)


def _api_error_message(exc):
    """The API's own words for an error, bounded."""
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message or exc.message or "")[:300]
