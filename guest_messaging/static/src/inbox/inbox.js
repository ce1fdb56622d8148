import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ConversationList } from "./conversation_list";
import { GuestPanel } from "./guest_panel";
import { InboxModel } from "./inbox_model";
import { Thread } from "./thread";

/** Guest Messaging > Inbox: list, thread and guest side by side; one panel at a time on a phone. */
export class Inbox extends Component {
    static template = "guest_messaging.Inbox";
    static components = { ConversationList, Thread, GuestPanel };
    static props = ["*"];

    setup() {
        this.model = new InboxModel({ orm: useService("orm"), bus: useService("bus_service") });
        this.inbox = useState(this.model.state);
        onWillStart(() => this.model.start());
        onWillUnmount(() => this.model.stop());
    }
}

registry.category("actions").add("guest_messaging.inbox", Inbox);
