import { describe, expect, test } from "@odoo/hoot";
import { click, edit, keyDown, press, queryAllTexts } from "@odoo/hoot-dom";
import { advanceTime, animationFrame } from "@odoo/hoot-mock";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { mountWithCleanup } from "@web/../tests/web_test_helpers";

import { Composer } from "@guest_messaging/inbox/composer";
import { ConversationList } from "@guest_messaging/inbox/conversation_list";
import { InboxModel, compare } from "@guest_messaging/inbox/inbox_model";
import { Thread } from "@guest_messaging/inbox/thread";

defineMailModels();

const CANNED = [
    { id: 1, title: "Welcome", shortcut: "/welcome", category: "Arrival", content: "Welcome to the hotel!" },
    { id: 2, title: "Wifi", shortcut: "/wifi", category: "Stay", content: "The wifi password is on your key card." },
    { id: 3, title: "Check-out", shortcut: "/checkout", category: "Stay", content: "Check-out is at 11 am." },
];

const VOCABULARY = {
    channels: [
        { code: "whatsapp", label: "WhatsApp", icon: "fa-whatsapp" },
        { code: "instagram", label: "Instagram", icon: "fa-instagram" },
        { code: "messenger", label: "Messenger", icon: "fa-facebook" },
        { code: "sandbox", label: "Sandbox", icon: "fa-flask" },
    ],
    statuses: [
        { code: "bot_handling", label: "Bot handling" },
        { code: "awaiting_agent", label: "Awaiting agent" },
        { code: "agent_assigned", label: "Agent assigned" },
        { code: "resolved", label: "Resolved" },
        { code: "expired", label: "Expired" },
    ],
};

function row(id, at, extra = {}) {
    return { id, name: `Guest ${id}`, phone: "", channel: "whatsapp", status: "bot_handling", agent: false,
             last_message_at: at, preview: `Preview ${id}`, unread: 0, cursor: [at, id], ...extra };
}

/** A stand-in for the orm service: answers guest.inbox calls from a list and records them. */
function fakeOrm(rows, messages = [], vocabulary = VOCABULARY) {
    const calls = [];
    return {
        calls,
        async call(model, method, args, kwargs = {}) {
            calls.push({ model, method, args, kwargs });
            if (method === "load_conversations") {
                const found = kwargs.ids ? rows.filter((r) => kwargs.ids.includes(r.id)) : rows;
                return { conversations: found.map((r) => ({ ...r })), has_more: false };
            }
            if (method === "load_vocabulary") {
                return structuredClone(vocabulary);
            }
            if (method === "load_thread") {
                const found = rows.find((r) => r.id === args[0]);
                return { conversation: { closed: false, ...found, may: {} },
                         messages: messages.map((m) => ({ ...m })), has_more: false };
            }
            if (method === "action_resend") {
                for (const message of messages.filter((m) => args[0].includes(m.id))) {
                    Object.assign(message, { status: "queued", error: "", can_resend: false });
                }
            }
            return method === "load_canned_responses" ? CANNED : true;
        },
    };
}

const fakeBus = {
    subscribe() {}, unsubscribe() {}, addEventListener() {}, removeEventListener() {}, start() {},
};

