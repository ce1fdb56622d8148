# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Guest Messaging - Website chat",
    "summary": "Visitors of the hotel's website talk to the booking bot and the team through Odoo's Live Chat",
    "version": "18.0.1.0.0",
    "category": "Hotel Management",
    "author": "Guest Messaging",
    "website": "https://github.com/guest-messaging/guest-messaging",
    "license": "AGPL-3",
    "depends": ["guest_messaging", "guest_messaging_bot", "im_livechat"],
    "external_dependencies": {"python": ["guestmsg"]},
    "data": [
        "security/ir.model.access.csv",
        "views/guest_channel_connection_views.xml",
    ],
    "demo": ["demo/guest_messaging_livechat_demo.xml"],
    "assets": {
        "im_livechat.assets_embed_core": ["guest_messaging_livechat/static/src/embed/**/*"],
        "web.assets_tests": ["guest_messaging_livechat/static/tests/tours/**/*"],
    },
    "installable": True,
}
