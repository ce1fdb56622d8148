"""The server side of Meta's Embedded Signup: from the code the login popup returns to a working channel.

WhatsApp: exchange the code for the business token, find the WhatsApp Business Account and phone
number (from the signup session, else from the token's granular scopes), subscribe the app to the
account's webhooks and to the fields the product handles, and register the number on the Cloud API.
Messenger and Instagram: exchange the code, make the user token long-lived, pick the Page (and its
Instagram account) and subscribe the app to the Page's webhooks with the Page token.

Every step can run again: a second Connect repairs whatever the first left half done. Errors are
:class:`OnboardingError` with a message a hotel manager can act on.
"""

import re
import secrets
from dataclasses import dataclass

from guestmsg.channels.meta_social.webhook import SUBSCRIBED_FIELDS as PAGE_FIELDS
from guestmsg.channels.whatsapp.webhook import OBJECT_TYPE as WHATSAPP_OBJECT
from guestmsg.channels.whatsapp.webhook import SUBSCRIBED_FIELDS as WHATSAPP_FIELDS
from guestmsg.meta.app_subscriptions import subscribe_fields
from guestmsg.meta.graph import GraphError, GraphTokenError
from guestmsg.meta.token_lifecycle import token_status

_ID = re.compile(r"\d{1,32}")
PIN_MISMATCH = 133005


class OnboardingError(Exception):
    """A step that failed; ``step`` names it, the message says what to do."""

    def __init__(self, step, message):
        super().__init__(message)
        self.step = step
        self.message = message


@dataclass(frozen=True)
class SignupSession:
    """What the popup's WA_EMBEDDED_SIGNUP message said: only well-formed ids are kept."""

    phone_number_id: str | None = None
    waba_id: str | None = None
    business_id: str | None = None
    page_ids: tuple = ()
    instagram_account_ids: tuple = ()


@dataclass(frozen=True)
class Callback:
    """Where an app's webhooks go: our callback URL, and the verify token Meta checks it with."""

    url: str
    verify_token: str


@dataclass(frozen=True)
class WhatsAppAssets:
    access_token: str
    expires_at: object  # naive UTC datetime, or None when the token does not expire
    waba_id: str
    phone_number_id: str
    display_phone_number: str
    verified_name: str
    pin: str
    # the fields the app was subscribed to now, and why that failed (the connection works without them)
    fields_added: tuple = ()
    fields_error: str | None = None


@dataclass(frozen=True)
class PageAssets:
    access_token: str
    page_id: str
    page_name: str
    instagram_account_id: str | None


def _one_id(value):
    value = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return value if _ID.fullmatch(value) else None


def _ids(value):
    if not isinstance(value, (list, tuple)):
        value = [value] if value else []
    return tuple(dict.fromkeys(i for i in map(_one_id, value[:50]) if i))


def parse_session_info(raw):
    """A SignupSession from the browser's data (the message's ``data`` or the whole message)."""
    if not isinstance(raw, dict):
        return SignupSession()
    data = raw.get("data") if isinstance(raw.get("data"), dict) else raw
    return SignupSession(
        phone_number_id=_one_id(data.get("phone_number_id")),
        waba_id=_one_id(data.get("waba_id")) or next(iter(_ids(data.get("waba_ids"))), None),
        business_id=_one_id(data.get("business_id")),
        page_ids=_ids(data.get("page_ids")),
        instagram_account_ids=_ids(data.get("instagram_account_ids")),
    )


def exchange_code(client, app_id, app_secret, code):
    """The token a signup code stands for."""
    try:
        return client.exchange_code(app_id, app_secret, code)
    except GraphError as exc:
        raise OnboardingError("code", f"Meta did not accept the login code ({exc.message}). Press Connect with "
                                      "Meta again: a code is valid for 30 seconds and only once.") from None


def _get(client, step, path, token, params=None, what=""):
    try:
        return client.get(path, params=params, token=token)
    except GraphTokenError as exc:
        raise OnboardingError(step, f"Meta refused the token while reading {what}: {exc.message}. "
                                    "Connect again and grant every permission asked.") from None
    except GraphError as exc:
        raise OnboardingError(step, f"Meta did not answer while reading {what}: {exc.message}. "
                                    "Press Connect again to retry.") from None


def _scope_targets(debug_data, scope):
    for item in debug_data.get("granular_scopes") or []:
        if isinstance(item, dict) and item.get("scope") == scope:
            return _ids(item.get("target_ids") or [])
    return ()


