#!/usr/bin/env python3
"""Load benchmark of the webhook path as users run it: acknowledgement, processing, bot replies, CPU, duplicates.

Builds a throwaway database with the whole product (the five addons and their demo data, the booking
bot on its offline parser: no Anthropic key), starts Odoo with worker processes (``--workers=N
--max-cron-threads=M``, ``--cron-workers``, 2 by default as in Odoo), and sends N signed webhooks from concurrent clients at a target rate, each
the first message of a new guest. The bot greets every guest; its replies go to a fake Graph API on
loopback, which records when each one arrives. The script waits until every message is stored and
every reply sent, then prints figures; it asserts nothing.

    python3 bench/webhook_load.py --messages 4000 --rate 200 --clients 64 --workers 2
    python3 bench/webhook_load.py --messages 4000 --rate 200 --clients 64 --workers 2 --servers 2
    python3 bench/webhook_load.py --channel messenger --messages 2000 --rate 200
    python3 bench/webhook_load.py --only-addon guest_messaging_whatsapp --messages 2000 --rate 200
    python3 bench/webhook_load.py --channel website_chat --messages 1000 --rate 50

``--channel website_chat`` plays visitors of the hotel's website instead: each opens a Live Chat session and
writes its first message through Live Chat's embed routes (``/im_livechat/cors/get_session``, then
``/im_livechat/cors/message/post``), all from this machine's address, so the channel's rate limits per
address are turned off for the run. The bot's replies are posted in the visitors' sessions: a reply counts
when the outbox marked it sent (``guest_message.write_date``, the same machine's clock).

``--only-addon`` installs that channel addon alone (no bot: nothing is sent back). ``--servers 2``
starts a second Odoo server on the same database, with its own port, HTTP workers and cron workers,
and spreads the webhooks over both: the queues are claimed with FOR UPDATE SKIP LOCKED, and the
duplicate figures show whether two cron workers ever handled the same event twice. No browser is
connected, so an idle process stands in for each server's long-polling process.

Warm-up webhooks (``--warmup``) go first and are processed to the end before the measured ones are
sent, so the figures cover the measured messages alone. How each figure is taken:

- ack latency, sustained ack rate, non-200: measured by the clients, from sending the request to
  reading the whole response; the rate is acknowledged webhooks over the time from the first send to
  the last response.
- processing rate: inbound guest messages stored per second, (count - 1) / (last - first
  ``guest_message.create_date``); "all processed" is when polling the database (every 0.2 s) first saw
  every acknowledged message stored, counted from the first measured webhook.
- bot replies: per guest, the first bot message the fake Graph API received minus the moment that
  guest's webhook was acknowledged (one clock: the clients and the fake run in this process); "every
  reply sent" is the last bot message received minus the last acknowledgement.
- CPU: ``utime + stime`` from ``/proc/<pid>/stat`` of each server's child processes, read when the
  measured sending starts, when it ends, and when everything is processed and sent. Odoo's prefork
  server forks the HTTP workers and the cron worker; the cron worker lowers its own priority
  (``os.nice(10)`` in ``WorkerCron.start``), so the child whose nice value is above its parent's is
  the cron worker (its process title says so too when setproctitle is installed). Cron CPU from the
  start of sending until everything is processed, over the messages stored, is the cost of handling
  one message: storing it, the bot's turn and sending its replies, plus any other scheduled job that
  ran meanwhile. HTTP workers serve nothing but the webhooks: their CPU during the sending, over the
  webhooks acknowledged, is the cost of one acknowledgement. PostgreSQL CPU (the postmaster, its live
  children and the children it reaped) covers the same window as the cron figure. A worker that
  restarted during the run takes its CPU with it: how many did is printed.
- duplicates: inbound messages sharing a platform message id (the unique constraint should make this
  0, so whether it is present is printed too), guests with two conversations, webhook events claimed
  more than once, and guests the fake Graph API received more bot messages for than the database
  holds outbound messages for their conversation.
- errors in the server logs: ERROR and CRITICAL lines the Odoo servers logged during the whole run.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools import odoo_runner  # noqa: E402
from devtools.scratch_odoo import ScratchOdoo  # noqa: E402
from guestmsg.meta.signature import sign  # noqa: E402
from guestmsg.testing import FakeGraphAPI  # noqa: E402

APP_SECRET = "bench-app-secret"
ACCOUNT_ID = "100200300400"
ADDONS = {"whatsapp": "guest_messaging_whatsapp", "messenger": "guest_messaging_meta_social",
          "instagram": "guest_messaging_meta_social", "website_chat": "guest_messaging_livechat"}
WEBSITE = "website_chat"
BOT_ADDON = "guest_messaging_bot"
ACCOUNT_FIELD = {"whatsapp": "phone_number_id", "messenger": "page_id", "instagram": "instagram_account_id"}
FIRST_MESSAGES = ("Hello", "Hi there", "Good morning", "Hello, I would like some information")
SETUP = """
env['guest.channel.connection'].create({{
    'name': 'Bench', 'channel_type': '{channel}', 'setup_mode': 'manual', 'state': 'connected',
    '{field}': '{account}', 'access_token': 'bench-token', 'app_secret': '{secret}',
    'greeting_message': 'Welcome to our hotel! How can we help with your stay?'}})
