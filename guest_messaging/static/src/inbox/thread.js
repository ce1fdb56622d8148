import { Component, onPatched, useRef, useState } from "@odoo/owl";
import { deserializeDateTime, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { Composer } from "./composer";

const TICKS = {
    queued: { icon: "fa-clock-o", label: _t("Queued") },
    sending: { icon: "fa-clock-o", label: _t("Sending") },
    sent: { icon: "fa-check", label: _t("Sent") },
    delivered: { icon: "fa-check o_gm_double", label: _t("Delivered") },
    read: { icon: "fa-check o_gm_double text-info", label: _t("Read") },
    failed: { icon: "fa-exclamation-triangle text-danger", label: _t("Not delivered") },
    uncertain: { icon: "fa-question-circle text-warning", label: _t("Maybe not delivered") },
};

/** Center panel: header actions, banners, the messages grouped by date, the composer. */
export class Thread extends Component {
    static template = "guest_messaging.Thread";
    static components = { Composer };
    static props = { model: Object };

    setup() {
        this.action = useService("action");
        this.ticks = TICKS;
        this.inbox = useState(this.props.model.state);
        this.scrollRef = useRef("scroll");
        this.lastMessageId = null;
        onPatched(() => this.scrollToEnd());
    }

    get channels() {
        return this.inbox.vocabulary.channels;
    }

    get statuses() {
        return this.inbox.vocabulary.statuses;
    }

    get thread() {
        return this.inbox.thread;
    }

    get conversation() {
        return this.thread?.conversation;
    }

    get days() {
        const days = [];
        for (const message of this.thread?.messages || []) {
            const label = formatDate(deserializeDateTime(message.at));
            if (!days.length || days.at(-1).label !== label) {
                days.push({ label, messages: [] });
            }
            days.at(-1).messages.push(message);
        }
        return days;
    }

    get composerBlocked() {
        const conversation = this.conversation;
        if (!conversation || conversation.may.reply) {
            return "";
        }
        if (conversation.closed) {
            return _t("This conversation is closed. It starts again with the bot when the guest writes.");
        }
        if (!conversation.in_service_window) {
            return conversation.reply_refusal || _t(
                "The guest last wrote more than 24 hours ago: Meta only accepts an approved template now, so free text cannot be sent."
            );
        }
        return _t("%s is handling this conversation.", conversation.agent?.[1] || "");
    }

    scrollToEnd() {
        const last = this.thread?.messages.at(-1)?.id;
        if (last && last !== this.lastMessageId && this.scrollRef.el) {
            this.scrollRef.el.scrollTop = this.scrollRef.el.scrollHeight;
        }
        this.lastMessageId = last;
    }

    bubbleClass(message) {
        if (message.author_type === "system") {
            return "o_gm_system";
        }
        return `o_gm_bubble o_gm_from_${message.author_type}`;
    }

    isImage(message) {
        return message.attachment?.mimetype?.startsWith("image/");
    }

    time(message) {
        return deserializeDateTime(message.at).toLocaleString(luxon.DateTime.TIME_SIMPLE);
    }

    async saveCanned(text) {
        const action = await this.props.model.newCannedAction(text);
        await this.action.doAction(action, { onClose: () => this.props.model.loadCanned() });
    }

    assign() {
        this.action.doAction("guest_messaging.guest_conversation_assign_action", {
            additionalContext: { active_model: "guest.conversation", active_ids: [this.conversation.id] },
            onClose: () => this.props.model.refresh([this.conversation.id]),
        });
    }
}
