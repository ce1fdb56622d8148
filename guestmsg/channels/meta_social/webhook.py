"""Parsing of Messenger (``object = page``) and Instagram (``object = instagram``) webhook bodies.

The input is the already JSON-decoded body of a POST whose signature has been
verified. Both platforms send ``entry[].messaging[]`` events; each event
carries one of ``message``, ``postback``, ``reaction``, ``delivery`` or
``read``. Guest messages, postback taps and reactions become
:class:`InboundMessage`; copies of what the Page or account itself sent
(``message.is_echo``) become :class:`Echo`; deliveries and reads become
:class:`StatusUpdate`.

As in :mod:`guestmsg.channels.whatsapp.webhook`, only a body that is not a Messenger or
Instagram payload at all raises (:class:`PayloadError`); anything else that
is malformed is skipped or kept as ``unsupported`` and described in
:attr:`WebhookBatch.problems`. Strings are bounded and cleaned the same way.
"""

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from guestmsg.channels.meta_social import INSTAGRAM, MESSENGER
from guestmsg.channels.meta_social.outbound import is_recipient
from guestmsg.meta.webhook_parsing import ProblemLog, coordinate
from guestmsg.meta.webhook_parsing import clean_id as _id
from guestmsg.meta.webhook_parsing import clean_str as _str
from guestmsg.meta.webhook_parsing import kind as _kind
from guestmsg.meta.webhook_parsing import show as _show

# the channel a webhook's ``object`` speaks for
CHANNELS = {"page": MESSENGER.code, "instagram": INSTAGRAM.code}
# the Page fields the product acts on (the events this parser reads): connecting a Page subscribes the app
# to them, the connection test names those Meta does not send
SUBSCRIBED_FIELDS = ("messages", "messaging_postbacks", "message_echoes", "message_deliveries", "message_reads",
                     "message_reactions")

MESSAGE_TYPES = (
    "text", "interactive", "image", "audio", "video", "document", "sticker", "location", "reaction",
    "template", "unsupported",
)
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
STATUSES = ("delivered", "read")
ATTACHMENT_TYPES = {
    "image": "image", "audio": "audio", "video": "video", "file": "document", "sticker": "sticker",
    "location": "location", "template": "template",
}
PLACEHOLDERS = {
    "image": "[image]", "audio": "[audio]", "video": "[video]", "document": "[document]", "sticker": "[sticker]",
    "location": "[location]", "template": "[template]",
}
# attachments a guest can send that have no message type of their own
UNSUPPORTED_PLACEHOLDERS = {
    "share": "[shared post]", "post": "[shared post]", "ig_post": "[shared post]",
    "reel": "[reel]", "ig_reel": "[reel]", "story_mention": "[story mention]",
    "fallback": "[shared link]", "appointment_booking": "[appointment booking]",
}
UNSUPPORTED_BODY = "[unsupported message]"
REACTION_REMOVED = "[reaction removed]"

MAX_BODY = 4096
MAX_TEXT = 1024
MAX_SHORT = 128
MAX_URL = 2048
MAX_PAYLOAD = 1000
MAX_ATTACHMENTS = 10
MAX_MIDS = 100

_EPOCH_MS = re.compile(r"\d{1,15}")
_MAX_EPOCH_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class PayloadError(ValueError):
    """The body is not a Messenger or Instagram webhook payload."""


@dataclass(frozen=True)
class InboundMessage:
    """A message, a tap on a quick reply or postback button, or a reaction from a guest.

    ``account_id`` is the Page id (Messenger) or Instagram account id;
    ``sender_id`` the guest's PSID or IGSID. Postbacks without a ``mid`` and
    reactions get a synthetic, stable ``platform_message_id``.
    """

    channel: str
    account_id: str
    sender_id: str
    platform_message_id: str
    timestamp: datetime | None
    message_type: str
    body: str
    reply_id: str | None
    payload: dict = field(hash=False)
    reply_to_mid: str | None
    raw: dict = field(hash=False, repr=False)


