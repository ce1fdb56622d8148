# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Guest Messaging - Loopback test channel",
    "summary": "A channel of the tests' own: webhooks signed with a shared secret, replies posted to a URL",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "Guest Messaging",
    "website": "https://github.com/guest-messaging/guest-messaging",
    "license": "AGPL-3",
    "depends": ["guest_messaging"],
    "external_dependencies": {"python": ["guestmsg", "requests"]},
    "data": [],
    "installable": True,
}
