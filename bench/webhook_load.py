#!/usr/bin/env python3
"""Load benchmark of a channel's webhook: acknowledgement latency, throughput, drain time, losses.

Builds a throwaway database, starts Odoo with worker processes, sends N signed
webhooks (one new guest message each) from concurrent clients at a target
rate, then waits until the worker has turned every one into a guest.message.
Prints figures; asserts nothing.

    python3 bench/webhook_load.py --messages 2000 --rate 200 --clients 16 --workers 2
    python3 bench/webhook_load.py --channel messenger --messages 2000 --rate 200

Graph API calls (Messenger/Instagram profile lookups) go to a closed local port, as when Meta is down.
"""

import argparse
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools import odoo_runner  # noqa: E402
from devtools.scratch_odoo import ScratchOdoo  # noqa: E402
from guestmsg.meta.signature import sign  # noqa: E402

APP_SECRET = "bench-app-secret"
ACCOUNT_ID = "100200300400"
ADDONS = {"whatsapp": "guest_messaging_whatsapp", "messenger": "guest_messaging_meta_social",
          "instagram": "guest_messaging_meta_social"}
ACCOUNT_FIELD = {"whatsapp": "phone_number_id", "messenger": "page_id", "instagram": "instagram_account_id"}
SETUP = """
env['guest.channel.connection'].create({{
    'name': 'Bench', 'channel_type': '{channel}', 'setup_mode': 'manual', 'state': 'connected',
    '{field}': '{account}', 'access_token': 'bench-token', 'app_secret': '{secret}'}})
env['ir.config_parameter'].set_param('guest_messaging.graph_api_base_url', 'http://127.0.0.1:9')
env.cr.commit()
"""


def whatsapp_payload(i):
    wa_id = f"3461{i % 1000:07d}"
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550100199", "phone_number_id": ACCOUNT_ID},
        "contacts": [{"profile": {"name": f"Guest {i % 1000}"}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": f"wamid.bench.{i}", "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": f"Message {i}"}}],
    }}]}]}


def page_payload(channel, i):
    now = int(time.time() * 1000)
    return {"object": "page" if channel == "messenger" else "instagram", "entry": [{
        "id": ACCOUNT_ID, "time": now, "messaging": [{
            "sender": {"id": f"PSID{i % 1000:07d}"}, "recipient": {"id": ACCOUNT_ID}, "timestamp": now,
            "message": {"mid": f"wamid.bench.{i}", "text": f"Message {i}"}}]}]}


def payload(channel, i):
    return whatsapp_payload(i) if channel == "whatsapp" else page_payload(channel, i)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channel", choices=sorted(ADDONS), default="whatsapp")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0, help="target webhooks per second")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=50,
                        help="webhooks sent first and left out of the latency figures (workers load routes and caches)")
    parser.add_argument("--drain-timeout", type=float, default=900)
    args = parser.parse_args()
    if odoo_runner.odoo_unavailable_reason():
        sys.exit(odoo_runner.odoo_unavailable_reason())

    with ScratchOdoo("gm-bench-", "gm_bench") as odoo:
        odoo.install(ADDONS[args.channel])
        odoo.shell(SETUP.format(channel=args.channel, field=ACCOUNT_FIELD[args.channel], account=ACCOUNT_ID,
                                secret=APP_SECRET))
        base_url = odoo.serve(f"--workers={args.workers}", "--max-cron-threads=1", "--limit-time-real=600",
                              "--db_maxconn=64")
        url = f"{base_url}/guest_messaging/webhook/{args.channel}"
        total = args.warmup + args.messages
        bodies = [json.dumps(payload(args.channel, i)).encode() for i in range(total)]
        local = threading.local()
        latencies, failures, warmed = [], [], []
        lock = threading.Lock()

        def send(i, due):
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            body = bodies[i]
            started = time.monotonic()
            try:
                response = session.post(url, data=body, timeout=30, headers={
                    "Content-Type": "application/json", "X-Hub-Signature-256": sign(APP_SECRET, body)})
                status = response.status_code
            except requests.RequestException as exc:
                status = repr(exc)
            elapsed = time.monotonic() - started
            with lock:
                if status != 200:
                    failures.append(status)
                elif i >= args.warmup:
                    latencies.append(elapsed)
                else:
                    warmed.append(elapsed)

        with ThreadPoolExecutor(args.clients) as pool:
            for i in range(args.warmup):
                pool.submit(send, i, 0)
        print(f"sending {args.messages} webhooks at {args.rate:.0f}/s from {args.clients} clients ...", flush=True)
        t0 = time.monotonic()
        with ThreadPoolExecutor(args.clients) as pool:
            for n, i in enumerate(range(args.warmup, total)):
                pool.submit(send, i, t0 + n / args.rate)
        sent_seconds = time.monotonic() - t0

        connection = odoo.connect()
        stored = 0
        while time.monotonic() - t0 < args.drain_timeout:
            with connection.cursor() as cr:
                cr.execute("SELECT count(*) FROM guest_message WHERE platform_message_id LIKE 'wamid.bench.%'")
                stored = cr.fetchone()[0]
            if stored >= len(latencies) + len(warmed):
                break
            time.sleep(0.5)
        drained_seconds = time.monotonic() - t0
        with connection.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM guest_webhook_event GROUP BY state ORDER BY state")
            events = dict(cr.fetchall())
        connection.close()

        print(f"acknowledged      {len(latencies)} / {args.messages} (non-200: {len(failures)})")
        if latencies:
            print(f"ack latency p50   {percentile(latencies, 50) * 1000:.1f} ms")
            print(f"ack latency p99   {percentile(latencies, 99) * 1000:.1f} ms")
            print(f"ack latency mean  {statistics.mean(latencies) * 1000:.1f} ms")
        print(f"sustained rate    {len(latencies) / sent_seconds:.1f} webhooks/s over {sent_seconds:.1f} s")
        print(f"all processed in  {drained_seconds:.1f} s after the first webhook")
        print(f"events by state   {events}")
        print(f"lost              {len(latencies) + len(warmed) - stored}")
        if failures:
            print(f"first failures    {failures[:5]}")


if __name__ == "__main__":
    main()
