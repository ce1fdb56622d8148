"""What works and what does not on a WhatsApp connection, asked of Meta.

The Troubleshooting section of the product description as checks: the token,
its permissions, the phone number, and the webhook subscriptions (of the asset, and
the fields the app receives). Each check says ``ok`` True or False, or None when it
could not be made.
"""

from dataclasses import dataclass

from guestmsg.channels.meta_social import INSTAGRAM, REQUIRED_SCOPES
from guestmsg.channels.meta_social.webhook import SUBSCRIBED_FIELDS as PAGE_FIELDS
from guestmsg.channels.whatsapp.webhook import MESSAGES_FIELD
from guestmsg.channels.whatsapp.webhook import OBJECT_TYPE as WHATSAPP_OBJECT
from guestmsg.channels.whatsapp.webhook import SUBSCRIBED_FIELDS as WHATSAPP_FIELDS
from guestmsg.meta.app_subscriptions import missing_fields
from guestmsg.meta.graph import GraphError, GraphTokenError, GraphTransientError
from guestmsg.meta.token_lifecycle import token_status

REQUIRED_WHATSAPP_SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")
NUMBER_FIELDS = ("display_phone_number", "verified_name", "code_verification_status", "quality_rating")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None
    detail: str
    # False when a failure leaves the channel sending and receiving messages (some updates are missing)
    blocking: bool = True


def _check_token(client, token, app_token, required=REQUIRED_WHATSAPP_SCOPES):
    if not app_token:
        return [Check("token", None, "Not checked: set the platform app (ID and secret) in Settings to read the "
                                     "token's expiry and permissions.")]
    try:
        status = token_status(client.debug_token(token, app_token))
    except GraphError as exc:
        return [Check("token", None, f"Meta did not answer about the token: {exc.message}")]
    if not status.valid:
        return [Check("token", False, f"The token is not valid: {status.error}. Reconnect the channel.")]
    expiry = f"valid until {status.expires_at:%Y-%m-%d}" if status.expires_at else "valid, does not expire"
    missing = [scope for scope in required if scope not in status.scopes]
    scopes = Check("permissions", not missing,
                   f"Missing {', '.join(missing)}: grant them when connecting." if missing
                   else f"{' and '.join(required)} granted")
    return [Check("token", True, f"The token is {expiry}."), scopes]


def _read_asset(client, name, what, path, params):
    """GET an asset of the connection: (the object, None), or (None, the failed Check)."""
    try:
        data = client.get(path, params=params)
    except GraphTokenError as exc:
        return None, Check(name, False, f"Meta refused the token: {exc.message}")
    except GraphTransientError as exc:
        return None, Check(name, None, f"Meta did not answer about the {what}: {exc.message}")
    except GraphError as exc:
        return None, Check(name, False, f"Meta does not know this {what} ID: {exc.message}")
    return (data if isinstance(data, dict) else {}), None


def _check_number(client, phone_number_id):
    if not phone_number_id:
        return Check("phone number", False, "The Phone Number ID is missing.")
    number, failed = _read_asset(client, "phone number", "Phone Number", str(phone_number_id),
                                 {"fields": ",".join(NUMBER_FIELDS)})
    if failed:
        return failed
    verified = number.get("code_verification_status") in (None, "VERIFIED")
    detail = (f"{number.get('display_phone_number', '?')} ({number.get('verified_name', '?')}), "
              f"quality {number.get('quality_rating', 'unknown')}")
    if not verified:
        detail += f"; verification {number.get('code_verification_status')}: finish it in WhatsApp Manager"
    return Check("phone number", verified, detail)


def _check_webhook(client, waba_id):
    if not waba_id:
        return Check("webhooks", False, "The WhatsApp Business Account ID is missing, so the webhook "
                                        "subscription cannot be checked.")
    try:
        data = client.get(f"{waba_id}/subscribed_apps")
    except GraphError as exc:
        return Check("webhooks", None, f"Meta did not answer about the subscription: {exc.message}")
    apps = data.get("data") if isinstance(data, dict) else None
    if apps:
        return Check("webhooks", True, "The app is subscribed to the account's webhooks.")
    return Check("webhooks", False, "No app is subscribed to the account's webhooks: Meta delivers no message. "
                                    "Connect again, or subscribe the app in the Meta app dashboard.")


