import { registry } from "@web/core/registry";
import { stayDates } from "@guest_messaging_bot/../tests/tours/stay_dates";

const ROOT = ".o-livechat-root:shadow";
const GUEST_EMAIL = "eve.website@example.com";

/**
 * Wait until the bot's answer containing ``text`` is in the chat window. On a server the bus brings it the
 * moment the outbox posts it; tests run without the bus's websocket, so this step fetches what the bus would
 * have delivered.
 */
function botSays(text) {
    return {
        content: `The bot says: ${text}`,
        trigger: `${ROOT} .o-mail-Thread`,
        async run() {
            const livechat = odoo.__WOWL_DEBUG__.root.env.services["im_livechat.livechat"];
            for (let attempt = 0; attempt < 100; attempt++) {
                await new Promise((resolve) => setTimeout(resolve, 300));
                const thread = livechat.thread;
                if (livechat.state !== "PERSISTED" || !(thread?.id > 0) || thread.status === "loading") {
                    continue; // the session is still being created with the visitor's first message
                }
                const fetched = await thread.fetchMessages({ after: thread.newestPersistentMessage?.id });
                for (const message of fetched) {
                    if (!thread.messages.some((known) => known.eq(message))) {
                        thread.messages.push(message);
                    }
                }
                const said = (message) =>
                    String(message.body).includes(text) ||
                    (message.guest_options || []).some((option) => option.title.includes(text));
                if (thread.messages.some(said)) {
                    return;
                }
            }
            throw new Error(`The bot never said "${text}".`);
        },
    };
}

function visitorWrites(text, afterBotSays) {
    return [
        botSays(afterBotSays),
        {
            content: `The bot asks: ${afterBotSays}`,
            trigger: `${ROOT} .o-mail-Message:last:contains(${afterBotSays})`,
        },
        {
            content: `The visitor writes "${text}"`,
            trigger: `${ROOT} .o-mail-Composer-input`,
            run: `edit ${text}`,
        },
        {
            content: "Send it",
            trigger: `${ROOT} .o-mail-Composer-input`,
            run: "press Enter",
        },
    ];
}

/** A visitor of the hotel's website books a room in the chat window, with the bot's buttons. */
registry.category("web_tour.tours").add("guest_messaging_livechat_book", {
    steps: () => [
        {
            content: "Click the chat bubble",
            trigger: `${ROOT} .o-livechat-LivechatButton`,
            run: "click",
        },
        {
            content: "Say hello",
            trigger: `${ROOT} .o-mail-Composer-input`,
            run: "edit Hello",
        },
        {
            content: "Send it",
            trigger: `${ROOT} .o-mail-Composer-input`,
            run: "press Enter",
        },
        botSays("My Reservations"),
        {
            content: "The bot greets with its three choices, as buttons",
            trigger: `${ROOT} .o_guest_messaging_options:has(.o_guest_messaging_option:contains(My Reservations))`,
        },
        {
            content: "Click Book a Stay",
            trigger: `${ROOT} .o_guest_messaging_option:contains(Book a Stay)`,
            run: "click",
        },
        ...visitorWrites(stayDates(50, 52), "When would you like to stay"),
        botSays("Tour-101"),
        {
            content: "Choose the room, its price under its name",
            trigger: `${ROOT} .o_guest_messaging_option:contains(Tour-101):contains(night)`,
            run: "click",
        },
        ...visitorWrites("Eve", "first name"),
        ...visitorWrites("Website", "last name"),
        ...visitorWrites(GUEST_EMAIL, "email address"),
        botSays("Confirm"),
        {
            content: "Confirm the summary",
            trigger: `${ROOT} .o_guest_messaging_option:contains(Confirm)`,
            run: "click",
        },
        botSays("R/"),
        {
            content: "The bot gives the reservation's reference; no button is left",
            trigger: `${ROOT} .o-mail-Message:last:contains(R/)`,
            run() {
                if (this.anchor.getRootNode().querySelector(".o_guest_messaging_option")) {
                    throw new Error("The answered question's buttons are still shown.");
                }
            },
        },
    ],
});

/** The same conversation, in the inbox: the website's icon, and the reservation in the guest panel. */
registry.category("web_tour.tours").add("guest_messaging_livechat_inbox", {
    steps: () => [
        {
            content: "The website conversation is listed with the website chat's icon",
            trigger: ".o_gm_conversation:has(.fa-globe)",
            run: "click",
        },
        {
            content: "The thread shows what the visitor clicked, by its title",
            trigger: ".o_gm_thread :contains(Book a Stay)",
        },
        {
            content: "The guest panel lists the reservation",
            trigger: ".o_gm_reservations a:contains(R/)",
        },
    ],
});
