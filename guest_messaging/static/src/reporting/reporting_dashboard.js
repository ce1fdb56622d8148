import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";
import { Layout } from "@web/search/layout";


/** Guest Messaging > Reporting > Overview: the last days at a glance; every tile opens its analysis. */
export class ReportingDashboard extends Component {
    static template = "guest_messaging.ReportingDashboard";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ dashboard: null, loading: true });
        onWillStart(() => this.load(30));
    }

    async load(days) {
        this.state.loading = true;
        this.state.dashboard = await this.orm.call("guest.reporting.dashboard", "get_dashboard", [], { days });
        this.state.loading = false;
    }

    format(value, kind, currencyId) {
        if (value === null || value === undefined || value === false) {
            return "–";
        }
        switch (kind) {
            case "count":
                return formatInteger(value);
            case "percent":
                return `${formatFloat(value, { digits: [16, 0] })} %`;
            case "minutes":
                return _t("%(minutes)s min", { minutes: formatFloat(value, { digits: [16, 1] }) });
            case "rating":
                return `${formatFloat(value, { digits: [16, 1] })} / 5`;
            case "money":
                return formatMonetary(value, { currencyId, digits: [16, 2] });
        }
        return String(value);
    }

    open(tile) {
        const { res_model, name, domain, views, context } = tile.action;
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model,
            domain,
            context,
            views: views.map((type) => [false, type]),
        });
    }
}

registry.category("actions").add("guest_messaging.reporting_dashboard", ReportingDashboard);
