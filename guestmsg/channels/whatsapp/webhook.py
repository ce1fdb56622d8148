"""Parsing of WhatsApp Cloud API webhook bodies (``object = whatsapp_business_account``).

The input is the already JSON-decoded body of a POST whose signature has been
verified. Meta batches updates (several entries, changes, messages and
statuses per POST) and the same update can arrive more than once, so
everything is iterated and duplicates inside one body are dropped.

Nothing here raises on strange content except :class:`PayloadError`, for a
body that is not a WhatsApp Business Account payload at all. Anything else
that is malformed is skipped (or, for a message whose content cannot be read,
kept as ``unsupported``) and described in :attr:`WebhookBatch.problems`.

All strings taken from the payload are bounded, cleaned of NUL characters
(PostgreSQL text cannot hold them) and of unpaired surrogates (they cannot be
encoded as UTF-8). ``raw`` keeps the original dict untouched.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from guestmsg.channels.whatsapp.outbound import is_recipient
from guestmsg.meta.webhook_parsing import MAX_ID, ProblemLog, coordinate
from guestmsg.meta.webhook_parsing import bounded as _bounded
from guestmsg.meta.webhook_parsing import clean_id as _id
from guestmsg.meta.webhook_parsing import clean_str as _str
from guestmsg.meta.webhook_parsing import kind as _kind
from guestmsg.meta.webhook_parsing import show as _show

OBJECT_TYPE = "whatsapp_business_account"

MESSAGE_TYPES = (
    "text", "interactive", "template", "image", "audio", "video", "document", "sticker",
    "location", "contacts", "reaction", "unsupported",
)
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
INTERACTIVE_KINDS = ("button_reply", "list_reply", "template_button")
STATUSES = ("sent", "delivered", "read", "failed")
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}

MAX_BODY = 4096
MAX_TEXT = 1024
MAX_NAME = 256
MAX_SHORT = 128
MAX_URL = 2048
MAX_CONTACTS = 20
MAX_PHONES = 10
MAX_ERRORS = 10

UNSUPPORTED_BODY = "[unsupported message]"
MEDIA_PLACEHOLDERS = {
    "image": "[image]",
    "audio": "[audio]",
    "video": "[video]",
    "document": "[document]",
    "sticker": "[sticker]",
}
VOICE_PLACEHOLDER = "[voice message]"
LOCATION_PLACEHOLDER = "[location]"
CONTACTS_PLACEHOLDER = "[contact]"
REACTION_REMOVED = "[reaction removed]"
TEMPLATE_PLACEHOLDER = "[template]"

_EPOCH_SECONDS = re.compile(r"\d{1,12}")
# 9999-12-31T23:59:59Z; anything later cannot be a datetime
_MAX_EPOCH = 253402300799


class PayloadError(ValueError):
    """The body is not a WhatsApp Business Account webhook payload."""


@dataclass(frozen=True)
class InboundMessage:
    """One message a guest sent to a business number.

    ``wa_id`` is the sender's WhatsApp id (``from``); since 2026 Meta may omit
    it for users with a username, and then only ``user_id`` (the
    business-scoped user id, ``from_user_id``) identifies the sender.
    """

    phone_number_id: str
    display_phone_number: str | None
    platform_message_id: str
    wa_id: str | None
    profile_name: str | None
    timestamp: datetime | None
    message_type: str
    body: str
    reply_id: str | None
    payload: dict = field(hash=False)
    context_message_id: str | None
    raw: dict = field(hash=False, repr=False)
    user_id: str | None = None


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery status of a message the business sent.

    Meta's ``played`` (a voice message was played) is reported as ``read``:
    it implies the message was displayed, and our statuses stop at read.
    ``callback_data`` echoes the ``biz_opaque_callback_data`` sent with the
    message.
    """

    phone_number_id: str
    platform_message_id: str
    status: str
    timestamp: datetime | None
    recipient_id: str | None
    error_code: str | None
    error_title: str | None
    error_message: str | None
    pricing_category: str | None
    raw: dict = field(hash=False, repr=False)
    callback_data: str | None = None
    recipient_user_id: str | None = None


