import { Message } from "@mail/core/common/message_model";
import { Record } from "@mail/core/common/record";

import { patch } from "@web/core/utils/patch";

patch(Message.prototype, {
    setup() {
        super.setup(...arguments);
        /** @type {{id: string, title: string, description?: string}[]} the choices the bot offered */
        this.guest_options = Record.attr([]);
    },
});
