"""Framework-free core of Guest Messaging.

Everything here runs without Odoo or a database: wire formats, capability
profiles, signature checks, the Graph API client, the dialog engine and the
NLU. The Odoo addons call into this package; nothing here imports ``odoo``.
"""

__version__ = "18.0.1.0.0"
