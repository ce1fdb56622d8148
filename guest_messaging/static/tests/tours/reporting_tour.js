import { registry } from "@web/core/registry";

/** A manager reads the overview, then opens the analysis behind a tile, as the Python test prepares it. */
registry.category("web_tour.tours").add("guest_messaging_reporting", {
    steps: () => [
        {
            content: "The overview opens on the last 30 days",
            trigger: ".o_guest_reporting .btn-primary:contains(Last 30 days)",
        },
        {
            content: "It counts the conversations of the period",
            trigger: ".o_guest_reporting_tile[data-tile='conversations'] .o_guest_reporting_value:contains(2)",
        },
        {
            content: "One of the two reached a person",
            trigger: ".o_guest_reporting_tile[data-tile='escalated'] .o_guest_reporting_value:contains(50 %)",
        },
        {
            content: "The table lists the channel",
            trigger: ".o_guest_reporting_channels td:contains(Sandbox)",
        },
        {
            content: "Choose the last 7 days",
            trigger: ".o_guest_reporting button:contains(Last 7 days)",
            run: "click",
        },
        {
            content: "The period changed",
            trigger: ".o_guest_reporting .btn-primary:contains(Last 7 days)",
        },
        {
            content: "Open the conversations behind their tile",
            trigger: ".o_guest_reporting_tile[data-tile='conversations']",
            run: "click",
        },
        {
            content: "The pivot of the conversations opens",
            trigger: ".o_pivot table",
        },
        {
            content: "It holds the two conversations of the period",
            trigger: ".o_pivot table td.o_pivot_cell_value:contains(2)",
        },
    ],
});
