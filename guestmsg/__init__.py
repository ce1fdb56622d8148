"""Framework-free core of Guest Messaging; nothing here imports ``odoo``.

- ``core``: the product's own rules (conversation statuses, routing, phone numbers, secrets, backoff);
- ``channels``: the channel registry, reply windows, delivery errors, the capability profiles messages are
  fitted to, and each channel's wire formats (``whatsapp``, ``meta_social``, ``sandbox``);
- ``meta``: Meta's platform (Graph API client, signatures, onboarding, tokens, connection checks, media);
- ``bot``: the booking bot's dialog and NLU;
- ``testing``: Meta's and Anthropic's APIs played on loopback for tests.
"""

__version__ = "18.0.1.0.0"
