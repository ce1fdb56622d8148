"""Meta's platform, shared by WhatsApp, Messenger and Instagram: the Graph API client, webhook signatures
and parsing helpers, Embedded Signup, token lifecycle, connection checks and the media hosts."""