@dataclass(frozen=True)
class TemplateUpdate:
    """A change Meta made to a message template of a WhatsApp Business Account: its status (``event``:
    APPROVED, REJECTED, PAUSED, DISABLED...), quality, category or components."""

    waba_id: str
    field: str
    template_id: str | None
    name: str | None
    language: str | None
    status: str | None = None
    reason: str | None = None
    quality: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class AccountUpdate:
    """An ``account_update`` of a WhatsApp Business Account (restriction, ban, deletion, partner changes...)."""

    waba_id: str
    event: str
    phone_number: str | None
    detail: str | None
    raw: dict = field(hash=False, repr=False)


@dataclass
class WebhookBatch:
    messages: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    template_updates: list = field(default_factory=list)
    account_updates: list = field(default_factory=list)
    # fields acknowledged and kept in the stored body, with nothing to act on here
    other_fields: list = field(default_factory=list)
    problems: list = field(default_factory=list)


MESSAGES_FIELD = "messages"
TEMPLATE_STATUS_FIELD = "message_template_status_update"
TEMPLATE_QUALITY_FIELD = "message_template_quality_update"
TEMPLATE_CATEGORY_FIELD = "template_category_update"
TEMPLATE_FIELDS = (TEMPLATE_STATUS_FIELD, TEMPLATE_QUALITY_FIELD, TEMPLATE_CATEGORY_FIELD,
                   "message_template_components_update")
ACCOUNT_FIELD = "account_update"
# the fields the product acts on: connecting a number subscribes the app to them, the connection test
# names those Meta does not send
SUBSCRIBED_FIELDS = (MESSAGES_FIELD, TEMPLATE_STATUS_FIELD, TEMPLATE_QUALITY_FIELD, TEMPLATE_CATEGORY_FIELD,
                     ACCOUNT_FIELD)
# account_update events after which the account can no longer send: the connection is in error
ACCOUNT_BLOCKING_EVENTS = frozenset({
    "ACCOUNT_RESTRICTION", "DISABLED_UPDATE", "ACCOUNT_DELETED", "PARTNER_REMOVED", "ACCOUNT_OFFBOARDED",
    "BUSINESS_DISCONNECTED", "ACCOUNT_DISCONNECTED",
})
ACCOUNT_RECONNECTED_EVENTS = frozenset({"ACCOUNT_RECONNECTED", "PARTNER_APP_INSTALLED", "PARTNER_ADDED"})


def should_apply_status(current: str | None, new: str) -> bool:
    """Whether a message whose status is ``current`` should take status ``new``.

    Meta sends sent/delivered/read/failed out of order and more than once, and
    skips ``delivered`` when a message is read at once. The rules:

    * statuses only move forward along queued < sent < delivered < read; the
      same status again, or an older one, is not applied (read never becomes
      delivered);
    * ``failed`` applies to a message that is queued or sent (or has no
      status yet), never to one already delivered or read: a delivery receipt
      proves the device got the message, which a failure to send or deliver
      contradicts;
    * ``delivered`` or ``read`` arriving after ``failed`` are applied for the
      same reason (proof of delivery wins); a late ``sent`` is not;
    * an unknown ``new`` value is never applied; an unknown ``current``
      (or None) is treated as "no status yet".
    """
    if new == "failed":
        return current not in ("failed", "delivered", "read")
    if new not in STATUS_RANK:
        return False
    if current == "failed":
        return STATUS_RANK[new] >= STATUS_RANK["delivered"]
    if current not in STATUS_RANK:
        return True
    return STATUS_RANK[new] > STATUS_RANK[current]


def phone_number_ids(payload) -> set:
    """The ``metadata.phone_number_id`` values of all changes, to find the connection.

    Used before the signature is checked, so it accepts anything and returns
    an empty set when nothing usable is found. Only non-empty strings count.
    """
    found = set()
    if not isinstance(payload, dict) or payload.get("object") != OBJECT_TYPE:
        return found
    entries = payload.get("entry")
    if not isinstance(entries, list):
        return found
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            continue
        for change in changes:
            value = change.get("value") if isinstance(change, dict) else None
            metadata = value.get("metadata") if isinstance(value, dict) else None
            if isinstance(metadata, dict):
                number_id = _phone_number_id(metadata.get("phone_number_id"))
                if number_id:
                    found.add(number_id)
    return found


def account_ids(payload) -> set:
    """Every account a body names: the phone number ids of its changes and the WhatsApp Business Account
    ids of its entries (template and account updates name only the latter). Tolerant, like
    ``phone_number_ids``."""
    found = phone_number_ids(payload)
    if not isinstance(payload, dict) or payload.get("object") != OBJECT_TYPE:
        return found
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else ():
        waba_id = _phone_number_id(entry.get("id")) if isinstance(entry, dict) else None
        if waba_id:
            found.add(waba_id)
    return found


