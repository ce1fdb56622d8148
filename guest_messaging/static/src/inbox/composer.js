import { Component, useRef, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";

/**
 * The reply box. Enter sends, Shift+Enter breaks the line. "/" and letters suggest canned
 * responses by shortcut; the picker lists them by category. A picked response is inserted for
 * editing, never sent as is.
 */
export class Composer extends Component {
    static template = "guest_messaging.Composer";
    static components = { Dropdown, DropdownItem };
    static props = { canned: Array, disabledReason: { type: String, optional: true }, onSend: Function };

    setup() {
        this.state = useState({ text: "", sending: false, active: 0 });
        this.textarea = useRef("textarea");
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

    insert(response) {
        this.state.text = response.content;
        this.state.active = 0;
        const el = this.textarea.el;
        el.focus();
        requestAnimationFrame(() => el.setSelectionRange(el.value.length, el.value.length));
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
                this.insert(suggestions[this.state.active] || suggestions[0]);
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
