# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Guest Messaging - WhatsApp",
    "summary": "WhatsApp Cloud API channel for the Guest Messaging inbox",
    "version": "18.0.1.0.0",
    "category": "Hotel Management",
    "author": "Guest Messaging",
    "website": "https://github.com/guest-messaging/guest-messaging",
    "license": "AGPL-3",
    "depends": ["guest_messaging", "hotel_reservation"],
    "external_dependencies": {"python": ["guestmsg", "requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/guest_messaging_whatsapp_security.xml",
        "data/ir_cron_data.xml",
        "views/guest_channel_connection_views.xml",
        "views/guest_message_template_views.xml",
        "views/guest_template_report_views.xml",
        "views/res_config_settings_template_rates_views.xml",
    ],
    "demo": ["demo/guest_messaging_whatsapp_demo.xml"],
    "installable": True,
    "auto_install": False,
}