@dataclass(frozen=True)
class Echo:
    """A message the Page or Instagram account sent, from this app (``app_id``) or from
    another app or Meta's own inbox; ``recipient_id`` is the guest."""

    channel: str
    account_id: str
    recipient_id: str | None
    platform_message_id: str
    app_id: str | None
    metadata: str | None
    timestamp: datetime | None
    message_type: str
    body: str
    payload: dict = field(hash=False)
    raw: dict = field(hash=False, repr=False)


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery or read receipt from a guest (``guest_id``).

    ``mids`` are the messages it names, if any; ``watermark`` (epoch ms)
    means every message sent before it is delivered or read.
    """

    channel: str
    account_id: str
    guest_id: str
    status: str
    mids: tuple
    watermark: int | None
    timestamp: datetime | None
    raw: dict = field(hash=False, repr=False)


@dataclass
class WebhookBatch:
    messages: list = field(default_factory=list)
    echoes: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    # account-level fields (``entry[].changes[]``), acknowledged and kept in the stored body, not acted on
    other_fields: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def account_ids(payload) -> set:
    """Every Page or Instagram account a body names, to find the connections: each ``entry[].id``, and the
    account side of each messaging event (its recipient, or its sender for an echo of the account's own
    message). A guest's id is never taken.

    Used before the signature is checked, so it accepts anything and returns
    an empty set when nothing usable is found. Only non-empty strings count.
    """
    found = set()
    if not isinstance(payload, dict) or not _is_object_type(payload.get("object")):
        return found
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        found.add(_string_id(entry.get("id")))
        events = entry.get("messaging")
        for event in events if isinstance(events, list) else ():
            if isinstance(event, dict):
                message = event.get("message")
                echo = isinstance(message, dict) and message.get("is_echo") is True
                party = event.get("sender" if echo else "recipient")
                found.add(_string_id(party.get("id")) if isinstance(party, dict) else None)
    found.discard(None)
    return found


def _string_id(value):
    return _id(value) if isinstance(value, str) else None


def parse_webhook(payload) -> WebhookBatch:
    """Parse every ``entry[].messaging[]`` event of a verified webhook body."""
    if not isinstance(payload, dict):
        raise PayloadError(f"The webhook body is {_kind(payload)}, not a JSON object.")
    object_type = payload.get("object")
    if not _is_object_type(object_type):
        raise PayloadError(f"The webhook object is {_show(object_type)}, not 'page' or 'instagram'.")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise PayloadError(f"The webhook body has no entry list (entry is {_kind(entries)}).")
    parser = _Parser(CHANNELS[object_type])
    for i, entry in enumerate(entries):
        parser.entry(entry, f"entry[{i}]")
    return parser.finish()


def _is_object_type(value):
    return isinstance(value, str) and value in CHANNELS


class _Parser(ProblemLog):
    def __init__(self, channel):
        super().__init__(WebhookBatch())
        self.channel = channel
        self.seen = set()

    def once(self, key):
        """False (and a problem is due) when ``key`` was already seen in this body."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def entry(self, entry, where):
        if not isinstance(entry, dict):
            self.problem(f"{where}: expected an object, got {_kind(entry)}; skipped.")
            return
        entry_id = _string_id(entry.get("id"))
        if entry.get("standby") is not None:
            self.problem(f"{where}: standby events (another app owns the thread) are not handled; ignored.")
        changes = entry.get("changes")
        if changes is not None:
            self.changes(changes, where)
        events = entry.get("messaging")
        if events is None and (entry.get("standby") is not None or changes is not None):
            return
        if not isinstance(events, list):
            self.problem(f"{where}: no messaging list (messaging is {_kind(events)}); skipped.")
            return
        for j, event in enumerate(events):
            self.event(event, f"{where}.messaging[{j}]", entry_id)

    def changes(self, changes, where):
        if not isinstance(changes, list):
            self.problem(f"{where}: changes is {_kind(changes)}, not a list; ignored.")
            return
        for k, change in enumerate(changes):
            name = change.get("field") if isinstance(change, dict) else None
            name = _str(name, 80) if isinstance(name, str) else None
            if name:
                self.batch.other_fields.append(name)
            else:
                self.problem(f"{where}.changes[{k}]: no field name; ignored.")

    def event(self, event, where, entry_id):
        if not isinstance(event, dict):
            self.problem(f"{where}: expected an object, got {_kind(event)}; skipped.")
            return
        sender = _party(event.get("sender"))
        recipient = _party(event.get("recipient"))
        stamp = event.get("timestamp")
        timestamp = _timestamp(stamp)
        if timestamp is None and stamp is not None:
            self.problem(f"{where}: unreadable timestamp {_show(stamp)}.")
        context = _Event(where, entry_id, sender, recipient, stamp, timestamp, event)
        for key, handler in (("message", self.message), ("postback", self.postback),
                             ("reaction", self.reaction), ("delivery", self.delivery), ("read", self.read)):
            if key in event:
                content = event[key]
                if not isinstance(content, dict):
                    self.problem(f"{where}: {key} is {_kind(content)}, not an object; skipped.")
                    return
                handler(content, context)
                return
        keys = sorted(_str(k, 40) or "?" for k in list(event)[:20] if k not in ("sender", "recipient", "timestamp"))
        keys = ", ".join(keys)
        self.problem(f"{where}: event ({keys or 'empty'}) is not handled; ignored.")

    def guest_context(self, ctx):
        """(account_id, guest_id) of an event sent by a guest, or None after a problem."""
        account = ctx.entry_id or ctx.recipient
        if not account or not ctx.sender:
            self.problem(f"{ctx.where}: event without {'an account id' if not account else 'a sender'}; skipped.")
            return None
        if not is_recipient(ctx.sender):
            self.problem(f"{ctx.where}: sender {_show(ctx.sender)} is not a PSID or IGSID; skipped.")
            return None
        if ctx.sender in (account, ctx.entry_id):
            # the account never talks to itself as a guest: a mangled echo
            self.problem(f"{ctx.where}: event sent by the account itself but not marked as an echo; skipped.")
            return None
        return account, ctx.sender

    def message(self, message, ctx):
        mid = _id(message.get("mid"))
        if message.get("is_echo") is True:
            self.echo(message, mid, ctx)
            return
        if not mid:
            self.problem(f"{ctx.where}: message without a mid; skipped.")
            return
        if message.get("is_deleted") is True:
            self.problem(f"{ctx.where} ({mid}): the guest deleted this message; ignored.")
            return
        ids = self.guest_context(ctx)
        if ids is None:
            return
        if not self.once(("message", mid)):
            self.problem(f"{ctx.where} ({mid}): duplicate of an earlier message in this body; skipped.")
            return
        message_type, body, reply_id, payload = _read_message(message)
        if message_type == "unsupported" and payload.get("original_type") is None:
            self.problem(f"{ctx.where} ({mid}): message with unreadable content; kept as unsupported.")
        if message_type in MEDIA_TYPES and not payload.get("url"):
            self.problem(f"{ctx.where} ({mid}): {message_type} without a URL.")
        reply_to = message.get("reply_to")
        self.add_inbound(ctx, ids, mid, message_type, body, reply_id, payload,
                         _id(reply_to.get("mid")) if isinstance(reply_to, dict) else None)

    def echo(self, message, mid, ctx):
        account = ctx.entry_id or ctx.sender
        if not mid or not account:
            self.problem(f"{ctx.where}: echo without {'a mid' if not mid else 'an account id'}; skipped.")
            return
        if not self.once(("echo", mid)):
            self.problem(f"{ctx.where} ({mid}): duplicate echo in this body; skipped.")
            return
        message_type, body, _reply_id, payload = _read_message(message)
        self.batch.echoes.append(Echo(
            channel=self.channel, account_id=account, recipient_id=ctx.recipient, platform_message_id=mid,
            app_id=_id(message.get("app_id")), metadata=_str(message.get("metadata"), MAX_PAYLOAD),
            timestamp=ctx.timestamp, message_type=message_type, body=body, payload=payload, raw=ctx.raw,
        ))

    def postback(self, postback, ctx):
        ids = self.guest_context(ctx)
        if ids is None:
            return
        reply_id = _str(postback.get("payload"), MAX_PAYLOAD)
        title = _str(postback.get("title"), MAX_TEXT)
        if not reply_id and not title:
            self.problem(f"{ctx.where}: postback without a title or payload; skipped.")
            return
        mid = _id(postback.get("mid")) or _synthetic_id("postback", ids[1], ctx.stamp, reply_id)
        if not self.once(("message", mid)):
            self.problem(f"{ctx.where} ({mid}): duplicate postback in this body; skipped.")
            return
        payload = {"kind": "postback", "id": reply_id, "title": title,
                   "referral": _referral(postback.get("referral"))}
        self.add_inbound(ctx, ids, mid, "interactive", title or reply_id, reply_id, payload, None)

    def reaction(self, reaction, ctx):
        ids = self.guest_context(ctx)
        if ids is None:
            return
        target = _id(reaction.get("mid"))
        action = reaction.get("action")
        if not target or action not in ("react", "unreact"):
            what = "the reacted message id" if not target else f"a known action (got {_show(action)})"
            self.problem(f"{ctx.where}: reaction without {what}; skipped.")
            return
        emoji = _str(reaction.get("emoji"), 64) if action == "react" else None
        mid = _synthetic_id("reaction", ids[1], ctx.stamp, f"{target}|{action}|{emoji or ''}")
        if not self.once(("message", mid)):
            self.problem(f"{ctx.where}: duplicate reaction in this body; skipped.")
            return
        payload = {"message_id": target, "action": action, "emoji": emoji,
                   "reaction": _str(reaction.get("reaction"), 64) if action == "react" else None}
        self.add_inbound(ctx, ids, mid, "reaction", emoji or REACTION_REMOVED, None, payload, None)

    def add_inbound(self, ctx, ids, mid, message_type, body, reply_id, payload, reply_to_mid):
        self.batch.messages.append(InboundMessage(
            channel=self.channel, account_id=ids[0], sender_id=ids[1], platform_message_id=mid,
            timestamp=ctx.timestamp, message_type=message_type, body=body, reply_id=reply_id,
            payload=payload, reply_to_mid=reply_to_mid, raw=ctx.raw,
        ))

    def delivery(self, delivery, ctx):
        self.status("delivered", delivery, ctx)

    def read(self, read, ctx):
        self.status("read", read, ctx)

    def status(self, status, receipt, ctx):
        ids = self.guest_context(ctx)
        if ids is None:
            return
        raw_mids = receipt.get("mids")
        mids = [_id(m) for m in raw_mids[:MAX_MIDS]] if isinstance(raw_mids, list) else []
        single = _id(receipt.get("mid"))
        mids = tuple(dict.fromkeys(m for m in [*mids, single] if m))
        watermark = _epoch_ms(receipt.get("watermark"))
        if not mids and watermark is None:
            self.problem(f"{ctx.where}: {status} receipt without message ids or a watermark; skipped.")
            return
        if not self.once((status, ids, mids, watermark)):
            self.problem(f"{ctx.where}: duplicate {status} receipt in this body; skipped.")
            return
        self.batch.statuses.append(StatusUpdate(
            channel=self.channel, account_id=ids[0], guest_id=ids[1], status=status, mids=mids,
            watermark=watermark, timestamp=ctx.timestamp, raw=ctx.raw,
        ))