def parse_webhook(payload) -> WebhookBatch:
    """Parse every ``messages`` change of a verified webhook body."""
    if not isinstance(payload, dict):
        raise PayloadError(f"The webhook body is {_kind(payload)}, not a JSON object.")
    if payload.get("object") != OBJECT_TYPE:
        raise PayloadError(f"The webhook object is {_show(payload.get('object'))}, not '{OBJECT_TYPE}'.")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise PayloadError(f"The webhook body has no entry list (entry is {_kind(entries)}).")
    parser = _Parser()
    for i, entry in enumerate(entries):
        parser.entry(entry, f"entry[{i}]")
    return parser.finish()


class _Parser(ProblemLog):
    def __init__(self):
        super().__init__(WebhookBatch())
        self.seen_messages = set()
        self.seen_statuses = set()

    def entry(self, entry, where):
        if not isinstance(entry, dict):
            self.problem(f"{where}: expected an object, got {_kind(entry)}; skipped.")
            return
        changes = entry.get("changes")
        if not isinstance(changes, list):
            self.problem(f"{where}: no changes list (changes is {_kind(changes)}); skipped.")
            return
        waba_id = _phone_number_id(entry.get("id"))
        for j, change in enumerate(changes):
            self.change(change, f"{where}.changes[{j}]", waba_id)

    def change(self, change, where, waba_id=None):
        if not isinstance(change, dict):
            self.problem(f"{where}: expected an object, got {_kind(change)}; skipped.")
            return
        field_name = change.get("field")
        if field_name in TEMPLATE_FIELDS or field_name == ACCOUNT_FIELD:
            value = change.get("value")
            if not waba_id or not isinstance(value, dict):
                self.problem(f"{where}: {field_name} without an account id or a value object; skipped.")
            elif field_name == ACCOUNT_FIELD:
                self.account_update(value, where, waba_id)
            else:
                self.template_update(field_name, value, where, waba_id)
            return
        if field_name != MESSAGES_FIELD:
            name = _str(field_name, 80) if isinstance(field_name, str) else None
            if name:
                self.batch.other_fields.append(name)
            else:
                self.problem(f"{where}: field {_show(field_name)} is not a field name; ignored.")
            return
        value = change.get("value")
        if not isinstance(value, dict):
            self.problem(f"{where}: value is {_kind(value)}, not an object; skipped.")
            return
        metadata = value.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        number_id = _phone_number_id(metadata.get("phone_number_id"))
        if not number_id:
            self.problem(f"{where}: no metadata.phone_number_id; skipped.")
            return
        display = _id(metadata.get("display_phone_number"))
        self.value_errors(value.get("errors"), where)
        names = _contact_names(value.get("contacts"))
        messages = value.get("messages")
        if messages is not None:
            if isinstance(messages, list):
                for k, message in enumerate(messages):
                    self.message(message, f"{where}.value.messages[{k}]", number_id, display, names)
            else:
                self.problem(f"{where}: messages is {_kind(messages)}, not a list; skipped.")
        statuses = value.get("statuses")
        if statuses is not None:
            if isinstance(statuses, list):
                for k, status in enumerate(statuses):
                    self.status(status, f"{where}.value.statuses[{k}]", number_id)
            else:
                self.problem(f"{where}: statuses is {_kind(statuses)}, not a list; skipped.")

    def value_errors(self, errors, where):
        for error in _errors(errors):
            self.problem(
                f"{where}: Meta reported error {error['code'] or '?'}: "
                f"{error['details'] or error['message'] or error['title'] or 'no description'}"
            )

    def template_update(self, field_name, value, where, waba_id):
        template_id = _id(value.get("message_template_id"))
        name = _str(value.get("message_template_name"), 512)
        if not template_id and not name:
            self.problem(f"{where}: {field_name} names no template; skipped.")
            return
        rejection = value.get("rejection_info") if isinstance(value.get("rejection_info"), dict) else {}
        other = value.get("other_info") if isinstance(value.get("other_info"), dict) else {}
        reason = _str(rejection.get("reason"), 200) or _str(value.get("reason"), 200)
        if reason == "NONE":
            reason = None
        detail = _str(rejection.get("recommendation"), 500) or _str(other.get("description"), 500)
        status = _str(value.get("event"), 40) if field_name == TEMPLATE_STATUS_FIELD else None
        quality = None
        if field_name == TEMPLATE_QUALITY_FIELD:
            quality = _str(value.get("new_quality_score"), 40)
        category = _str(value.get("new_category"), 40) or _str(value.get("message_template_category"), 40)
        self.batch.template_updates.append(TemplateUpdate(
            waba_id=waba_id, field=field_name, template_id=template_id, name=name,
            language=_str(value.get("message_template_language"), 20),
            status=status.upper() if status else None,
            reason=" - ".join(part for part in (reason, detail) if part) or None,
            quality=quality.upper() if quality else None, category=category.upper() if category else None,
        ))

    def account_update(self, value, where, waba_id):
        event = _str(value.get("event"), 80)
        if not event:
            self.problem(f"{where}: account_update without an event; skipped.")
            return
        details = []
        ban = value.get("ban_info")
        if isinstance(ban, dict) and _str(ban.get("waba_ban_state"), 80):
            details.append(f"ban state {_str(ban.get('waba_ban_state'), 80)}")
        restrictions = value.get("restriction_info")
        for restriction in restrictions[:10] if isinstance(restrictions, list) else ():
            kind = _str(restriction.get("restriction_type"), 120) if isinstance(restriction, dict) else None
            if kind:
                details.append(kind)
        violation = value.get("violation_info")
        if isinstance(violation, dict) and _str(violation.get("violation_type"), 120):
            details.append(_str(violation.get("violation_type"), 120))
        self.batch.account_updates.append(AccountUpdate(
            waba_id=waba_id, event=event.upper(), phone_number=_id(value.get("phone_number")),
            detail=", ".join(details) or None, raw=value,
        ))

    def message(self, message, where, number_id, display, names):
        if not isinstance(message, dict):
            self.problem(f"{where}: expected an object, got {_kind(message)}; skipped.")
            return
        wamid = _id(message.get("id"))
        if not wamid:
            self.problem(f"{where}: message without an id; skipped.")
            return
        wa_id = _id(message.get("from"))
        if wa_id and not is_recipient(wa_id):
            self.problem(f"{where} ({wamid}): sender {_show(wa_id)} is not a WhatsApp number; ignored.")
            wa_id = None
        user_id = _id(message.get("from_user_id"))
        if not wa_id and not user_id:
            self.problem(f"{where} ({wamid}): message without a sender (from / from_user_id); skipped.")
            return
        if wamid in self.seen_messages:
            self.problem(f"{where} ({wamid}): duplicate of an earlier message in this body; skipped.")
            return
        timestamp = _timestamp(message.get("timestamp"))
        if timestamp is None and message.get("timestamp") is not None:
            self.problem(f"{where} ({wamid}): unreadable timestamp {_show(message.get('timestamp'))}.")
        context = message.get("context")
        context_id = _id(context.get("id")) if isinstance(context, dict) else None

        meta_type = message.get("type")
        content = _read_content(meta_type, message)
        if content is None:
            self.problem(f"{where} ({wamid}): {_show(meta_type)} message with unreadable content; "
                         "kept as unsupported.")
            content = _unsupported(_str(meta_type, MAX_SHORT), message.get("errors"))
        message_type, body, reply_id, payload = content
        if message_type in MEDIA_TYPES and not payload.get("media_id"):
            self.problem(f"{where} ({wamid}): {message_type} without a media id.")

        self.seen_messages.add(wamid)
        self.batch.messages.append(InboundMessage(
            phone_number_id=number_id,
            display_phone_number=display,
            platform_message_id=wamid,
            wa_id=wa_id,
            profile_name=names.get(wa_id) or names.get(user_id),
            timestamp=timestamp,
            message_type=message_type,
            body=body,
            reply_id=reply_id,
            payload=payload,
            context_message_id=context_id,
            raw=message,
            user_id=user_id,
        ))

    def status(self, status, where, number_id):
        if not isinstance(status, dict):
            self.problem(f"{where}: expected an object, got {_kind(status)}; skipped.")
            return
        wamid = _id(status.get("id"))
        if not wamid:
            self.problem(f"{where}: status without a message id; skipped.")
            return
        value = status.get("status")
        if value == "played":
            value = "read"
        if value not in STATUSES:
            self.problem(f"{where} ({wamid}): status {_show(value)} is not handled; skipped.")
            return
        if (wamid, value) in self.seen_statuses:
            self.problem(f"{where} ({wamid}): duplicate '{value}' status in this body; skipped.")
            return
        timestamp = _timestamp(status.get("timestamp"))
        if timestamp is None and status.get("timestamp") is not None:
            self.problem(f"{where} ({wamid}): unreadable timestamp {_show(status.get('timestamp'))}.")
        errors = _errors(status.get("errors"))
        first = errors[0] if errors else {}
        pricing = status.get("pricing")
        category = _str(pricing.get("category"), MAX_SHORT) if isinstance(pricing, dict) else None
        self.seen_statuses.add((wamid, value))
        self.batch.statuses.append(StatusUpdate(
            phone_number_id=number_id,
            platform_message_id=wamid,
            status=value,
            timestamp=timestamp,
            recipient_id=_id(status.get("recipient_id")),
            error_code=first.get("code"),
            error_title=first.get("title"),
            error_message=first.get("details") or first.get("message"),
            pricing_category=category,
            raw=status,
            callback_data=_str(status.get("biz_opaque_callback_data"), 512),
            recipient_user_id=_id(status.get("recipient_user_id")),
        ))