describe("guest_messaging composer", () => {
    test("a slash and letters suggest canned responses; Enter inserts one for editing", async () => {
        const sent = [];
        await mountWithCleanup(Composer, { props: { canned: CANNED, onSend: (body) => sent.push(body) } });
        await click(".o_gm_input");
        await edit("/w");
        await animationFrame();
        expect(queryAllTexts(".o_gm_suggestions li strong")).toEqual(["/welcome", "/wifi"]);
        await press("ArrowDown");
        await press("Enter");
        await animationFrame();
        expect(".o_gm_input").toHaveValue("The wifi password is on your key card.");
        expect(sent).toEqual([], { message: "inserting never sends" });
        expect(".o_gm_suggestions").toHaveCount(0);
    });

    test("Enter sends, Shift+Enter does not", async () => {
        const sent = [];
        await mountWithCleanup(Composer, { props: { canned: CANNED, onSend: (body) => sent.push(body) } });
        await click(".o_gm_input");
        await edit("Hello Ana");
        await keyDown("Shift+Enter");
        expect(sent).toEqual([]);
        await press("Enter");
        await animationFrame();
        expect(sent).toEqual(["Hello Ana"]);
        expect(".o_gm_input").toHaveValue("");
    });

    test("the picker lists responses by category", async () => {
        await mountWithCleanup(Composer, { props: { canned: CANNED, onSend: () => {} } });
        await click(".o_gm_canned_button");
        await animationFrame();
        expect(queryAllTexts(".o_gm_canned_menu .dropdown-header")).toEqual(["Arrival", "Stay"]);
        await click(".o_gm_canned_menu .dropdown-item:contains(Check-out)");
        await animationFrame();
        expect(".o_gm_input").toHaveValue("Check-out is at 11 am.");
    });

    test("a picked response is inserted with the conversation's values, editable before sending", async () => {
        const sent = [];
        const rendered = [];
        await mountWithCleanup(Composer, {
            props: {
                canned: [{ ...CANNED[0], content: "Welcome {guest_name}!" }],
                onSend: (body) => sent.push(body),
                renderCanned: async (response) => {
                    rendered.push(response.id);
                    return "Welcome Ana!";
                },
            },
        });
        await click(".o_gm_input");
        await edit("/wel");
        await press("Enter");
        await animationFrame();
        expect(rendered).toEqual([1]);
        expect(".o_gm_input").toHaveValue("Welcome Ana!");
        expect(sent).toEqual([]);
        await edit("Welcome Ana, see you soon!");
        await press("Enter");
        await animationFrame();
        expect(sent).toEqual(["Welcome Ana, see you soon!"]);
    });

    test("a manager saves the typed reply as a canned response from the picker", async () => {
        const saved = [];
        await mountWithCleanup(Composer, {
            props: { canned: CANNED, onSend: () => {}, onSaveCanned: (text) => saved.push(text) },
        });
        await click(".o_gm_canned_button");
        await animationFrame();
        expect(".o_gm_save_canned").toHaveCount(0, { message: "nothing typed, nothing to save" });
        await click(".o_gm_input");
        await edit("  See you at {check_in}  ");
        await click(".o_gm_canned_button");
        await animationFrame();
        await click(".o_gm_save_canned");
        expect(saved).toEqual(["See you at {check_in}"]);
    });

    test("outside the window the composer says why instead of offering a box", async () => {
        await mountWithCleanup(Composer, {
            props: { canned: CANNED, onSend: () => {}, disabledReason: "The guest last wrote more than 24 hours ago" },
        });
        expect(".o_gm_input").toHaveCount(0);
        expect(".o_gm_composer_disabled").toHaveText("The guest last wrote more than 24 hours ago");
    });
});

describe("guest_messaging conversation list", () => {
    test("rows show status dot, channel, preview and unread badge, most recent first", async () => {
        const orm = fakeOrm([
            row(3, "2026-11-25 10:00:00", { unread: 2, status: "awaiting_agent" }),
            row(2, "2026-11-25 09:00:00", { status: "agent_assigned" }),
            row(1, "2026-11-24 09:00:00", { status: "resolved" }),
        ]);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        await mountWithCleanup(ConversationList, { props: { model } });
        expect(queryAllTexts(".o_gm_name")).toEqual(["Guest 3", "Guest 2", "Guest 1"]);
        expect(".o_gm_conversation:first .o_gm_status_dot").toHaveClass("o_gm_status_awaiting_agent");
        expect(".o_gm_conversation:first .o_gm_unread").toHaveText("2");
        expect(".o_gm_unread").toHaveCount(1);
        expect(".o_gm_conversation:eq(1) .o_gm_status_dot").toHaveAttribute("aria-label", "Agent assigned");
    });

    test("arrow keys move through the list and open the conversation; opening clears its badge", async () => {
        const orm = fakeOrm([row(2, "2026-11-25 09:00:00", { unread: 1 }), row(1, "2026-11-24 09:00:00")]);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        await mountWithCleanup(ConversationList, { props: { model } });
        await click(".o_gm_conversations");
        await press("ArrowDown");
        await animationFrame();
        expect(".o_gm_conversation:first").toHaveAttribute("aria-selected", "true");
        expect(".o_gm_unread").toHaveCount(0);
        expect(orm.calls.filter((c) => c.method === "mark_read").map((c) => c.args)).toEqual([[2]]);
        await press("ArrowDown");
        await animationFrame();
        expect(".o_gm_conversation:eq(1)").toHaveAttribute("aria-selected", "true");
    });

    test("the filters, dots and icons speak the server's vocabulary, in its order", async () => {
        const vocabulary = {
            channels: [
                { code: "whatsapp", label: "WhatsApp (es)", icon: "fa-whatsapp" },
                { code: "telegram", label: "Telegram", icon: "fa-comment" },
            ],
            statuses: [
                { code: "bot_handling", label: "Con el bot" },
                { code: "resolved", label: "Resuelta" },
            ],
        };
        const orm = fakeOrm([row(1, "2026-11-24 09:00:00", { channel: "telegram", status: "resolved" })], [],
                            vocabulary);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        await mountWithCleanup(ConversationList, { props: { model } });
        expect(orm.calls.filter((c) => c.method === "load_vocabulary").length).toBe(1);
        expect(queryAllTexts(".o_gm_filter_channel option")).toEqual(["All channels", "WhatsApp (es)", "Telegram"]);
        expect(queryAllTexts(".o_gm_filter_status option")).toEqual(["All statuses", "Con el bot", "Resuelta"]);
        expect(".o_gm_conversation .o_gm_status_dot").toHaveAttribute("aria-label", "Resuelta");
        expect(".o_gm_conversation i.fa-comment").toHaveAttribute("title", "Telegram");
    });

    test("Mine is one click away", async () => {
        const orm = fakeOrm([row(1, "2026-11-24 09:00:00")]);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        await mountWithCleanup(ConversationList, { props: { model } });
        await click(".o_gm_filter_mine");
        await animationFrame();
        expect(orm.calls.at(-1).kwargs).toEqual({ agent: "mine" });
        expect(".o_gm_filter_mine").toHaveAttribute("aria-pressed", "true");
    });
});

