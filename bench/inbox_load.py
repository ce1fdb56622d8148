#!/usr/bin/env python3
"""Inbox benchmark: the server side of the conversation list on a large database.

Builds a throwaway database, fills it with N conversations and M messages
straight in SQL (names, phone numbers, statuses and times spread out), then
times, as an agent going through record rules, the calls the inbox makes:
the first page of 50, a later page, a status filter, a search by phone, a
search by name, and opening a thread; then, as a manager, the reporting
calls of Guest Messaging > Reporting over the last 30 days and its Overview.
Before timing, it settles the database as an upgrade and the hourly cron
would (the conversations' message counters, the tally of messages per
quarter hour) and prints how long that took.
The full product is installed (the five addons). Prints figures; asserts
nothing.

    python3 bench/inbox_load.py --conversations 100000 --messages 2000000
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools import odoo_runner  # noqa: E402
from devtools.scratch_odoo import ScratchOdoo  # noqa: E402

SETUP = """
from odoo.tests import new_test_user
env['guest.channel.connection'].create({
    'name': 'Bench', 'channel_type': 'whatsapp', 'setup_mode': 'manual', 'phone_number_id': '100200300401'})
new_test_user(env, login='bench_agent', groups='base.group_user,guest_messaging.group_agent')
new_test_user(env, login='bench_manager', groups='base.group_user,guest_messaging.group_manager')
env.cr.commit()
"""

FILL = """
INSERT INTO guest_conversation (connection_id, company_id, channel_type, guest_external_id, guest_name, guest_phone,
                                status, agent_id, last_message_at, last_inbound_at, last_message_preview,
                                unread_count, escalated_at, create_date, write_date, create_uid, write_uid)
SELECT c.id, c.company_id, 'whatsapp', '346' || lpad(n::text, 8, '0'),
       (ARRAY['Ana','Luis','Marta','John','Aiko','Pierre','Fatima','Olga','Chen','Lucía'])[1 + n % 10] || ' ' ||
       (ARRAY['García','Smith','Rossi','Müller','Tanaka','Dubois','Haddad','Ivanova','Wang','López'])[1 + (n / 10) % 10]
       || ' ' || n,
       '+346' || lpad(n::text, 8, '0'),
       (ARRAY['bot_handling','awaiting_agent','resolved','expired','resolved'])[1 + n % 5], NULL,
       now() at time zone 'UTC' - (n * interval '37 seconds'), now() at time zone 'UTC' - (n * interval '37 seconds'),
       'Message ' || n, n % 3,
       CASE WHEN n % 5 IN (1, 2)
            THEN now() at time zone 'UTC' - (n * interval '37 seconds') - interval '20 minutes' END,
       now() at time zone 'UTC' - (n * interval '37 seconds') - interval '30 minutes', now() at time zone 'UTC', 1, 1
  FROM generate_series(1, {conversations}) AS n, guest_channel_connection c
 WHERE c.phone_number_id = '100200300401';

INSERT INTO guest_message (conversation_id, connection_id, company_id, direction, author_type, body, message_type,
                           delivery_status, platform_message_id, create_date, write_date, create_uid, write_uid)
SELECT v.id, v.connection_id, v.company_id,
       CASE WHEN m % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
       CASE WHEN m % 2 = 0 THEN 'guest' WHEN m % 4 = 3 AND v.escalated_at IS NOT NULL THEN 'agent' ELSE 'bot' END,
       'Message ' || m, 'text', CASE WHEN m % 2 = 0 THEN 'received' ELSE 'read' END,
       'wamid.fill.' || m,
       v.last_message_at - ((m / {conversations}) * interval '1 minute'),
       v.last_message_at, 1, 1
  FROM generate_series(1, {messages}) AS m
  JOIN guest_conversation v ON v.id = (SELECT min(id) FROM guest_conversation) + (m % {conversations});
"""

SETTLE = """
import json, time
from odoo.tools import SQL
figures = {}
started = time.perf_counter()
env['guest.conversation'].search([])._recount_messages()
env.cr.commit()
figures["count the messages of every conversation again (the upgrade)"] = time.perf_counter() - started
started, runs = time.perf_counter(), 1
while env['guest.message.tally']._cron_tally_messages():
    env.cr.commit()
    runs += 1
env.cr.commit()
figures[f"tally every settled message ({runs} cron runs)"] = time.perf_counter() - started
env.cr.execute("SELECT count(*), sum(message_count) FROM guest_message_tally")
rows, counted = env.cr.fetchone()
env.cr.execute(SQL("SELECT count(*) FROM guest_message WHERE create_date >= %s",
                   env['guest.message.tally']._counted_until_sql()))
print("SETTLED " + json.dumps({"seconds": figures, "tally_rows": rows, "counted": counted,
                               "after_the_counts": env.cr.fetchone()[0]}))
"""

MEASURE = """
import datetime, json, random, statistics, time
from odoo import fields
agent = env['res.users'].search([('login', '=', 'bench_agent')])
Inbox = env['guest.inbox'].with_user(agent)
random.seed(7)
count = env['guest.conversation'].search_count([])

