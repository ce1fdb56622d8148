# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Guest Messaging - Booking Bot",
    "summary": "A chat bot that searches availability and books hotel reservations inside the conversation",
    "version": "18.0.1.0.0",
    "category": "Hotel Management",
    "author": "Guest Messaging",
    "website": "https://github.com/guest-messaging/guest-messaging",
    "license": "AGPL-3",
    "depends": ["guest_messaging", "hotel_reservation"],
    "external_dependencies": {"python": ["guestmsg", "anthropic", "dateparser", "rapidfuzz"]},
    "data": [
        "security/ir.model.access.csv",
        "security/guest_messaging_bot_security.xml",
        "data/ir_config_parameter_data.xml",
        "views/hotel_reservation_views.xml",
        "views/guest_conversation_views.xml",
        "views/guest_simulator_views.xml",
        "views/res_config_settings_views.xml",
        "views/guest_knowledge_entry_views.xml",
        "views/guest_bot_question_views.xml",
        "views/guest_booking_report_views.xml",
    ],
    "demo": ["demo/guest_messaging_bot_demo.xml", "demo/guest_knowledge_demo.xml"],
    "assets": {
        "web.assets_backend": ["guest_messaging_bot/static/src/**/*"],
    },
    "installable": True,
}