describe("guest_messaging inbox model", () => {
    test("rows sort like the server: last message, then id", () => {
        const rows = [row(1, "2026-11-24 09:00:00"), row(3, "2026-11-25 09:00:00"), row(2, "2026-11-25 09:00:00")];
        expect(rows.sort(compare).map((r) => r.id)).toEqual([3, 2, 1]);
    });

    test("a bus notification moves a conversation with a new message to the top", async () => {
        const server = [row(2, "2026-11-25 09:00:00"), row(1, "2026-11-24 09:00:00")];
        const model = new InboxModel({ orm: fakeOrm(server), bus: fakeBus });
        await model.start();
        server[1].last_message_at = "2026-11-25 11:00:00";
        server[1].preview = "New message";
        await model.refresh([1]);
        expect(model.state.conversations.map((c) => [c.id, c.preview])).toEqual([[1, "New message"], [2, "Preview 2"]]);
    });

    test("a burst of bus messages reloads the rows they name once, together", async () => {
        const server = [row(3, "2026-11-25 09:00:00"), row(2, "2026-11-25 08:00:00"), row(1, "2026-11-24 09:00:00")];
        const orm = fakeOrm(server);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        const before = orm.calls.length;
        server[2].last_message_at = "2026-11-25 12:00:00";
        model._onInbox({ conversation_ids: [1] });
        model._onInbox({ conversation_ids: [2, 1] });
        model._onInbox({ conversation_ids: [3] });
        expect(orm.calls.length).toBe(before);
        await advanceTime(300);
        await animationFrame();
        const reloads = orm.calls.slice(before).filter((c) => c.method === "load_conversations");
        expect(reloads.map((c) => c.kwargs.ids)).toEqual([[1, 2, 3]]);
        expect(model.state.conversations[0].id).toBe(1);
    });
});

describe("guest_messaging thread", () => {
    test("the header names channel and status from the vocabulary; a closed conversation says so", async () => {
        const orm = fakeOrm([row(1, "2026-11-25 10:01:00", { status: "expired", closed: true })]);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        await model.select(1);
        await mountWithCleanup(Thread, { props: { model } });
        expect(".o_gm_thread_header .fa-whatsapp").toHaveCount(1);
        expect(".o_gm_thread_status").toHaveText("Expired");
        expect(".o_gm_composer_disabled").toHaveText(
            "This conversation is closed. It starts again with the bot when the guest writes.");
    });

    test("a message Meta may not have received says so and offers Resend, which queues it again", async () => {
        const messages = [
            { id: 7, direction: "outbound", author_type: "agent", author: "Marc", body: "Your room is ready",
              type: "text", status: "uncertain", can_resend: true, at: "2026-11-25 10:00:00", has_media: false,
              attachment: false, error: "Meta may or may not have received this message (sending was interrupted)." },
            { id: 8, direction: "outbound", author_type: "agent", author: "Marc", body: "See you soon",
              type: "text", status: "sent", can_resend: false, at: "2026-11-25 10:01:00", has_media: false,
              attachment: false, error: "" },
        ];
        const orm = fakeOrm([row(1, "2026-11-25 10:01:00")], messages);
        const model = new InboxModel({ orm, bus: fakeBus });
        await model.start();
        await model.select(1);
        await mountWithCleanup(Thread, { props: { model } });
        expect(".o_gm_row:first .fa-question-circle").toHaveAttribute("aria-label", "Maybe not delivered");
        expect(".o_gm_row:first .o_gm_error").toHaveText(
            "Meta may or may not have received this message (sending was interrupted).");
        expect(".o_gm_resend").toHaveCount(1);
        await click(".o_gm_row:first .o_gm_resend");
        await animationFrame();
        expect(orm.calls.filter((c) => c.method === "action_resend").map((c) => [c.model, c.args]))
            .toEqual([["guest.message", [[7]]]]);
        expect(".o_gm_resend").toHaveCount(0);
        expect(".o_gm_error").toHaveCount(0);
        expect(".o_gm_row:first .fa-clock-o").toHaveAttribute("aria-label", "Queued");
    });
});