def onboard_whatsapp(client, *, app_token, token, session, pin=None, app=None, callback=None):
    """Discover, subscribe and register a WhatsApp number with the business ``token``.

    With ``app`` (a MetaApp) and ``callback``, the app is also subscribed to the fields the product handles; a
    refusal does not stop the signup and is returned in ``fields_error``.
    """
    try:
        debug = client.debug_token(token, app_token)
    except GraphError as exc:
        raise OnboardingError("token", f"Meta did not describe the new token: {exc.message}.") from None
    status = token_status(debug)
    if not status.valid:
        raise OnboardingError("token", f"The token from Meta is not valid ({status.error}). Connect again.")
    waba_id = session.waba_id or next(iter(_scope_targets(debug, "whatsapp_business_management")), None)
    if not waba_id:
        raise OnboardingError("assets", "No WhatsApp Business Account was shared during signup. Connect again "
                                        "and pick or create one in Meta's window.")
    numbers = _get(client, "assets", f"{waba_id}/phone_numbers", token, what="the account's phone numbers")
    listed = {n.get("id"): n for n in (numbers.get("data") or []) if isinstance(n, dict)}
    phone_number_id = session.phone_number_id or next(iter(listed), None)
    if not phone_number_id:
        raise OnboardingError("assets", "The WhatsApp Business Account has no phone number yet. Add one in Meta's "
                                        "window (or WhatsApp Manager), then Connect again.")
    number = _get(client, "number", phone_number_id, token,
                  params={"fields": "display_phone_number,verified_name,status"}, what="the phone number")
    try:
        client.post(f"{waba_id}/subscribed_apps", token=token)
    except GraphError as exc:
        raise OnboardingError("webhooks", f"Meta did not subscribe the app to the account's messages: "
                                          f"{exc.message}. Press Connect again to retry.") from None
    fields_added, fields_error = subscribe_app_fields(client, app, callback, token) if app and callback else ((), None)
    pin = pin or f"{secrets.randbelow(10**6):06d}"
    if number.get("status") != "CONNECTED":
        try:
            client.post(f"{phone_number_id}/register", json={"messaging_product": "whatsapp", "pin": pin},
                        token=token)
        except GraphError as exc:
            if exc.code == PIN_MISMATCH:
                raise OnboardingError("register", "This number already has a two-step verification PIN. Enter it "
                                                  "in the connection's Two-step PIN field, then Connect again.") from None
            raise OnboardingError("register", f"Meta did not register the number on the Cloud API: {exc.message}. "
                                              "Connect again later (Meta allows 10 attempts in 72 hours).") from None
    return WhatsAppAssets(
        access_token=token, expires_at=status.expires_at, waba_id=waba_id, phone_number_id=phone_number_id,
        display_phone_number=str(number.get("display_phone_number") or ""),
        verified_name=str(number.get("verified_name") or ""), pin=pin, fields_added=fields_added,
        fields_error=fields_error,
    )


def subscribe_app_fields(client, app, callback, token):
    """Subscribe ``app`` (its id read from ``token`` when unknown) to the WhatsApp fields the product handles
    that it misses, through our ``callback``: ``(fields added, None)``, or ``((), why it failed)``. The
    channel works without them, so a refusal is reported, never raised."""
    try:
        return subscribe_fields(client, app.identified(client, token), WHATSAPP_OBJECT, WHATSAPP_FIELDS,
                                callback.url, callback.verify_token), None
    except GraphError as exc:
        return (), (f"Meta did not subscribe the app to the WhatsApp updates the inbox handles: {exc.message}. "
                    "Press Test to see which ones Meta does not send.")


def onboard_page(client, *, app_id, app_secret, token, session, instagram):
    """Pick the Page (and for Instagram its professional account) and subscribe the app to it."""
    try:
        token = client.exchange_long_lived(app_id, app_secret, token)["access_token"]
    except GraphError as exc:
        raise OnboardingError("token", f"Meta did not extend the login: {exc.message}. Connect again.") from None
    accounts = _get(client, "assets", "me/accounts", token,
                    params={"fields": "id,name,access_token,instagram_business_account"}, what="your Pages")
    pages = [p for p in accounts.get("data") or [] if isinstance(p, dict) and _one_id(p.get("id"))]
    if session.page_ids:
        pages = [p for p in pages if p["id"] in session.page_ids] or pages
    if instagram:
        linked = [p for p in pages if _one_id((p.get("instagram_business_account") or {}).get("id"))]
        if session.instagram_account_ids:
            linked = [p for p in linked
                      if p["instagram_business_account"]["id"] in session.instagram_account_ids] or linked
        if not linked:
            raise OnboardingError("assets", "None of the Pages you shared has an Instagram professional account "
                                            "linked. Link it in the Page's settings, then Connect again.")
        pages = linked
    if not pages:
        raise OnboardingError("assets", "No Facebook Page was shared during login. Connect again and select the "
                                        "hotel's Page.")
    page = pages[0]
    page_token = page.get("access_token")
    if not page_token:
        raise OnboardingError("assets", f"Meta gave no Page token for {page.get('name')}: you need a role on the "
                                        "Page that can manage messages.")
    try:
        client.post(f"{page['id']}/subscribed_apps", params={"subscribed_fields": ",".join(PAGE_FIELDS)},
                    token=page_token)
    except GraphError as exc:
        raise OnboardingError("webhooks", f"Meta did not subscribe the app to the Page's messages: {exc.message}. "
                                          "Press Connect again to retry.") from None
    instagram_id = (page.get("instagram_business_account") or {}).get("id") if instagram else None
    return PageAssets(access_token=page_token, page_id=page["id"], page_name=str(page.get("name") or ""),
                      instagram_account_id=_one_id(instagram_id))