# --- message content -------------------------------------------------------
# Each reader takes the object keyed by the message type and the whole message
# and returns (message_type, body, reply_id, payload), or None when the content
# cannot be read.


def _read_content(meta_type, message):
    if meta_type == "unsupported":
        inner = message.get("unsupported")
        original = _str(inner.get("type"), MAX_SHORT) if isinstance(inner, dict) else None
        return _unsupported(original, message.get("errors"))
    if not isinstance(meta_type, str) or meta_type not in _READERS:
        return _unsupported(_str(meta_type, MAX_SHORT), message.get("errors"))
    return _READERS[meta_type](message.get(meta_type), message)


def _unsupported(original_type, errors):
    return "unsupported", UNSUPPORTED_BODY, None, {"original_type": original_type, "errors": _errors(errors)}


def _read_text(text, _message):
    if not isinstance(text, dict):
        return None
    body = _str(text.get("body"), MAX_BODY)
    if body is None:
        return None
    return "text", body, None, {}


def _read_interactive(interactive, message):
    if not isinstance(interactive, dict):
        return None
    kind = interactive.get("type")
    if kind not in ("button_reply", "list_reply"):
        # Flow replies (nfm_reply), call permission replies and future kinds
        kind = _str(kind, MAX_SHORT)
        original = f"interactive.{kind}" if kind else "interactive"
        return _unsupported(original, message.get("errors"))
    reply = interactive.get(kind)
    if not isinstance(reply, dict):
        return None
    reply_id = _id(reply.get("id"))
    title = _str(reply.get("title"), MAX_TEXT)
    if not reply_id and not title:
        return None
    description = _str(reply.get("description"), MAX_TEXT) if kind == "list_reply" else None
    payload = {"kind": kind, "id": reply_id, "title": title, "description": description}
    return "interactive", title or reply_id, reply_id, payload


