import { describe, expect, test } from "@odoo/hoot";
import { click } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { defineModels, fields, models, mountView, onRpc, patchWithCleanup } from "@web/../tests/web_test_helpers";

import { readSignupMessage } from "@guest_messaging/meta_connect/meta_connect";

class GuestChannelConnection extends models.Model {
    _name = "guest.channel.connection";
    name = fields.Char();
    channel_type = fields.Selection({ selection: [["whatsapp", "WhatsApp"], ["messenger", "Messenger"]] });
    state = fields.Selection({ selection: [["pending_verification", "Pending"], ["connected", "Connected"]] });
    _records = [{ id: 1, name: "WhatsApp", channel_type: "whatsapp", state: "pending_verification" }];
}

defineMailModels();
defineModels([GuestChannelConnection]);

const ARCH = `<form><header><widget name="guest_meta_connect"/></header>
    <sheet><field name="name"/><field name="channel_type"/><field name="state"/></sheet></form>`;

const FINISH = {
    type: "WA_EMBEDDED_SIGNUP", event: "FINISH",
    data: { phone_number_id: "106540352242922", waba_id: "524126980791429" },
};

/** Meta's SDK as the page sees it: the popup posts its session, then the login callback gets a code. */
function fakeFacebook({ code = "CODE-1", post = FINISH } = {}) {
    const seen = { init: [], login: [] };
    patchWithCleanup(window, {
        FB: {
            init: (options) => seen.init.push(options),
            login: (callback, options) => {
                seen.login.push(options);
                if (post) {
                    window.dispatchEvent(new MessageEvent("message", {
                        origin: "https://www.facebook.com", data: JSON.stringify(post),
                    }));
                }
                callback(code ? { authResponse: { code } } : { authResponse: null, status: "unknown" });
            },
        },
    });
    return seen;
}

describe("guest_messaging connect with Meta", () => {
    test("only facebook.com's WA_EMBEDDED_SIGNUP messages are read", () => {
        const message = (origin, data) => readSignupMessage({ origin, data });
        expect(message("https://www.facebook.com", JSON.stringify(FINISH))).toEqual(FINISH);
        expect(message("https://business.facebook.com", FINISH)).toEqual(FINISH);
        expect(message("https://facebook.com.evil.example", FINISH)).toBe(null);
        expect(message("https://evilfacebook.com", FINISH)).toBe(null);
        expect(message("null", FINISH)).toBe(null);
        expect(message("https://www.facebook.com", "{not json")).toBe(null);
        expect(message("https://www.facebook.com", { type: "OTHER" })).toBe(null);
    });

    test("the code and the popup's session go to complete_embedded_signup", async () => {
        const seen = fakeFacebook();
        onRpc("get_embedded_signup_config", ({ args }) => {
            expect.step(`config for ${JSON.stringify(args)}`);
            return { app_id: "1000", config_id: "777", graph_version: "v21.0", login_extras: { setup: {} } };
        });
        onRpc("complete_embedded_signup", ({ args }) => {
            expect.step(JSON.stringify(args));
            return { state: "connected", message: "WhatsApp is connected." };
        });
        await mountView({ type: "form", resModel: "guest.channel.connection", resId: 1, arch: ARCH });
        await click(".o_guest_meta_connect");
        await animationFrame();
        expect.verifySteps(["config for [[1]]", JSON.stringify([[1], "CODE-1", FINISH.data])]);
        expect(seen.init[0]).toEqual({ appId: "1000", autoLogAppEvents: true, xfbml: false, version: "v21.0" });
        expect(seen.login[0]).toEqual({ config_id: "777", response_type: "code",
                                        override_default_response_type: true, extras: { setup: {} } });
        expect(".o_notification").toHaveText("WhatsApp is connected.");
    });

    test("closing Meta's window calls nothing on the server", async () => {
        fakeFacebook({ code: null, post: { type: "WA_EMBEDDED_SIGNUP", event: "CANCEL",
                                          data: { current_step: "PHONE_NUMBER_SETUP" } } });
        onRpc("get_embedded_signup_config", () => ({ app_id: "1000", config_id: "777", graph_version: "v21.0" }));
        onRpc("complete_embedded_signup", () => expect.step("called"));
        await mountView({ type: "form", resModel: "guest.channel.connection", resId: 1, arch: ARCH });
        await click(".o_guest_meta_connect");
        await animationFrame();
        expect.verifySteps([]);
        expect(".o_notification").toHaveText(/closed at step PHONE_NUMBER_SETUP/);
    });

    test("without the platform app in Settings the popup does not open", async () => {
        const seen = fakeFacebook();
        onRpc("get_embedded_signup_config", () => ({ app_id: false, config_id: false, graph_version: "v21.0" }));
        await mountView({ type: "form", resModel: "guest.channel.connection", resId: 1, arch: ARCH });
        await click(".o_guest_meta_connect");
        await animationFrame();
        expect(seen.login).toEqual([]);
        expect(".o_notification").toHaveText(/Settings first/);
    });
});