def timed(label, call, runs):
    times = []
    for _i in range(runs):
        env.invalidate_all()
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    figures[label] = {"p50": times[len(times) // 2], "p95": times[int(len(times) * 0.95) - 1], "max": times[-1],
                      "rows": len(result.get("conversations", result.get("messages", [])))}

figures = {}
first = Inbox.load_conversations()
cursor = Inbox.load_conversations(limit=50, before=first["conversations"][-1]["cursor"])["conversations"][-1]["cursor"]
timed("first page of 50", lambda: Inbox.load_conversations(), RUNS)
timed("a later page of 50", lambda: Inbox.load_conversations(before=cursor), RUNS)
timed("status filter (awaiting)", lambda: Inbox.load_conversations(status="awaiting_agent"), RUNS)
timed("search by phone", lambda: Inbox.load_conversations(search="+34 6%08d" % random.randint(1, count)), RUNS)
first_id = env['guest.conversation'].search([], limit=1, order='id').id
names = [env['guest.conversation'].browse(first_id + random.randint(0, count - 1)).guest_name for _i in range(RUNS)]
timed("search by name", lambda: Inbox.load_conversations(search=names.pop()), RUNS)
timed("search by name, many hits", lambda: Inbox.load_conversations(search="lucía"), RUNS)
some = env['guest.conversation'].search([], limit=1, order='id desc')
timed("open a thread (its latest messages)", lambda: Inbox.load_thread(some.id), RUNS)

manager = env['res.users'].search([('login', '=', 'bench_manager')])
last_30_days = [('date', '>=', fields.Datetime.now() - datetime.timedelta(days=30))]
Conversations = env['guest.conversation.report'].with_user(manager)
Messages = env['guest.message.report'].with_user(manager)
measures = ['escalated_rate:avg', 'bot_only_rate:avg', 'first_response_minutes:avg']
report_runs = max(3, RUNS // 6)

def groups(call):
    return lambda: {"conversations": call()}

timed("report: 30 days by channel", groups(lambda: Conversations.read_group(
    last_30_days, measures, ['channel_type'], lazy=False)), report_runs)
timed("report: 30 days by week", groups(lambda: Conversations.read_group(
    last_30_days, measures, ['date:week'], lazy=False)), report_runs)
timed("report: messages by day, direction", groups(lambda: Messages.read_group(
    last_30_days, [], ['date:day', 'direction'], lazy=False)), report_runs)
Dashboard = env['guest.reporting.dashboard'].with_user(manager)
timed("overview: the last 30 days", groups(lambda: Dashboard.get_dashboard(days=30)["tiles"]), report_runs)
timed("overview: the last 90 days", groups(lambda: Dashboard.get_dashboard(days=90)["tiles"]), report_runs)
print("FIGURES " + json.dumps(figures))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed calls per figure")
    args = parser.parse_args()
    if odoo_runner.odoo_unavailable_reason():
        sys.exit(odoo_runner.odoo_unavailable_reason())

    with ScratchOdoo("gm-bench-inbox-", "gm_bench_inbox") as odoo:
        odoo.install(*odoo_runner.ADDONS)
        odoo.shell(SETUP)
        connection = odoo.connect()
        started = time.monotonic()
        print(f"filling {args.conversations} conversations and {args.messages} messages ...", flush=True)
        with connection.cursor() as cr:
            cr.execute(FILL.format(conversations=args.conversations, messages=args.messages))
            # what autovacuum leaves on a settled database: statistics, and the visibility map that lets the
            # conversation report read messages from its index alone
            cr.execute("VACUUM ANALYZE guest_conversation")
            cr.execute("VACUUM ANALYZE guest_message")
            cr.execute("SELECT (SELECT count(*) FROM guest_conversation), (SELECT count(*) FROM guest_message)")
            conversations, messages = cr.fetchone()
        print(f"filled in {time.monotonic() - started:.0f} s: {conversations} conversations, {messages} messages",
              flush=True)
        # what a settled database holds: the conversations' counters and the hourly tally of messages
        output = odoo.shell(SETTLE)
        settled = json.loads(next(li for li in output.splitlines() if li.startswith("SETTLED "))[len("SETTLED "):])
        for label, seconds in settled["seconds"].items():
            print(f"{label}: {seconds:.1f} s")
        print(f"tally: {settled['tally_rows']} rows for {settled['counted']} messages; "
              f"{settled['after_the_counts']} messages read after them", flush=True)
        with connection.cursor() as cr:
            cr.execute("VACUUM ANALYZE guest_conversation")
            cr.execute("VACUUM ANALYZE guest_message_tally")
        connection.close()
        output = odoo.shell(f"RUNS = {args.runs}\n{MEASURE}")
        line = next(li for li in output.splitlines() if li.startswith("FIGURES "))
        figures = json.loads(line[len("FIGURES "):])
        print(f"{'server-side call (agent; report: manager)':36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
              f"{'rows':>5}")
        for label, values in figures.items():
            print(f"{label:36} {values['p50']:8.1f} {values['p95']:8.1f} {values['max']:8.1f} {values['rows']:5d}")


if __name__ == "__main__":
    main()
