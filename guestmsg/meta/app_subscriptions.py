"""An app's webhook subscriptions (``/{app-id}/subscriptions``): which fields of an object Meta sends to the
app's callback at all.

Meta delivers a field only when the app subscribes to it here and the asset (a WhatsApp Business Account,
a Page) has the app installed. These calls take the app access token ``{app-id}|{app-secret}``; subscribing
makes Meta verify the callback URL with the verify token before it answers.
"""

from dataclasses import dataclass, replace

from guestmsg.meta.graph import GraphPermanentError


@dataclass(frozen=True)
class MetaApp:
    """A Meta app as its own calls need it; ``app_id`` may be unknown until read from a token of the app."""

    app_id: str | None
    secret: str

    @property
    def token(self):
        return f"{self.app_id}|{self.secret}"

    def identified(self, client, token):
        """This app with its id, read from ``token`` (a token the app issued) when it is not known."""
        if self.app_id:
            return self
        data = client.get("app", token=token)
        app_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(app_id, str) or not app_id.isdigit():
            raise GraphPermanentError("Meta named no app for the access token", raw=data)
        return replace(self, app_id=app_id)


def subscribed_fields(client, app, object_type):
    """The fields of ``object_type`` Meta sends to the app: empty when it has no active subscription."""
    data = client.get(f"{app.app_id}/subscriptions", token=app.token)
    listed = data.get("data") if isinstance(data, dict) else None
    for subscription in listed if isinstance(listed, list) else ():
        if isinstance(subscription, dict) and subscription.get("object") == object_type:
            if subscription.get("active") is False:
                return frozenset()
            fields = subscription.get("fields")
            fields = fields if isinstance(fields, list) else ()
            names = (f.get("name") if isinstance(f, dict) else f for f in fields)
            return frozenset(name for name in names if isinstance(name, str))
    return frozenset()


def missing_fields(client, app, object_type, wanted):
    """The fields of ``wanted`` Meta does not send to the app, in ``wanted``'s order."""
    return _missing(subscribed_fields(client, app, object_type), wanted)


def subscribe_fields(client, app, object_type, wanted, callback_url, verify_token):
    """Subscribe the app to the fields of ``wanted`` it misses, keeping those it has; returns the fields added
    (none, and no call, when nothing is missing). Raises GraphError when Meta refuses."""
    present = subscribed_fields(client, app, object_type)
    missing = _missing(present, wanted)
    if missing:
        client.post(f"{app.app_id}/subscriptions", token=app.token, json={
            "object": object_type, "callback_url": callback_url, "verify_token": verify_token,
            "fields": ",".join([*sorted(present), *missing]),
        })
    return missing


def _missing(present, wanted):
    return tuple(name for name in wanted if name not in present)
