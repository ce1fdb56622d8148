import { reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";

const POLL_INTERVAL = 3000;
// a burst of guests becomes one reload of the list, not one per bus message
const REFRESH_DELAY = 250;

/**
 * The inbox's state and its conversation with the server (model guest.inbox).
 * Live over the bus ("guest_messaging/inbox" carries the ids of changed conversations);
 * while the bus is down the list is reloaded every 3 seconds.
 */
export class InboxModel {
    constructor({ orm, bus }) {
        this.orm = orm;
        this.bus = bus;
        this.state = reactive({
            conversations: [],
            hasMore: false,
            loading: false,
            filters: { search: "", channel: "", status: "", agent: "" },
            selectedId: null,
            thread: null,
            guest: null,
            canned: [],
            vocabulary: { channels: {}, statuses: {} },
            panel: "list",
            live: true,
        });
        this._onInbox = ({ conversation_ids: ids }) => this.refreshSoon(ids);
        this._changed = new Set();
        this._onDisconnect = () => this._setLive(false);
        this._onConnect = () => this._setLive(true);
    }

    async start() {
        this.bus.subscribe("guest_messaging/inbox", this._onInbox);
        this.bus.addEventListener("disconnect", this._onDisconnect);
        this.bus.addEventListener("reconnect", this._onConnect);
        this.bus.addEventListener("connect", this._onConnect);
        this.bus.start();
        await Promise.all([this.loadList(), this.loadCanned(), this.loadVocabulary()]);
    }

    stop() {
        this.bus.unsubscribe("guest_messaging/inbox", this._onInbox);
        this.bus.removeEventListener("disconnect", this._onDisconnect);
        this.bus.removeEventListener("reconnect", this._onConnect);
        this.bus.removeEventListener("connect", this._onConnect);
        clearInterval(this._poll);
        browser.clearTimeout(this._refreshTimer);
    }

    _setLive(live) {
        this.state.live = live;
        clearInterval(this._poll);
        if (!live) {
            this._poll = setInterval(() => this.loadList({ quiet: true }), POLL_INTERVAL);
        } else {
            this.loadList({ quiet: true });
        }
    }

    _filterArgs() {
        const { search, channel, status, agent } = this.state.filters;
        const args = {};
        if (search.trim()) {
            args.search = search.trim().slice(0, 100);
        }
        if (channel) {
            args.channel = channel;
        }
        if (status) {
            args.status = status;
        }
        if (agent) {
            args.agent = agent === "mine" || agent === "unassigned" ? agent : Number(agent);
        }
        return args;
    }

    async loadList({ quiet = false } = {}) {
        if (!quiet) {
            this.state.loading = true;
        }
        try {
            const { conversations, has_more } = await this.orm.call("guest.inbox", "load_conversations", [], {
                ...this._filterArgs(),
            });
            this.state.conversations = conversations;
            this.state.hasMore = has_more;
        } finally {
            this.state.loading = false;
        }
    }

    async loadMore() {
        const last = this.state.conversations.at(-1);
        if (!this.state.hasMore || !last || this.state.loading) {
            return;
        }
        this.state.loading = true;
        try {
            const { conversations, has_more } = await this.orm.call("guest.inbox", "load_conversations", [], {
                ...this._filterArgs(),
                before: last.cursor,
            });
            const known = new Set(this.state.conversations.map((c) => c.id));
            this.state.conversations.push(...conversations.filter((c) => !known.has(c.id)));
            this.state.hasMore = has_more;
        } finally {
            this.state.loading = false;
        }
    }

    /** Reload the rows of changed conversations (and the open one), keeping the list sorted. */
    /** Reload these rows shortly, together with those other bus messages name meanwhile. */
    refreshSoon(ids) {
        for (const id of ids || []) {
            this._changed.add(id);
        }
        if (!this._refreshTimer) {
            this._refreshTimer = browser.setTimeout(() => {
                this._refreshTimer = null;
                const changed = [...this._changed];
                this._changed.clear();
                for (let start = 0; start < changed.length; start += 100) {
                    this.refresh(changed.slice(start, start + 100));
                }
            }, REFRESH_DELAY);
        }
    }

    async refresh(ids) {
        ids = (ids || []).slice(0, 100);
        if (!ids.length) {
            return;
        }
        const { conversations } = await this.orm.call("guest.inbox", "load_conversations", [], {
            ...this._filterArgs(),
            ids,
        });
        const fresh = new Map(conversations.map((c) => [c.id, c]));
        const oldest = this.state.hasMore ? this.state.conversations.at(-1) : null;
        const rows = this.state.conversations.filter((c) => !ids.includes(c.id));
        for (const row of fresh.values()) {
            if (!oldest || compare(row, oldest) <= 0) {
                rows.push(row);
            }
        }
        rows.sort(compare);
        this.state.conversations = rows;
        if (ids.includes(this.state.selectedId)) {
            await this.loadThread();
            if (this.state.selectedId) {
                await this.orm.call("guest.inbox", "mark_read", [this.state.selectedId]);
            }
        }
    }

    async select(conversationId) {
        this.state.selectedId = conversationId;
        this.state.panel = "thread";
        await Promise.all([this.loadThread(), this.loadGuest()]);
        const row = this.state.conversations.find((c) => c.id === conversationId);
        if (row?.unread) {
            row.unread = 0;
            await this.orm.call("guest.inbox", "mark_read", [conversationId]);
        }
    }

    async loadThread() {
        const id = this.state.selectedId;
        if (!id) {
            this.state.thread = null;
            return;
        }
        const thread = await this.orm.call("guest.inbox", "load_thread", [id]);
        if (id === this.state.selectedId) {
            this.state.thread = thread;
        }
    }

    async loadEarlier() {
        const thread = this.state.thread;
        if (!thread?.has_more) {
            return;
        }
        const earlier = await this.orm.call("guest.inbox", "load_thread", [thread.conversation.id], {
            before_id: thread.messages[0].id,
        });
        thread.messages.unshift(...earlier.messages);
        thread.has_more = earlier.has_more;
    }

    async loadGuest() {
        const id = this.state.selectedId;
        const guest = id ? await this.orm.call("guest.inbox", "load_guest", [id]) : null;
        if (id === this.state.selectedId) {
            this.state.guest = guest;
        }
    }

    async loadCanned() {
        this.state.canned = await this.orm.call("guest.inbox", "load_canned_responses", []);
    }

    /** The canned response's text with its placeholders filled for the open conversation. */
    renderCanned(responseId) {
        return this.orm.call("guest.inbox", "render_canned_response", [this.state.selectedId, responseId]);
    }

    newCannedAction(text) {
        return this.orm.call("guest.inbox", "action_new_canned_response", [text]);
    }

    /** The installed channels and the statuses, labelled by the server, by code in the server's order. */
    async loadVocabulary() {
        const { channels, statuses } = await this.orm.call("guest.inbox", "load_vocabulary", []);
        this.state.vocabulary = {
            channels: Object.fromEntries(channels.map(({ code, label, icon }) => [code, { label, icon }])),
            statuses: Object.fromEntries(statuses.map(({ code, label }) => [code, label])),
        };
    }

    async act(method) {
        await this.orm.call("guest.conversation", method, [[this.state.selectedId]]);
        await this.refresh([this.state.selectedId]);
    }

    async send(body) {
        await this.orm.call("guest.conversation", "send_agent_message", [[this.state.selectedId], body]);
        await this.refresh([this.state.selectedId]);
    }

    /** Queue a failed message, or one Meta may not have received, again. */
    async resend(messageId) {
        await this.orm.call("guest.message", "action_resend", [[messageId]]);
        await this.refresh([this.state.selectedId]);
    }

    async addNote(body) {
        await this.orm.call("guest.inbox", "add_note", [this.state.selectedId, body]);
        await this.loadGuest();
    }

    async fetchMedia(messageId) {
        await this.orm.call("guest.message", "action_fetch_media", [[messageId]]);
        await this.loadThread();
    }
}

/** Most recent first, then highest id: the server's order. */
export function compare(a, b) {
    if (a.last_message_at !== b.last_message_at) {
        return (b.last_message_at || "").localeCompare(a.last_message_at || "");
    }
    return b.id - a.id;
}