env['ir.config_parameter'].set_param('guest_messaging.graph_api_base_url', '{graph_url}')
env['ir.config_parameter'].set_param('guest_messaging_bot.anthropic_api_key', False)
env.cr.commit()
"""
WEBSITE_SETUP = """
livechat = env['im_livechat.channel'].create({{'name': 'Bench website', 'user_ids': [(5, 0, 0)]}})
env['guest.channel.connection'].create({{
    'name': 'Bench', 'channel_type': 'website_chat', 'livechat_channel_id': livechat.id,
    'greeting_message': 'Welcome to our hotel! How can we help with your stay?'}})
for limit in ('visitor_messages_per_minute', 'address_messages_per_minute', 'address_sessions_per_hour'):
    env['ir.config_parameter'].set_param('guest_messaging_livechat.' + limit, 0)
# the demo data's queued WhatsApp messages go to the fake Graph API, not to Meta
env['ir.config_parameter'].set_param('guest_messaging.graph_api_base_url', '{graph_url}')
env['ir.config_parameter'].set_param('guest_messaging_bot.anthropic_api_key', False)
env.cr.commit()
"""
POLL_SECONDS = 0.2
LABEL_WIDTH = 34

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# indexes of proc(5)'s /proc/<pid>/stat fields in proc_stat(): field N is at N - 3
PPID, UTIME, STIME, CUTIME, CSTIME, NICE, STARTTIME = 1, 11, 12, 13, 14, 16, 19


# === webhooks === #

def guest_id(channel, i):
    return f"3461{i:07d}" if channel == "whatsapp" else f"9000{i:012d}"


def message_id(phase, i):
    return f"wamid.{phase}.{i}"


def whatsapp_payload(i, phase):
    wa_id = guest_id("whatsapp", i)
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550100199", "phone_number_id": ACCOUNT_ID},
        "contacts": [{"profile": {"name": f"Guest {i}"}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": message_id(phase, i), "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": FIRST_MESSAGES[i % len(FIRST_MESSAGES)]}}],
    }}]}]}


def page_payload(channel, i, phase):
    now = int(time.time() * 1000)
    return {"object": "page" if channel == "messenger" else "instagram", "entry": [{
        "id": ACCOUNT_ID, "time": now, "messaging": [{
            "sender": {"id": guest_id(channel, i)}, "recipient": {"id": ACCOUNT_ID}, "timestamp": now,
            "message": {"mid": message_id(phase, i), "text": FIRST_MESSAGES[i % len(FIRST_MESSAGES)]}}]}]}


def payload(channel, i, phase):
    return whatsapp_payload(i, phase) if channel == "whatsapp" else page_payload(channel, i, phase)


def visitor_text(i, phase):
    """A visitor's first message, tagged so the database tells the phases apart."""
    return f"{FIRST_MESSAGES[i % len(FIRST_MESSAGES)]} ({phase} {i})"


