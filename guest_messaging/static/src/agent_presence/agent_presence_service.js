import { reactive } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { session } from "@web/session";

export const AGENT_STATUSES = [
    { id: "online", label: _t("Online"), hint: _t("Receive new conversations") },
    { id: "away", label: _t("Away"), hint: _t("Keep your conversations, get no new ones") },
    { id: "offline", label: _t("Offline"), hint: _t("Not available; your conversations stay yours") },
];

/**
 * The current agent's presence (online / away / offline) and the bus messages that concern
 * them: a conversation assigned to them, or one waiting with nobody free to take it.
 */
export const agentPresenceService = {
    dependencies: ["action", "bus_service", "notification", "orm"],
    start(env, { action, bus_service: bus, notification, orm }) {
        const initial = session.guest_messaging_agent;
        const state = reactive({
            isAgent: Boolean(initial),
            status: initial?.status || "offline",
            active: initial?.active || 0,
            max: initial?.max || 0,
        });
        if (!state.isAgent) {
            return state;
        }

        function openConversation(conversationId) {
            return action.doAction({
                type: "ir.actions.act_window",
                res_model: "guest.conversation",
                res_id: conversationId,
                views: [[false, "form"]],
            });
        }

        Object.assign(state, {
            async setStatus(status) {
                const presence = await orm.call("res.users", "guest_set_agent_status", [status]);
                Object.assign(state, presence);
            },
            openConversation,
        });

        bus.subscribe("guest_messaging/conversation_assigned", (conversation) => {
            state.active += 1;
            const close = notification.add(conversation.preview || _t("Open it to reply."), {
                title: _t("%s is yours", conversation.guest_name),
                type: "info",
                buttons: [
                    {
                        name: _t("Open"),
                        primary: true,
                        onClick: () => {
                            close();
                            openConversation(conversation.id);
                        },
                    },
                ],
            });
        });
        bus.subscribe("guest_messaging/conversation_waiting", (conversation) => {
            const close = notification.add(conversation.preview || _t("No agent was free to take it."), {
                title: _t("%s is waiting for an agent", conversation.guest_name),
                type: "warning",
                sticky: true,
                buttons: [
                    {
                        name: _t("Claim"),
                        primary: true,
                        onClick: async () => {
                            close();
                            await orm.call("guest.conversation", "action_claim", [[conversation.id]]);
                            state.active += 1;
                            openConversation(conversation.id);
                        },
                    },
                ],
            });
        });
        bus.start();
        return state;
    },
};

registry.category("services").add("guest_messaging.agent_presence", agentPresenceService);
