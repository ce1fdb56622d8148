import { registry } from "@web/core/registry";
import { stayDates } from "./stay_dates";

const GUEST_EMAIL = "eve.newcomer@example.com";
// the bot answers after the worker has taken the guest's message: on a busy machine, seconds
const BOT_TIMEOUT = 60000;

function guestWrites(text, afterBotSays) {
    return [
        {
            content: `The bot asks: ${afterBotSays}`,
            trigger: `.o_guest_simulator_bubble.o_from_hotel:last:contains(${afterBotSays})`,
            timeout: BOT_TIMEOUT,
        },
        {
            content: `The guest writes "${text}"`,
            trigger: ".o_guest_simulator_composer textarea:enabled",
            run: `edit ${text}`,
        },
        {
            content: "Send it",
            trigger: ".o_guest_simulator_composer button:enabled",
            run: "click",
        },
    ];
}

/** The newcomer's first ten minutes, as the README walks them: book as a guest, then work the booking. */
registry.category("web_tour.tours").add("guest_messaging_newcomer_walk", {
    steps: () => [
        {
            content: "The Guest Simulator plays the demo Sandbox connection",
            trigger: ".o_guest_simulator_header:contains(Sandbox)",
        },
        {
            content: "Say Hi",
            trigger: ".o_guest_simulator_composer textarea",
            run: "edit Hi",
        },
        {
            content: "Send it",
            trigger: ".o_guest_simulator_composer button:enabled",
            run: "click",
        },
        {
            content: "Tap Book a Stay",
            trigger: ".o_guest_simulator_bubble.o_from_hotel button:contains(Book a Stay)",
            timeout: BOT_TIMEOUT,
            run: "click",
        },
        {
            content: "The tapped button shows as the guest's message, with its title",
            trigger: ".o_guest_simulator_bubble.o_from_guest .o_guest_simulator_body:contains(Book a Stay)",
            timeout: BOT_TIMEOUT,
        },
        ...guestWrites(stayDates(40, 43), "When would you like to stay"),
        {
            content: "Choose the first room offered",
            trigger: ".o_guest_simulator_bubble.o_from_hotel:last button:enabled",
            timeout: BOT_TIMEOUT,
            run: "click",
        },
        ...guestWrites("Eve", "first name"),
        ...guestWrites("Newcomer", "last name"),
        ...guestWrites(GUEST_EMAIL, "email address"),
        {
            content: "Confirm the summary",
            trigger: ".o_guest_simulator_bubble.o_from_hotel:last button:contains(Confirm)",
            timeout: BOT_TIMEOUT,
            run: "click",
        },
        {
            content: "The bot gives the reservation's reference",
            trigger: ".o_guest_simulator_bubble.o_from_hotel:contains(R/)",
            timeout: BOT_TIMEOUT,
        },
        {
            content: "Open the Inbox",
            trigger: ".o_main_navbar a:contains(Inbox)",
            run: "click",
        },
        {
            content: "The conversation is listed under the guest's own name",
            trigger: ".o_gm_conversation .o_gm_name:contains(Eve Newcomer)",
            run: "click",
        },
        {
            content: "The thread shows what the guest tapped, by its title",
            trigger: ".o_gm_thread :contains(Book a Stay)",
        },
        {
            content: "The guest panel lists the reservation",
            trigger: ".o_gm_reservations a:contains(R/)",
        },
        {
            content: "Create Reservation",
            trigger: ".o_gm_create_reservation",
            run: "click",
        },
        {
            content: "The reservation form opens filled with the guest's contact",
            trigger: ".modal .o_form_view .o_field_widget[name=partner_id] input:value(Eve Newcomer)",
        },
        {
            content: "Close it without saving",
            trigger: ".modal .o_form_button_cancel, .modal .btn-close",
            run: "click",
        },
        {
            content: "Back in the inbox",
            trigger: ".o_gm_inbox:not(:has(.modal))",
            run() {
                window.location.href = "/odoo/action-hotel_reservation.action_hotel_reservation_tree_all";
            },
        },
        {
            content: "Hotel Management lists the booking",
            trigger: ".o_list_view .o_data_row:contains(Eve Newcomer)",
        },
    ],
});