def _read_template_button(button, _message):
    # a tap on a quick-reply button of a template message
    if not isinstance(button, dict):
        return None
    reply_id = _id(button.get("payload"))
    title = _str(button.get("text"), MAX_TEXT)
    if not reply_id and not title:
        return None
    payload = {"kind": "template_button", "id": reply_id, "title": title, "description": None}
    return "interactive", title or reply_id, reply_id, payload


def _read_media(media_type):
    def read(media, _message):
        if not isinstance(media, dict):
            return None
        caption = _str(media.get("caption"), MAX_BODY) if media_type in ("image", "video", "document") else None
        filename = _str(media.get("filename"), MAX_NAME) if media_type == "document" else None
        voice = media_type == "audio" and media.get("voice") is True
        payload = {
            "media_id": _id(media.get("id")),
            "mime_type": _str(media.get("mime_type"), MAX_SHORT),
            "sha256": _str(media.get("sha256"), MAX_SHORT),
            "caption": caption,
            "filename": filename,
            "voice": voice,
        }
        if caption:
            body = caption
        elif voice:
            body = VOICE_PLACEHOLDER
        elif filename:
            body = f"[document: {filename}]"
        else:
            body = MEDIA_PLACEHOLDERS[media_type]
        return media_type, body, None, payload

    return read


