import { Component, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const POLL_MS = 1000;

function newGuestKey() {
    return `sim-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * A phone-shaped chat that plays the guest of a Sandbox connection. What the guest types or taps
 * goes through the same path as a Meta webhook (stored event, worker, bot, outbox); the phone shows
 * the hotel's messages as the chosen channel's capability profile rendered them.
 */
export class GuestSimulator extends Component {
    static template = "guest_messaging_bot.GuestSimulator";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.thread = useRef("thread");
        this.state = useState({
            connections: [],
            connectionId: false,
            guestKey: newGuestKey(),
            guestName: _t("Sandbox Guest"),
            messages: [],
            draft: "",
            status: false,
            sending: false,
        });
        this.lastId = 0;
        onWillStart(() => this.loadConnections());
        this.timer = setInterval(() => this.poll(), POLL_MS);
        onWillUnmount(() => clearInterval(this.timer));
    }

    get connection() {
        return this.state.connections.find((c) => c.id === this.state.connectionId);
    }

    async loadConnections() {
        this.state.connections = await this.orm.searchRead(
            "guest.channel.connection",
            [["channel_type", "=", "sandbox"]],
            ["name", "sandbox_profile"]
        );
        const fields = await this.orm.call("guest.channel.connection", "fields_get", [["sandbox_profile"]], {
            attributes: ["selection"],
        });
        const labels = Object.fromEntries(fields.sandbox_profile.selection);
        for (const connection of this.state.connections) {
            connection.profileLabel = labels[connection.sandbox_profile] || connection.sandbox_profile;
        }
        this.state.connectionId = this.state.connections[0]?.id || false;
    }

    async poll() {
        if (!this.state.connectionId || this.polling) {
            return;
        }
        this.polling = true;
        try {
            const result = await this.orm.call("guest.channel.connection", "sandbox_poll", [
                this.state.connectionId,
                this.state.guestKey,
                this.lastId,
            ]);
            this.state.status = result.status_label;
            for (const message of result.messages) {
                this.lastId = Math.max(this.lastId, message.id);
                this.state.messages.push(message);
            }
            if (result.messages.length) {
                this.scrollToEnd();
            }
        } finally {
            this.polling = false;
        }
    }

    scrollToEnd() {
        requestAnimationFrame(() => {
            const el = this.thread.el;
            if (el) {
                el.scrollTop = el.scrollHeight;
            }
        });
    }

    async send({ text = null, replyId = null } = {}) {
        if (!this.state.connectionId || this.state.sending || (!text && !replyId)) {
            return;
        }
        this.state.sending = true;
        try {
            await this.orm.call("guest.channel.connection", "sandbox_send", [
                this.state.connectionId,
                this.state.guestKey,
            ], { text, reply_id: replyId, guest_name: this.state.guestName });
        } finally {
            this.state.sending = false;
        }
    }

    async sendDraft() {
        const text = this.state.draft.trim();
        if (text) {
            this.state.draft = "";
            await this.send({ text });
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && !ev.shiftKey) {
            ev.preventDefault();
            this.sendDraft();
        }
    }

    tap(option) {
        this.send({ replyId: option.id });
    }

    newGuest() {
        this.state.guestKey = newGuestKey();
        this.state.messages = [];
        this.state.status = false;
        this.lastId = 0;
    }

    onConnectionChange(ev) {
        this.state.connectionId = parseInt(ev.target.value) || false;
        this.newGuest();
    }
}

registry.category("actions").add("guest_messaging_bot.guest_simulator", GuestSimulator);
