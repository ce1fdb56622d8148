import { registry } from "@web/core/registry";

/** A front-desk agent's shift in the inbox, as the Python test prepares it. */
registry.category("web_tour.tours").add("guest_messaging_inbox_shift", {
    steps: () => [
        {
            content: "The inbox lists the conversations",
            trigger: ".o_gm_inbox .o_gm_conversation",
        },
        {
            content: "Find the guest by phone",
            trigger: ".o_gm_search",
            run: "edit 600 555 111",
        },
        {
            content: "Only that guest is left: open the conversation",
            trigger: ".o_gm_conversations[data-count='1'] .o_gm_conversation:contains(Ana Shift)",
            run: "click",
        },
        {
            content: "The bot handles it: take over",
            trigger: ".o_gm_banner_bot .o_gm_take_over",
            run: "click",
        },
        {
            content: "The conversation is now the agent's",
            trigger: ".o_gm_thread_status:contains(Agent assigned)",
        },
        {
            content: "Type a canned response's shortcut",
            trigger: ".o_gm_input",
            run: "edit /wel",
        },
        {
            content: "Its suggestion appears; Enter inserts it",
            trigger: ".o_gm_suggestions li:contains(/welcome)",
            run: "press Enter",
        },
        {
            content: "The response is in the composer, editable",
            trigger: ".o_gm_input:value(Welcome to Hotel Shift!)",
            run: "edit Welcome to Hotel Shift! Your room is ready, Ana.",
        },
        {
            content: "Send it",
            trigger: ".o_gm_send:enabled",
            run: "click",
        },
        {
            content: "The reply shows on the right side of the thread",
            trigger: ".o_gm_row_agent .o_gm_body:contains(Your room is ready, Ana.)",
        },
        {
            content: "Write an internal note",
            trigger: ".o_gm_note_input",
            run: "edit Prefers a quiet room",
        },
        {
            content: "Save the note",
            trigger: ".o_gm_add_note:enabled",
            run: "click",
        },
        {
            content: "The note is listed for the team",
            trigger: ".o_gm_note_body:contains(Prefers a quiet room)",
        },
        {
            content: "Resolve the conversation",
            trigger: ".o_gm_resolve",
            run: "click",
        },
        {
            content: "It is resolved and the composer says why it is closed",
            trigger: ".o_gm_thread_status:contains(Resolved)",
        },
        {
            trigger: ".o_gm_composer_disabled:contains(closed)",
        },
    ],
});