@dataclass(frozen=True)
class _Event:
    where: str
    entry_id: str | None
    sender: str | None
    recipient: str | None
    stamp: object
    timestamp: datetime | None
    raw: dict


# --- message content -------------------------------------------------------


def _read_message(message):
    """(message_type, body, reply_id, payload) of a ``message`` object; never None."""
    text = _str(message.get("text"), MAX_BODY)
    quick_reply = message.get("quick_reply")
    reply_id = _str(quick_reply.get("payload"), MAX_PAYLOAD) if isinstance(quick_reply, dict) else None
    attachments = _attachments(message.get("attachments"))
    story = _story(message.get("reply_to"))
    if reply_id:
        payload = {"kind": "quick_reply", "id": reply_id, "title": text}
        return "interactive", text or reply_id, reply_id, payload
    if message.get("is_unsupported") is True:
        return "unsupported", UNSUPPORTED_BODY, None, {"original_type": "unsupported", "attachments": attachments}
    if not text and not attachments:
        return "unsupported", UNSUPPORTED_BODY, None, {"original_type": None, "attachments": []}
    payload = {"story": story} if story else {}
    if text:
        if attachments:
            payload["attachments"] = attachments
        return "text", text, None, payload
    payload["attachments"] = attachments
    kinds = [a["type"] for a in attachments]
    # until 2026-08-30 a sticker arrives as both an image and a sticker attachment
    first = "sticker" if "sticker" in kinds else kinds[0]
    message_type = ATTACHMENT_TYPES.get(first)
    payload["url"] = next((a["url"] for a in attachments if a["type"] == first), None)
    if message_type is None:
        payload["original_type"] = first
        return "unsupported", UNSUPPORTED_PLACEHOLDERS.get(first, UNSUPPORTED_BODY), None, payload
    if message_type == "location":
        location = next(a for a in attachments if a["type"] == "location")
        payload.update(latitude=location.get("latitude"), longitude=location.get("longitude"))
    count = kinds.count(first)
    body = PLACEHOLDERS[message_type] if count == 1 or message_type == "sticker" else f"[{count} {first}s]"
    return message_type, body, None, payload


