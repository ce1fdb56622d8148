import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";

/**
 * The reply box. Enter sends, Shift+Enter breaks the line. "/" and letters suggest canned
 * responses by shortcut; the picker lists them by category. A picked response is inserted for
 * editing, never sent as is, its placeholders filled by ``renderCanned`` when given. Managers may
 * save what they typed as a new canned response (``onSaveCanned``).
 */
export class Composer extends Component {
    static template = "guest_messaging.Composer";
    static components = { Dropdown, DropdownItem };
    static props = {
        canned: Array,
        disabledReason: { type: String, optional: true },
        onSend: Function,
        renderCanned: { type: Function, optional: true },
        onSaveCanned: { type: Function, optional: true },
    };

    setup() {
        this.state = useState({ text: "", sending: false, active: 0 });
        this.textarea = useRef("textarea");
        this.canSaveCanned = false;
        onWillStart(async () => {
            if (this.props.onSaveCanned) {
                this.canSaveCanned = await user.hasGroup("guest_messaging.group_manager");
            }
        });
    }

    get suggestions() {
        const match = /^\/(\S*)$/.exec(this.state.text);
        if (!match) {
            return [];
        }
        const typed = `/${match[1].toLowerCase()}`;
        return this.props.canned.filter((r) => r.shortcut.toLowerCase().startsWith(typed)).slice(0, 8);
    }

    get categories() {
        const groups = new Map();
        for (const response of this.props.canned) {
            const category = response.category || _t("Other");
            if (!groups.has(category)) {
                groups.set(category, []);
            }
            groups.get(category).push(response);
        }
        return [...groups.entries()].map(([name, responses]) => ({ name, responses }));
    }

    async insert(response) {
        this.state.active = 0;
        const text = this.props.renderCanned ? await this.props.renderCanned(response) : response.content;
        this.state.text = text;
        const el = this.textarea.el;
        if (!el) {
            return;
        }
        el.focus();
        requestAnimationFrame(() => el.setSelectionRange(el.value.length, el.value.length));
    }

    saveCanned() {
        this.props.onSaveCanned(this.state.text.trim());
    }

    onInput(ev) {
        this.state.text = ev.target.value;
        this.state.active = 0;
    }

    async onKeydown(ev) {
        const suggestions = this.suggestions;
        if (suggestions.length && ["ArrowDown", "ArrowUp"].includes(ev.key)) {
            ev.preventDefault();
            const step = ev.key === "ArrowDown" ? 1 : -1;
            this.state.active = (this.state.active + step + suggestions.length) % suggestions.length;
            return;
        }
        if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
            ev.preventDefault();
            if (suggestions.length) {
                await this.insert(suggestions[this.state.active] || suggestions[0]);
            } else {
                await this.send();
            }
        } else if (ev.key === "Escape" && suggestions.length) {
            this.state.text = "";
        }
    }

    async send() {
        const body = this.state.text.trim();
        if (!body || this.state.sending) {
            return;
        }
        this.state.sending = true;
        try {
            await this.props.onSend(body);
            this.state.text = "";
        } finally {
            this.state.sending = false;
        }
    }
}