def _read_location(location, _message):
    if not isinstance(location, dict):
        return None
    latitude = coordinate(location.get("latitude"), 90)
    longitude = coordinate(location.get("longitude"), 180)
    name = _str(location.get("name"), MAX_TEXT)
    address = _str(location.get("address"), MAX_TEXT)
    url = _str(location.get("url"), MAX_URL)
    if latitude is None and longitude is None and not name and not address:
        return None
    payload = {"latitude": latitude, "longitude": longitude, "name": name, "address": address, "url": url}
    words = [part for part in (name, address) if part]
    if words:
        body = " — ".join(words)
    elif latitude is not None and longitude is not None:
        body = f"{_format_coordinate(latitude)}, {_format_coordinate(longitude)}"
    else:
        body = LOCATION_PLACEHOLDER
    return "location", body, None, payload


def _read_contacts(contacts, _message):
    if not isinstance(contacts, list):
        return None
    normalised = []
    for contact in contacts[:MAX_CONTACTS]:
        if not isinstance(contact, dict):
            continue
        name = _contact_card_name(contact.get("name"))
        phones = []
        raw_phones = contact.get("phones")
        for phone in raw_phones[:MAX_PHONES] if isinstance(raw_phones, list) else ():
            if not isinstance(phone, dict):
                continue
            number = _str(phone.get("phone"), 64)
            wa_id = _id(phone.get("wa_id"))
            if number or wa_id:
                phones.append({"phone": number, "wa_id": wa_id, "type": _str(phone.get("type"), 32)})
        if name or phones:
            normalised.append({"name": name, "phones": phones})
    if not normalised:
        return None
    names = [c["name"] for c in normalised if c["name"]]
    body = _bounded(", ".join(names), MAX_BODY) if names else CONTACTS_PLACEHOLDER
    return "contacts", body, None, {"contacts": normalised}


def _contact_card_name(name):
    if not isinstance(name, dict):
        return _str(name, MAX_NAME)
    formatted = _str(name.get("formatted_name"), MAX_NAME)
    if formatted:
        return formatted
    parts = [_str(name.get(key), MAX_NAME) for key in ("first_name", "middle_name", "last_name")]
    return _bounded(" ".join(p for p in parts if p), MAX_NAME) or None


def _read_reaction(reaction, _message):
    if not isinstance(reaction, dict):
        return None
    target = _id(reaction.get("message_id"))
    if not target:
        return None
    emoji = _str(reaction.get("emoji"), 64) or None
    return "reaction", emoji or REACTION_REMOVED, None, {"message_id": target, "emoji": emoji}


def _read_template(template, _message):
    name = _str(template.get("name"), MAX_NAME) if isinstance(template, dict) else None
    body = f"[template: {name}]" if name else TEMPLATE_PLACEHOLDER
    return "template", body, None, {"name": name}


_READERS = {
    "text": _read_text,
    "interactive": _read_interactive,
    "button": _read_template_button,
    "location": _read_location,
    "contacts": _read_contacts,
    "reaction": _read_reaction,
    "template": _read_template,
    **{media_type: _read_media(media_type) for media_type in MEDIA_TYPES},
}


# --- small coercions -------------------------------------------------------


def _phone_number_id(value):
    # strings only, as Meta sends them: routing must not depend on coercion
    return _str(value, MAX_ID) if isinstance(value, str) else None


def _timestamp(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _EPOCH_SECONDS.fullmatch(value):
            return None
        value = int(value)
    elif isinstance(value, float) and math.isfinite(value):
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= _MAX_EPOCH:
        return None
    return datetime.fromtimestamp(value, tz=timezone.utc)


def _format_coordinate(value):
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _errors(errors):
    if not isinstance(errors, list):
        return []
    result = []
    for error in errors[:MAX_ERRORS]:
        if not isinstance(error, dict):
            continue
        data = error.get("error_data")
        result.append({
            "code": _str(error.get("code"), 32),
            "title": _str(error.get("title"), MAX_TEXT),
            "message": _str(error.get("message"), MAX_TEXT),
            "details": _str(data.get("details"), MAX_TEXT) if isinstance(data, dict) else None,
        })
    return result


def _contact_names(contacts):
    """Profile names of ``value.contacts[]`` keyed by wa_id and by user_id."""
    names = {}
    if not isinstance(contacts, list):
        return names
    for contact in contacts:
        if not isinstance(contact, dict):
            continue
        profile = contact.get("profile")
        name = _str(profile.get("name"), MAX_NAME) if isinstance(profile, dict) else None
        if not name:
            continue
        for key in (_id(contact.get("wa_id")), _id(contact.get("user_id"))):
            if key:
                names.setdefault(key, name)
    return names
