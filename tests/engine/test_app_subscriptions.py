import json

import pytest

from guestmsg.channels.whatsapp.webhook import OBJECT_TYPE, SUBSCRIBED_FIELDS
from guestmsg.meta.app_subscriptions import MetaApp, missing_fields, subscribe_fields, subscribed_fields
from guestmsg.meta.graph import GraphClient, GraphError, GraphTokenError
from guestmsg.testing import FakeGraphAPI

APP = MetaApp("1000", "app-secret")
CALLBACK = "https://hotel.example/guest_messaging/webhook/whatsapp"


@pytest.fixture
def graph():
    with FakeGraphAPI() as fake:
        fake.set_app(APP.app_id, APP.secret)
        fake.set_token_state("EAAG-user", app_id=APP.app_id)
        yield fake


@pytest.fixture
def client(graph):
    with GraphClient(base_url=graph.base_url) as c:
        yield c


def test_subscribing_names_the_callback_and_keeps_what_the_app_had(graph, client):
    graph.set_app_subscription(APP.app_id, OBJECT_TYPE, ["messages", "flows"])
    graph.set_app_subscription(APP.app_id, "page", ["feed"])
    added = subscribe_fields(client, APP, OBJECT_TYPE, SUBSCRIBED_FIELDS, CALLBACK, "verify-me")
    assert added == SUBSCRIBED_FIELDS[1:]
    assert graph.app_fields(APP.app_id, OBJECT_TYPE) == ["flows", "messages", *SUBSCRIBED_FIELDS[1:]]
    assert graph.app_fields(APP.app_id, "page") == ["feed"]
    listed = client.get(f"{APP.app_id}/subscriptions", token=APP.token)["data"]
    whatsapp = next(s for s in listed if s["object"] == OBJECT_TYPE)
    assert (whatsapp["callback_url"], whatsapp["active"]) == (CALLBACK, True)
    assert "verify_token" not in whatsapp
    assert missing_fields(client, APP, OBJECT_TYPE, SUBSCRIBED_FIELDS) == ()
    graph.clear_requests()
    assert subscribe_fields(client, APP, OBJECT_TYPE, SUBSCRIBED_FIELDS, CALLBACK, "verify-me") == ()
    assert [r.method for r in graph.requests] == ["GET"]


def test_an_inactive_subscription_sends_nothing(graph, client):
    graph.set_app_subscription(APP.app_id, OBJECT_TYPE, SUBSCRIBED_FIELDS, active=False)
    assert missing_fields(client, APP, OBJECT_TYPE, SUBSCRIBED_FIELDS) == SUBSCRIBED_FIELDS


@pytest.mark.parametrize("token,error", [
    ("EAAG-user", "must be called with an app access_token"),
    ("1000|wrong-secret", "Invalid OAuth access token signature"),
    ("1001|app-secret", "Invalid OAuth access token signature"),
    ("", "must be called with an app access_token"),
])
def test_only_the_apps_own_token_reads_or_changes_its_subscriptions(graph, client, token, error):
    for method in ("GET", "POST"):
        with pytest.raises(GraphError, match=error):
            client.request(method, f"{APP.app_id}/subscriptions", token=token, json={
                "object": OBJECT_TYPE, "callback_url": CALLBACK, "verify_token": "v", "fields": "messages"})
    assert graph.app_subscriptions == {}


def test_a_wrong_secret_is_a_credential_error(client):
    with pytest.raises(GraphTokenError):
        subscribed_fields(client, MetaApp(APP.app_id, "wrong"), OBJECT_TYPE)


@pytest.mark.parametrize("body,words", [
    ({"callback_url": CALLBACK, "verify_token": "v", "fields": "messages"}, "object"),
    ({"object": OBJECT_TYPE, "verify_token": "v", "fields": "messages"}, "callback_url"),
    ({"object": OBJECT_TYPE, "callback_url": "ftp://x", "verify_token": "v", "fields": "messages"}, "callback_url"),
    ({"object": OBJECT_TYPE, "callback_url": CALLBACK, "fields": "messages"}, "verify_token"),
    ({"object": OBJECT_TYPE, "callback_url": CALLBACK, "verify_token": "v", "fields": ""}, "fields"),
    ({"object": OBJECT_TYPE, "callback_url": CALLBACK, "verify_token": "v", "fields": [1, 2]}, "fields"),
])
def test_the_fake_refuses_a_subscription_meta_would_refuse(graph, client, body, words):
    with pytest.raises(GraphError, match=words):
        client.post(f"{APP.app_id}/subscriptions", token=APP.token, json=body)
    assert graph.app_subscriptions == {}


@pytest.mark.parametrize("answer", [
    {"data": "whatsapp_business_account"}, [], {"data": [None, 5, "x"]},
    {"data": [{"object": OBJECT_TYPE, "fields": "messages"}]},
    {"data": [{"object": OBJECT_TYPE, "fields": [None, 7, ["messages"], {"name": 3}]}]},
])
def test_a_strange_answer_reads_as_nothing_subscribed(graph, client, answer):
    graph.fail_next(status=200, body=json.dumps(answer), content_type="application/json",
                    path_contains="/subscriptions")
    assert subscribed_fields(client, APP, OBJECT_TYPE) == frozenset()


def test_the_app_of_a_token_is_read_once_and_only_when_unknown(graph, client):
    assert APP.identified(client, "EAAG-user") is APP
    assert not graph.requests
    assert MetaApp(None, "app-secret").identified(client, "EAAG-user") == APP
    with pytest.raises(GraphError):
        MetaApp(None, "app-secret").identified(client, "not-a-token")
    graph.fail_next(status=200, body=json.dumps({"id": "../me"}), content_type="application/json",
                    path_contains="/app")
    with pytest.raises(GraphError, match="named no app"):
        MetaApp(None, "app-secret").identified(client, "EAAG-user")
