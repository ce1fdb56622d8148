import { Component, useRef, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { useDebounced } from "@web/core/utils/timing";

/** Left panel: search, filters and the conversations, most recent first, paged on scroll. */
export class ConversationList extends Component {
    static template = "guest_messaging.ConversationList";
    static props = { model: Object };

    setup() {
        this.state = useState(this.props.model.state);
        this.listRef = useRef("list");
        this.search = useDebounced(() => this.props.model.loadList(), 250);
    }

    get channels() {
        return this.state.vocabulary.channels;
    }

    get statuses() {
        return this.state.vocabulary.statuses;
    }

    onSearchInput(ev) {
        this.state.filters.search = ev.target.value;
        this.search();
    }

    setFilter(name, value) {
        this.state.filters[name] = value;
        this.props.model.loadList();
    }

    toggleMine() {
        this.setFilter("agent", this.state.filters.agent === "mine" ? "" : "mine");
    }

    onScroll(ev) {
        const el = ev.target;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 80) {
            this.props.model.loadMore();
        }
    }

    onKeydown(ev) {
        const rows = this.state.conversations;
        if (!rows.length || !["ArrowDown", "ArrowUp", "Home", "End"].includes(ev.key)) {
            return;
        }
        ev.preventDefault();
        const index = rows.findIndex((c) => c.id === this.state.selectedId);
        const next = {
            ArrowDown: Math.min(rows.length - 1, index + 1),
            ArrowUp: Math.max(0, index - 1),
            Home: 0,
            End: rows.length - 1,
        }[ev.key];
        this.props.model.select(rows[next].id);
        this.listRef.el.querySelectorAll("[role=option]")[next]?.scrollIntoView({ block: "nearest" });
    }

    time(conversation) {
        if (!conversation.last_message_at) {
            return "";
        }
        const at = deserializeDateTime(conversation.last_message_at);
        const today = luxon.DateTime.now().hasSame(at, "day");
        return today ? at.toLocaleString(luxon.DateTime.TIME_SIMPLE) : formatDateTime(at, { format: "dd MMM" });
    }
}