def _attachments(attachments):
    result = []
    for attachment in attachments[:MAX_ATTACHMENTS] if isinstance(attachments, list) else ():
        if not isinstance(attachment, dict):
            continue
        kind = _str(attachment.get("type"), MAX_SHORT)
        content = attachment.get("payload")
        content = content if isinstance(content, dict) else {}
        if kind == "image" and content.get("sticker_id") is not None:
            kind = "sticker"  # Messenger's older sticker form
        if not kind:
            continue
        item = {"type": kind, "url": _url(content.get("url"))}
        title = _str(attachment.get("title") or content.get("title"), MAX_TEXT)
        if title:
            item["title"] = title
        if kind == "location":
            coordinates = content.get("coordinates")
            coordinates = coordinates if isinstance(coordinates, dict) else {}
            item["latitude"] = coordinate(coordinates.get("lat"), 90)
            item["longitude"] = coordinate(coordinates.get("long"), 180)
        result.append(item)
    return result


def _story(reply_to):
    story = reply_to.get("story") if isinstance(reply_to, dict) else None
    if not isinstance(story, dict):
        return None
    found = {"id": _id(story.get("id")), "url": _url(story.get("url"))}
    return found if any(found.values()) else None


def _referral(referral):
    if not isinstance(referral, dict):
        return None
    found = {key: _str(referral.get(key), MAX_TEXT) for key in ("ref", "source", "type")}
    return found if any(found.values()) else None


# --- small coercions -------------------------------------------------------


def _party(value):
    return _id(value.get("id")) if isinstance(value, dict) else None


def _url(value):
    url = _str(value, MAX_URL) if isinstance(value, str) else None
    return url if url and url.startswith(("https://", "http://")) else None


def _synthetic_id(kind, sender, stamp, detail):
    stamp = _epoch_ms(stamp)
    digest = hashlib.sha256(f"{sender}|{stamp}|{detail}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}.{digest[:32]}"


def _epoch_ms(value):
    """Epoch milliseconds as an int, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _EPOCH_MS.fullmatch(value):
            return None
        value = int(value)
    elif isinstance(value, float):
        value = int(value) if math.isfinite(value) else None
    if not isinstance(value, int) or not 0 <= value <= _MAX_EPOCH_MS:
        return None
    return value


def _timestamp(value):
    ms = _epoch_ms(value)
    if ms is None:
        return None
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).replace(microsecond=(ms % 1000) * 1000)
