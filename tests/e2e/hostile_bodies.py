"""Hostile webhook bodies, generated from a seed: Meta's shapes with their values swapped for the wrong
types, sizes and characters, cut short, nested deep, or not JSON at all."""

import copy
import json
import random

JUNK_VALUES = [
    None, True, False, 0, -1, 2**63, 1e308, float("nan"), "", " ", "\x00", "\ud800", "💥" * 50, "A" * 70_000,
    [], {}, [[[]]], {"a": {"b": {"c": {}}}}, ["x"] * 300, "../../etc/passwd", "<script>alert(1)</script>",
    "'; DROP TABLE guest_message; --", "%s%s%n", "http://169.254.169.254/latest/meta-data/",
]


def whatsapp_body(rng, phone_number_id):
    wa_id = f"3461{rng.randrange(10**7):07d}"
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-FUZZ", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100199", "phone_number_id": phone_number_id},
            "contacts": [{"profile": {"name": "Fuzz"}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": f"wamid.FUZZ{rng.randrange(10**9)}", "timestamp": "1764086400",
                          "type": rng.choice(["text", "image", "interactive", "button", "location", "reaction"]),
                          "text": {"body": "hola"}, "image": {"id": "123", "mime_type": "image/jpeg"},
                          "interactive": {"type": "button_reply", "button_reply": {"id": "book", "title": "B"}}}],
            "statuses": [{"id": "wamid.X", "status": "read", "timestamp": "1764086400", "recipient_id": wa_id}],
        }}]}]}


def page_body(rng, object_type, account_id):
    psid = str(rng.randrange(10**15))
    return {"object": object_type, "entry": [{"id": account_id, "time": 1764086400000, "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": account_id}, "timestamp": 1764086400000,
        "message": {"mid": f"m_FUZZ{rng.randrange(10**9)}", "text": "hello",
                    "quick_reply": {"payload": "book"},
                    "attachments": [{"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/a.jpg"}}]},
        "delivery": {"mids": ["m_1"], "watermark": 1764086400000},
        "postback": {"title": "Book", "payload": "book"},
    }]}]}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _set(value, path, new):
    if not path:
        return new
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return value


def mutate(rng, payload):
    """Swap one to four places of ``payload`` for junk, drop keys, or duplicate lists."""
    for _ in range(rng.randint(1, 4)):
        paths = list(_paths(payload))
        path = rng.choice(paths)
        action = rng.random()
        if action < 0.6:
            payload = _set(payload, path, copy.deepcopy(rng.choice(JUNK_VALUES)))
        elif action < 0.8 and path:
            parent = payload
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        else:
            node = payload
            for key in path:
                node = node[key]
            if isinstance(node, list) and node:
                node.extend(node * rng.randint(1, 20))
    return payload


def encode(rng, payload):
    """JSON text for the payload, sometimes broken on purpose."""
    text = json.dumps(payload, allow_nan=True).encode("utf-8", "surrogatepass")
    roll = rng.random()
    if roll < 0.05:
        return text[: rng.randrange(1, max(2, len(text)))]  # cut short
    if roll < 0.08:
        depth = rng.choice([100, 1_000, 50_000])
        return b'{"object":' + b"[" * depth + b"]" * depth + b"}"
    if roll < 0.10:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))  # not text
    if roll < 0.12:
        return text.replace(b"{", b"{\"dup\":1,", rng.randint(1, 5))
    return text


def hostile_bodies(seed, count, accounts):
    """``count`` (channel, body bytes) pairs; ``accounts`` maps channel to the account id to aim at."""
    rng = random.Random(seed)
    for _ in range(count):
        channel = rng.choice(sorted(accounts))
        if channel == "whatsapp":
            payload = whatsapp_body(rng, accounts[channel])
        else:
            payload = page_body(rng, "page" if channel == "messenger" else "instagram", accounts[channel])
        if rng.random() < 0.9:
            payload = mutate(rng, payload)
        yield channel, encode(rng, payload)