def _check_app_fields(client, token, app):
    """Which of the WhatsApp fields the product handles Meta does not send to ``app`` (a MetaApp), whose
    subscriptions the app's own token reads."""
    name = "webhook fields"
    if app is None or not app.secret:
        return Check(name, None, "Not checked: the app's secret is needed to read which updates Meta sends to it.")
    try:
        missing = missing_fields(client, app.identified(client, token), WHATSAPP_OBJECT, WHATSAPP_FIELDS)
    except GraphTokenError as exc:
        return Check(name, False, f"Meta refused the app's credentials: {exc.message}. Check the app secret.")
    except GraphError as exc:
        return Check(name, None, f"Meta did not answer about the app's webhook fields: {exc.message}")
    if missing:
        # without messages nothing a guest writes arrives; the other fields only keep templates and the
        # account's state current
        return Check(name, False, (
            f"Meta does not send {', '.join(missing)} to this app: connect again, or subscribe the app to "
            "them in the Meta App Dashboard (WhatsApp > Configuration > Webhook fields)."),
            blocking=MESSAGES_FIELD in missing)
    return Check(name, True, f"Meta sends the app every update the inbox handles: {', '.join(WHATSAPP_FIELDS)}.")


def check_whatsapp(client, token, app_token, phone_number_id, waba_id, app=None):
    """Run every check with ``client`` (a GraphClient holding ``token``); returns a list of Check. ``app`` is
    the MetaApp whose webhooks the connection receives (None: its fields are not checked)."""
    return [*_check_token(client, token, app_token), _check_number(client, phone_number_id),
            _check_webhook(client, waba_id), _check_app_fields(client, token, app)]


def _check_page(client, page_id, instagram_account_id):
    if not page_id:
        return Check("page", False, "The Facebook Page ID is missing.")
    page, failed = _read_asset(client, "page", "Page", str(page_id), {"fields": "name,instagram_business_account"})
    if failed:
        return failed
    if instagram_account_id is None:
        return Check("page", True, f"{page.get('name', '?')}")
    linked = (page.get("instagram_business_account") or {}).get("id")
    if linked != str(instagram_account_id):
        return Check("page", False, f"{page.get('name', '?')} is not linked to the Instagram account "
                                    f"{instagram_account_id}: link it in the Page's settings, or connect again.")
    return Check("page", True, f"{page.get('name', '?')}, linked to Instagram account {linked}")


def _check_page_webhook(client, page_id):
    try:
        data = client.get(f"{page_id}/subscribed_apps")
    except GraphError as exc:
        return Check("webhooks", None, f"Meta did not answer about the subscription: {exc.message}")
    apps = data.get("data") if isinstance(data, dict) else None
    apps = [app for app in apps if isinstance(app, dict)] if isinstance(apps, list) else []
    fields = {f for app in apps for f in app.get("subscribed_fields") or [] if isinstance(f, str)}
    if "messages" not in fields:
        return Check("webhooks", False, "The app is not subscribed to the Page's messages: Meta delivers nothing. "
                                        "Connect again, or subscribe the app to the Page in the Meta app dashboard.")
    missing = [name for name in PAGE_FIELDS if name not in fields]
    if missing:
        return Check("webhooks", False, f"Meta does not send {', '.join(missing)} of this Page to the app: connect "
                                        "again to subscribe the Page to them.", blocking=False)
    return Check("webhooks", True, "The app receives every Page event the inbox handles.")


def check_page(client, token, app_token, channel, page_id, instagram_account_id=None):
    """The same checks for a Messenger or Instagram connection (``instagram_account_id`` for Instagram)."""
    checks = [*_check_token(client, token, app_token, REQUIRED_SCOPES[channel]),
              _check_page(client, page_id, instagram_account_id if channel == INSTAGRAM.code else None)]
    if page_id:
        checks.append(_check_page_webhook(client, page_id))
    return checks
