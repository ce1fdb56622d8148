# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Guest Messaging - Instagram and Messenger",
    "summary": "Instagram DM and Facebook Messenger channels for the Guest Messaging inbox",
    "version": "18.0.1.0.0",
    "category": "Hotel Management",
    "author": "Guest Messaging",
    "website": "https://github.com/guest-messaging/guest-messaging",
    "license": "AGPL-3",
    "depends": ["guest_messaging"],
    "external_dependencies": {"python": ["guestmsg", "requests"]},
    "data": ["views/guest_channel_connection_views.xml"],
    "installable": True,
}
