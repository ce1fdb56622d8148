import { Component, onWillUnmount, useState } from "@odoo/owl";
import { loadJS } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

export const FB_SDK_URL = "https://connect.facebook.net/en_US/sdk.js";

/**
 * The data Meta's popup posts while it runs (WA_EMBEDDED_SIGNUP), or null for any other message.
 * Only messages from a facebook.com origin are read.
 */
export function readSignupMessage(event) {
    let origin;
    try {
        origin = new URL(event.origin).hostname;
    } catch {
        return null;
    }
    if (origin !== "facebook.com" && !origin.endsWith(".facebook.com")) {
        return null;
    }
    let data = event.data;
    if (typeof data === "string") {
        try {
            data = JSON.parse(data);
        } catch {
            return null;
        }
    }
    return data && data.type === "WA_EMBEDDED_SIGNUP" ? data : null;
}

/**
 * "Connect with Meta" on a connection form: opens Meta's login popup through the Facebook JS SDK and
 * hands the code it returns, with what the popup reported, to complete_embedded_signup on the server.
 */
export class MetaConnectButton extends Component {
    static template = "guest_messaging.MetaConnectButton";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ busy: false });
        this.session = null;
        this.onMessage = (event) => {
            const message = readSignupMessage(event);
            if (message) {
                this.session = message;
            }
        };
        window.addEventListener("message", this.onMessage);
        onWillUnmount(() => window.removeEventListener("message", this.onMessage));
    }

    async loadSdk(config) {
        if (!window.FB) {
            await loadJS(FB_SDK_URL);
        }
        window.FB.init({ appId: config.app_id, autoLogAppEvents: true, xfbml: false, version: config.graph_version });
        return window.FB;
    }

    login(FB, config) {
        const extras = config.login_extras || {};
        return new Promise((resolve) => {
            FB.login((response) => resolve(response), {
                config_id: config.config_id,
                response_type: "code",
                override_default_response_type: true,
                extras,
            });
        });
    }

    async onClick() {
        const record = this.props.record;
        if (this.state.busy || !(await record.save())) {
            return;
        }
        this.state.busy = true;
        try {
            const config = await this.orm.call(record.resModel, "get_embedded_signup_config", [[record.resId]]);
            if (!config.app_id || !config.config_id) {
                this.notification.add(
                    _t("Set the Meta App ID and the Embedded Signup configuration ID in Settings first."),
                    { type: "warning" }
                );
                return;
            }
            let FB;
            try {
                FB = await this.loadSdk(config);
            } catch {
                this.notification.add(_t("Meta's login could not be loaded. Check the connection and retry."), {
                    type: "danger",
                });
                return;
            }
            this.session = null;
            const response = await this.login(FB, config);
            const code = response && response.authResponse && response.authResponse.code;
            if (!code) {
                const step = this.session?.data?.current_step;
                this.notification.add(
                    step
                        ? _t("Meta's window was closed at step %s. Nothing was changed.", step)
                        : _t("Meta's window was closed before the end. Nothing was changed."),
                    { type: "info" }
                );
                return;
            }
            const result = await this.orm.call(record.resModel, "complete_embedded_signup", [
                [record.resId],
                code,
                this.session ? this.session.data || {} : {},
            ]);
            this.notification.add(result.message, {
                type: result.state === "connected" ? "success" : "danger",
                sticky: result.state !== "connected",
            });
            await record.load();
        } finally {
            this.state.busy = false;
        }
    }
}

export const metaConnectButton = {
    component: MetaConnectButton,
};

registry.category("view_widgets").add("guest_meta_connect", metaConnectButton);
