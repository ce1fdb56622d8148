import { Component, useState } from "@odoo/owl";
import { deserializeDateTime, formatDate, formatDateTime } from "@web/core/l10n/dates";
import { useService } from "@web/core/utils/hooks";

/** Right panel: who the guest is, their reservations, and the staff's internal notes. */
export class GuestPanel extends Component {
    static template = "guest_messaging.GuestPanel";
    static props = { model: Object };

    setup() {
        this.action = useService("action");
        this.orm = useService("orm");
        this.state = useState({ note: "", saving: false });
        this.inbox = useState(this.props.model.state);
    }

    get channels() {
        return this.inbox.vocabulary.channels;
    }

    get guest() {
        return this.inbox.guest;
    }

    date(value) {
        return value ? formatDate(deserializeDateTime(value)) : "";
    }

    dateTime(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    openRecord(resModel, resId) {
        this.action.doAction({ type: "ir.actions.act_window", res_model: resModel, res_id: resId,
                               views: [[false, "form"]] });
    }

    async createReservation() {
        const action = await this.orm.call("guest.conversation", "action_new_reservation", [[this.inbox.selectedId]]);
        // the new reservation (and a contact made for it) shows in the panel once the form closes
        await this.action.doAction(action, { onClose: () => this.props.model.loadGuest() });
    }

    viewProfile() {
        if (this.guest.partner) {
            this.openRecord("res.partner", this.guest.partner.id);
        } else {
            this.openRecord("guest.conversation", this.inbox.selectedId);
        }
    }

    async addNote() {
        const body = this.state.note.trim();
        if (!body || this.state.saving) {
            return;
        }
        this.state.saving = true;
        try {
            await this.props.model.addNote(body);
            this.state.note = "";
        } finally {
            this.state.saving = false;
        }
    }
}
