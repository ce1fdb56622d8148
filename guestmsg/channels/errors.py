"""What a channel's platform can answer when the product calls it, whatever the platform.

The outbox and the webhook worker catch these; a platform client (Meta's Graph API client) raises
subclasses of them that carry the platform's own details.
"""


class ChannelError(Exception):
    """A failed call to a channel's platform. ``ambiguous`` when the request may have reached it (a read
    timeout on a send): sending again could deliver twice."""

    retryable = False

    def __init__(self, message, *, code=None, http_status=None, retry_after=None, ambiguous=False):
        self.message = message
        self.code = code
        self.http_status = http_status
        self.retry_after = retry_after
        self.ambiguous = ambiguous
        self.retryable = type(self).retryable
        super().__init__(message)


class ChannelTransientError(ChannelError):
    """The same call may succeed later (rate limit, outage, network)."""

    retryable = True


class ChannelCredentialError(ChannelError):
    """The platform refuses the connection's credentials: nothing works until someone reconnects."""


class ChannelPermanentError(ChannelError):
    """The platform refuses this call for good (bad recipient, content refused)."""
