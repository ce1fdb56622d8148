import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("guest_messaging_agent_status", {
    steps: () => [
        {
            content: "An agent starts offline and opens the status menu in the navbar",
            trigger: "button.o_guest_agent_status:has(.o_guest_agent_status_offline)",
            run: "click",
        },
        {
            content: "The menu tells the agent's load",
            trigger: ".o_guest_agent_status_menu .dropdown-header:contains(0 of 5 conversations)",
        },
        {
            content: "Go online",
            trigger: ".o_guest_agent_status_option_online",
            run: "click",
        },
        {
            content: "The navbar shows the agent online",
            trigger: "button.o_guest_agent_status:has(.o_guest_agent_status_online)",
        },
    ],
});