def jsonrpc(session, url, params):
    response = session.post(url, json={"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}, timeout=30)
    response.raise_for_status()
    data = response.json()
    if "error" in data:
        raise RuntimeError(data["error"].get("data", {}).get("message") or data["error"])
    return data["result"]


class Sender:
    """Sends webhooks from a pool of clients at a target rate and records each acknowledgement."""

    def __init__(self, channel, urls, clients, livechat_channel_id=None):
        self.channel = channel
        self.urls = urls
        self.clients = clients
        self.livechat_channel_id = livechat_channel_id
        self.local = threading.local()
        self.lock = threading.Lock()
        self.acks = {}
        self.failures = []
        # website visitors: their session, when its first message was acknowledged (wall clock, as the
        # database's), and how long opening the session took
        self.sessions = {}
        self.acked_at = {}
        self.session_latencies = {}

    def send_all(self, indices, phase, rate=None):
        """Send one webhook per index (spread over the servers); returns the seconds it took."""
        if self.channel == WEBSITE:
            bodies = {i: visitor_text(i, phase) for i in indices}
            send = self._visit
        else:
            bodies = {i: json.dumps(payload(self.channel, i, phase)).encode() for i in indices}
            send = self._send
        started = time.monotonic()
        with ThreadPoolExecutor(self.clients) as pool:
            for n, i in enumerate(indices):
                pool.submit(send, i, bodies[i], started + n / rate if rate else 0)
        return time.monotonic() - started

    def _visit(self, i, text, due):
        """A visitor opens a chat session on the website and writes in it; the write is the acknowledgement."""
        session = self._when_due(due)
        base_url = self.urls[i % len(self.urls)]
        opened = time.monotonic()
        try:
            data = jsonrpc(session, f"{base_url}/im_livechat/cors/get_session", {
                "channel_id": self.livechat_channel_id, "anonymous_name": f"Visitor {i}", "persisted": True})
            session_id, token = data["discuss.channel"][0]["id"], data["Store"]["guest_token"]
            started = time.monotonic()
            jsonrpc(session, f"{base_url}/im_livechat/cors/message/post", {
                "guest_token": token, "thread_model": "discuss.channel", "thread_id": session_id,
                "post_data": {"body": text, "message_type": "comment"}})
            status = 200
        except (requests.RequestException, RuntimeError, KeyError, IndexError, ValueError) as exc:
            status = repr(exc)
        acked = time.monotonic()
        with self.lock:
            if status == 200:
                self.acks[i] = (acked, acked - started)
                self.acked_at[i] = time.time()
                self.sessions[i] = session_id
                self.session_latencies[i] = started - opened
            else:
                self.failures.append((i, status))

    def _when_due(self, due):
        """Wait for ``due``; this client thread's HTTP session."""
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        session = getattr(self.local, "session", None) or requests.Session()
        self.local.session = session
        return session

    def _send(self, i, body, due):
        session = self._when_due(due)
        started = time.monotonic()
        try:
            response = session.post(self.urls[i % len(self.urls)], data=body, timeout=30, headers={
                "Content-Type": "application/json", "X-Hub-Signature-256": sign(APP_SECRET, body)})
            status = response.status_code
        except requests.RequestException as exc:
            status = repr(exc)
        acked = time.monotonic()
        with self.lock:
            if status == 200:
                self.acks[i] = (acked, acked - started)
            else:
                self.failures.append((i, status))


# === CPU of processes === #

def proc_stat(pid):
    """The fields of /proc/<pid>/stat after the command name (the first is the state), or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()


def cpu_seconds(stat, reaped_children=False):
    ticks = int(stat[UTIME]) + int(stat[STIME])
    if reaped_children:
        ticks += int(stat[CUTIME]) + int(stat[CSTIME])
    return ticks / CLOCK_TICKS


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(entry.name)
            if stat and int(stat[PPID]) == pid:
                found.append((int(entry.name), stat))
    return found


def worker_role(pid, stat, parent_nice):
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        args = []
    title = b" ".join(args)
    if b"gevent" in args:
        return "longpolling"
    if b"WorkerCron" in title:
        return "cron"
    if b"WorkerHTTP" in title:
        return "http"
    return "cron" if int(stat[NICE]) > parent_nice else "http"


def worker_cpu(server_pid):
    """{(pid, start time): (role, CPU seconds)} of an Odoo server's child processes."""
    parent = proc_stat(server_pid)
    if parent is None:
        return {}
    return {(pid, stat[STARTTIME]): (worker_role(pid, stat, int(parent[NICE])), cpu_seconds(stat))
            for pid, stat in children(server_pid)}


def cpu_used(before, after):
    """CPU seconds by role between two worker_cpu() snapshots, and how many processes ended in between."""
    used = defaultdict(float)
    for key, (role, cpu) in after.items():
        used[role] += cpu - before.get(key, (role, 0.0))[1]
    return used, len(before.keys() - after.keys())


def postgres_cpu(datadir):
    postmaster = int((datadir / "postmaster.pid").read_text().split()[0])
    # a backend that exited is counted in its parent's children's time once the postmaster reaped it
    return (cpu_seconds(proc_stat(postmaster), reaped_children=True)
            + sum(cpu_seconds(stat) for _pid, stat in children(postmaster)))


def own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuSnapshot:
    def __init__(self, server_pids, datadir):
        self.workers = [worker_cpu(pid) for pid in server_pids]
        self.postgres = postgres_cpu(datadir)
        self.own = own_cpu()


# === database === #

def query(connection, sql, *params):
    with connection.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def of_phase(channel, phase):
    """SQL condition and parameter selecting the inbound messages of a phase."""
    if channel == WEBSITE:
        return "body LIKE %s", f"%({phase} %"
    return "platform_message_id LIKE %s", f"wamid.{phase}.%"


def progress(connection, phase, channel="whatsapp"):
    """(inbound messages of the phase stored, webhook events still to process, outbound messages still queued)."""
    condition, param = of_phase(channel, phase)
    return query(connection, f"""
        SELECT (SELECT count(*) FROM guest_message WHERE direction = 'inbound' AND {condition}),
               (SELECT count(*) FROM guest_webhook_event WHERE state IN ('pending', 'failed')),
               (SELECT count(*) FROM guest_message WHERE direction = 'outbound' AND delivery_status = 'queued')
    """, param)[0]


def drain(connection, phase, expected, deadline, channel="whatsapp"):
    """Poll until ``expected`` messages of the phase are stored and nothing is left to process or send.

    Returns the monotonic times all were first seen stored and everything was done (None if not by ``deadline``).
    """
    stored_at = None
    while time.monotonic() < deadline:
        stored, events, queued = progress(connection, phase, channel)
        now = time.monotonic()
        if stored >= expected and stored_at is None:
            stored_at = now
        if stored_at is not None and not events and not queued:
            return stored_at, now
        time.sleep(POLL_SECONDS)
    return stored_at, None


def processing_rate(connection, phase, channel="whatsapp"):
    """(stored inbound messages of the phase, messages per second between the first and the last stored)."""
    condition, param = of_phase(channel, phase)
    count, first, last = query(connection, f"""
        SELECT count(*), min(create_date), max(create_date) FROM guest_message
         WHERE direction = 'inbound' AND {condition}
    """, param)[0]
    span = (last - first).total_seconds() if count > 1 else 0
    return count, (count - 1) / span if span else None


def outbound_by_guest(connection, connection_id):
    """{guest external id: outbound messages for the platform in its conversation}."""
    return dict(query(connection, """
        SELECT c.guest_external_id, count(*) FROM guest_message m
          JOIN guest_conversation c ON c.id = m.conversation_id
         WHERE c.connection_id = %s AND m.direction = 'outbound' AND m.delivery_status IS NOT NULL
         GROUP BY c.guest_external_id
    """, connection_id))


def duplicate_counts(connection, connection_id):
    return {
        "inbound": query(connection, """
            SELECT count(*) FROM (SELECT 1 FROM guest_message
                                   WHERE connection_id = %s AND direction = 'inbound'
                                     AND platform_message_id IS NOT NULL
                                   GROUP BY platform_message_id HAVING count(*) > 1) d""", connection_id)[0][0],
        "constraint": bool(query(connection, """
            SELECT 1 FROM pg_constraint WHERE conname = 'guest_message_platform_message_id_unique'""")),
        "conversations": query(connection, """
            SELECT count(*) FROM (SELECT 1 FROM guest_conversation WHERE connection_id = %s
                                   GROUP BY guest_external_id HAVING count(*) > 1) d""", connection_id)[0][0],
        "claimed_twice": query(connection, "SELECT count(*) FROM guest_webhook_event WHERE attempts > 1")[0][0],
    }


# === bot replies in the visitors' sessions === #

def website_replies(connection, connection_id):
    """{session id: (UTC epoch seconds the first bot reply was marked sent, bot replies sent, posted)}."""
    rows = query(connection, """
        SELECT c.livechat_session_id, extract(epoch FROM min(m.write_date)), count(*),
               count(m.livechat_message_id)
          FROM guest_message m JOIN guest_conversation c ON c.id = m.conversation_id
         WHERE c.connection_id = %s AND m.author_type = 'bot' AND m.delivery_status = 'sent'
         GROUP BY c.livechat_session_id
    """, connection_id)
    return {session: (float(first), sent, posted) for session, first, sent, posted in rows}


def posted_by_the_bot(connection, connection_id):
    """Messages posted in the bench's sessions as the bot: each should be one sent guest message."""
    return query(connection, """
        SELECT count(*) FROM mail_message m
          JOIN discuss_channel d ON d.id = m.res_id AND m.model = 'discuss.channel'
          JOIN guest_channel_connection g ON g.livechat_channel_id = d.livechat_channel_id
         WHERE g.id = %s AND m.author_id = g.livechat_bot_partner_id
    """, connection_id)[0][0]


# === bot replies at the fake Graph API === #

def bot_sends(graph, channel):
    """[(recipient, monotonic arrival)] of the messages the fake Graph API accepted for the bench account."""
    sends = []
    for request in graph.requests:
        body = request.json
        if (request.method != "POST" or request.status != 200 or request.endpoint != f"{ACCOUNT_ID}/messages"
                or not isinstance(body, dict)):
            continue
        if channel == "whatsapp" and body.get("to"):
            sends.append(("".join(c for c in body["to"] if c.isdigit()), request.monotonic))
        elif channel != "whatsapp" and "message" in body:
            recipient = body.get("recipient")
            recipient = json.loads(recipient) if isinstance(recipient, str) else recipient
            sends.append((str(recipient.get("id")), request.monotonic))
    return sends


# === report === #

def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def show(label, text):
    print(f"{label:{LABEL_WIDTH}}{text}")


def per_item(seconds, count):
    return f"{seconds * 1000 / count:.1f} ms" if count else "n/a"


def report_acks(args, sender, measured, sent_seconds):
    acks = [sender.acks[i] for i in measured if i in sender.acks]
    latencies = [latency for _at, latency in acks]
    failures = [status for i, status in sender.failures if i in measured]
    show("acknowledged", f"{len(acks)} / {args.messages} (non-200: {len(failures)})")
    if latencies:
        show("ack latency p50", f"{percentile(latencies, 50) * 1000:.1f} ms")
        show("ack latency p99", f"{percentile(latencies, 99) * 1000:.1f} ms")
        show("ack latency mean", f"{statistics.mean(latencies) * 1000:.1f} ms")
    show("sustained ack rate", f"{len(acks) / sent_seconds:.1f} webhooks/s over {sent_seconds:.1f} s")
    if failures:
        show("first failures", str(failures[:5]))
    return len(acks)


def report_processing(connection, t0, drained, acked, channel="whatsapp"):
    stored, rate = processing_rate(connection, "bench", channel)
    show("processing rate", f"{rate:.1f} messages/s between the first and the last stored" if rate else "n/a")
    stored_at, _done = drained
    show("all processed in", f"{stored_at - t0:.1f} s after the first webhook" if stored_at else
         f"not within the drain timeout ({stored} of {acked} stored)")
    events = dict(query(connection, "SELECT state, count(*) FROM guest_webhook_event GROUP BY state ORDER BY state"))
    show("events by state", f"{events} (warm-up included)")
    show("lost", str(acked - stored))
    return stored


def report_website_replies(sender, connection, connection_id, measured):
    sessions = {sender.sessions[i]: i for i in measured if i in sender.sessions}
    replies = website_replies(connection, connection_id)
    latencies = [replies[s][0] - sender.acked_at[i] for s, i in sessions.items() if s in replies]
    show("visitors replied to", f"{len(latencies)} / {len(sessions)}")
    opening = [sender.session_latencies[i] for i in sessions.values()]
    if opening:
        show("session opening p50", f"{percentile(opening, 50) * 1000:.1f} ms")
        show("session opening p99", f"{percentile(opening, 99) * 1000:.1f} ms")
    if latencies:
        show("reply latency p50", f"{percentile(latencies, 50):.2f} s")
        show("reply latency p95", f"{percentile(latencies, 95):.2f} s")
        show("reply latency max", f"{max(latencies):.2f} s")
    if latencies and len(latencies) == len(sessions):
        last_reply = max(replies[s][0] for s in sessions)
        show("every reply sent within", f"{last_reply - max(sender.acked_at[i] for i in sessions.values()):.1f} s "
                                        "of the last message")


def report_replies(args, sender, graph, measured, with_bot, connection=None, connection_id=None):
    if not with_bot:
        show("bot replies", f"none expected: {BOT_ADDON} is not installed")
        return
    if args.channel == WEBSITE:
        report_website_replies(sender, connection, connection_id, measured)
        return
    guests = {guest_id(args.channel, i): i for i in measured if i in sender.acks}
    first_reply, last_reply = {}, None
    for recipient, arrived in bot_sends(graph, args.channel):
        if recipient in guests:
            first_reply.setdefault(recipient, arrived)
            last_reply = max(last_reply or arrived, arrived)
    latencies = [first_reply[g] - sender.acks[i][0] for g, i in guests.items() if g in first_reply]
    show("guests replied to", f"{len(first_reply)} / {len(guests)}")
    if latencies:
        show("reply latency p50", f"{percentile(latencies, 50):.2f} s")
        show("reply latency p95", f"{percentile(latencies, 95):.2f} s")
        show("reply latency max", f"{max(latencies):.2f} s")
    if latencies and len(first_reply) == len(guests):
        last_ack = max(sender.acks[i][0] for i in guests.values())
        show("every reply sent within", f"{last_reply - last_ack:.1f} s of the last webhook")


def report_cpu(servers, start, sent, done, acked, stored):
    http = cron = 0.0
    ended = 0
    for n, (before, after_sending, after_all) in enumerate(zip(start.workers, sent.workers, done.workers), 1):
        http_used, http_ended = cpu_used(before, after_sending)
        cron_used, cron_ended = cpu_used(before, after_all)
        http += http_used["http"]
        cron += cron_used["cron"]
        ended += max(http_ended, cron_ended)
        if len(servers) > 1:
            show(f"server {n} CPU", f"cron {cron_used['cron']:.1f} s, HTTP workers {http_used['http']:.1f} s")
    show("cron worker CPU per message", f"{per_item(cron, stored)} ({cron:.1f} s over {stored} processed)")
    show("HTTP worker CPU per webhook", f"{per_item(http, acked)} ({http:.1f} s over {acked} acknowledged)")
    database = done.postgres - start.postgres
    show("PostgreSQL CPU per message", f"{per_item(database, stored)} ({database:.1f} s, same window as cron)")
    show("clients + fake Graph API CPU", f"{done.own - start.own:.1f} s (this process)")
    if ended:
        show("workers restarted", f"{ended}: the CPU they used after the first reading is missing")


def report_duplicates(connection, connection_id, graph, args, measured, with_bot):
    found = duplicate_counts(connection, connection_id)
    show("duplicate inbound messages", f"{found['inbound']} (unique constraint present: "
                                       f"{'yes' if found['constraint'] else 'NO'})")
    show("guests with two conversations", str(found["conversations"]))
    show("events claimed more than once", str(found["claimed_twice"]))
    if not with_bot:
        return
    if args.channel == WEBSITE:
        replies = website_replies(connection, connection_id)
        sent = sum(count for _first, count, _posted in replies.values())
        linked = sum(posted for _first, _count, posted in replies.values())
        show("bot messages in the DB", f"{sent} sent, {linked} linked to their post, "
                                       f"{posted_by_the_bot(connection, connection_id)} posted in the sessions")
        return
    guests = {guest_id(args.channel, i) for i in measured}
    queued = outbound_by_guest(connection, connection_id)
    received = Counter(recipient for recipient, _at in bot_sends(graph, args.channel) if recipient in guests)
    extra = {g: received[g] - queued.get(g, 0) for g in received if received[g] > queued.get(g, 0)}
    missing = sum(max(0, queued.get(g, 0) - received[g]) for g in guests)
    show("guests sent more than queued", f"{len(extra)} ({sum(extra.values())} duplicate sends)")
    show("bot messages in the DB", f"{sum(queued.get(g, 0) for g in guests)}, received {sum(received.values())}, "
                                   f"not received {missing}")


def report_server_errors(odoo):
    errors = []
    for server in odoo.servers:
        for line in Path(server.log.name).read_text(errors="replace").splitlines():
            match = odoo_runner.LOG_LINE.match(line)
            if match and match["level"] in ("ERROR", "CRITICAL"):
                errors.append(line)
    show("errors in the server logs", str(len(errors)))
    if errors:
        show("first error", errors[0][:200])


# === run === #

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channel", choices=sorted(ADDONS), default="whatsapp")
    parser.add_argument("--only-addon", choices=sorted(set(ADDONS.values())),
                        help="install this channel addon alone (with its dependencies) instead of the whole product")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0, help="target webhooks per second")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers per server")
    parser.add_argument("--servers", type=int, default=1, help="Odoo servers on the database")
    parser.add_argument("--cron-workers", type=int, default=2,
                        help="cron worker processes per server (Odoo's max_cron_threads; its default is 2)")
    parser.add_argument("--warmup", type=int, default=50,
                        help="webhooks sent and processed first, left out of the figures (workers load caches)")
    parser.add_argument("--drain-timeout", type=float, default=900)
    args = parser.parse_args()
    if args.only_addon and args.only_addon != ADDONS[args.channel]:
        parser.error(f"--channel {args.channel} needs {ADDONS[args.channel]}")
    return args


def start_servers(odoo, args):
    """[(webhook URL, main process id)] of the Odoo servers; for website visitors, the server's URL."""
    servers = []
    for _n in range(args.servers):
        base_url = odoo.serve(f"--workers={args.workers}", f"--max-cron-threads={args.cron_workers}",
                              "--limit-time-real=600",
                              "--db_maxconn=64", no_long_polling=True)
        url = base_url if args.channel == WEBSITE else f"{base_url}/guest_messaging/webhook/{args.channel}"
        servers.append((url, odoo.servers[-1].pid))
    return servers


def prepare(odoo, graph, args, addons):
    """Install and configure the database, start the servers; returns [(webhook URL, main process id)]."""
    odoo.install(*addons, demo=True)
    if args.channel == WEBSITE:
        odoo.shell(WEBSITE_SETUP.format(graph_url=graph.base_url))
        return start_servers(odoo, args)
    odoo.shell(SETUP.format(channel=args.channel, field=ACCOUNT_FIELD[args.channel], account=ACCOUNT_ID,
                            secret=APP_SECRET, graph_url=graph.base_url))
    if args.channel != "whatsapp":
        for i in range(args.warmup + args.messages):
            graph.add_profile(guest_id(args.channel, i), name=f"Guest {i}")
    return start_servers(odoo, args)


def warm_up(sender, connection, args):
    print(f"warming up with {args.warmup} webhooks ...", flush=True)
    sender.send_all(range(args.warmup), "warm")
    if sender.failures:
        # a cold server may refuse the first connections; Meta would send these again, the bench does not
        print(f"warm-up: {len(sender.acks)} of {args.warmup} acknowledged; not: {sender.failures[:5]}", flush=True)
        sender.failures.clear()
    if not drain(connection, "warm", len(sender.acks), time.monotonic() + args.drain_timeout, args.channel)[1]:
        print("the warm-up was not processed within the drain timeout: it runs on into the figures", flush=True)


def run(odoo, graph, args):
    addons = [args.only_addon] if args.only_addon else list(odoo_runner.ADDONS)
    if args.only_addon == ADDONS[WEBSITE]:
        addons.append(BOT_ADDON)  # the website's visitors are answered by the bot alone
    with_bot = BOT_ADDON in addons
    servers = prepare(odoo, graph, args, addons)
    pids = [pid for _url, pid in servers]
    connection = odoo.connect()
    connection_id, livechat_channel_id = query(
        connection, "SELECT id, livechat_channel_id FROM guest_channel_connection WHERE name = 'Bench'")[0] \
        if args.channel == WEBSITE else (query(
            connection, "SELECT id FROM guest_channel_connection WHERE name = 'Bench'")[0][0], None)
    sender = Sender(args.channel, [url for url, _pid in servers], args.clients, livechat_channel_id)
    warm_up(sender, connection, args)

    measured = range(args.warmup, args.warmup + args.messages)
    print(f"sending {args.messages} webhooks at {args.rate:.0f}/s from {args.clients} clients to "
          f"{args.servers} server(s) ...", flush=True)
    start = CpuSnapshot(pids, odoo.cluster.datadir)
    t0 = time.monotonic()
    sent_seconds = sender.send_all(measured, "bench", args.rate)
    sent = CpuSnapshot(pids, odoo.cluster.datadir)
    acked = sum(1 for i in measured if i in sender.acks)
    drained = drain(connection, "bench", acked, t0 + args.drain_timeout, args.channel)
    done = CpuSnapshot(pids, odoo.cluster.datadir)

    show("cores", str(os.cpu_count()))
    show("setup", f"{args.servers} server(s) x ({args.workers} HTTP workers + {args.cron_workers} cron workers); "
                  f"{' and '.join(addons) if args.only_addon else f'the {len(addons)} addons'}, with demo data")
    report_acks(args, sender, measured, sent_seconds)
    stored = report_processing(connection, t0, drained, acked, args.channel)
    report_replies(args, sender, graph, measured, with_bot, connection, connection_id)
    report_cpu(servers, start, sent, done, acked, stored)
    report_duplicates(connection, connection_id, graph, args, measured, with_bot)
    report_server_errors(odoo)
    connection.close()


def main():
    args = parse_args()
    if odoo_runner.odoo_unavailable_reason():
        sys.exit(odoo_runner.odoo_unavailable_reason())
    with ScratchOdoo("gm-bench-", "gm_bench") as odoo, FakeGraphAPI() as graph:
        run(odoo, graph, args)


if __name__ == "__main__":
    main()
