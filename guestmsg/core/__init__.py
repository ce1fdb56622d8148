"""The product's own rules, whatever the channel: conversation statuses, routing to agents, phone numbers,
secrets at rest and how long a queue waits before trying again."""
