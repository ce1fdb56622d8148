import { Component, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { AGENT_STATUSES } from "./agent_presence_service";

/** The agent's Online / Away / Offline switch in the navbar. */
export class AgentStatusMenu extends Component {
    static components = { Dropdown, DropdownItem };
    static props = {};
    static template = "guest_messaging.AgentStatusMenu";

    setup() {
        this.presence = useState(useService("guest_messaging.agent_presence"));
        this.statuses = AGENT_STATUSES;
    }

    get current() {
        return this.statuses.find((s) => s.id === this.presence.status) || this.statuses[2];
    }

    get buttonLabel() {
        return _t("Guest Messaging status: %s", this.current.label);
    }

    get load() {
        return _t("%(active)s of %(max)s conversations", {
            active: this.presence.active,
            max: this.presence.max,
        });
    }

    async select(status) {
        await this.presence.setStatus(status);
    }
}

registry.category("systray").add(
    "guest_messaging.agent_status",
    {
        Component: AgentStatusMenu,
        isDisplayed: (env) => Boolean(env.services["guest_messaging.agent_presence"].isAgent),
    },
    { sequence: 45 }
);
