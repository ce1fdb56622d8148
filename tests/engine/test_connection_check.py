import json
import time

import pytest

from guestmsg.channels.meta_social.webhook import SUBSCRIBED_FIELDS as PAGE_FIELDS
from guestmsg.channels.whatsapp.webhook import SUBSCRIBED_FIELDS as WHATSAPP_FIELDS
from guestmsg.meta.app_subscriptions import MetaApp
from guestmsg.meta.connection_check import check_whatsapp
from guestmsg.meta.graph import GraphClient
from guestmsg.testing import FakeGraphAPI

TOKEN = "EAAG-check"
SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")
APP = MetaApp("1000", "secret")


@pytest.fixture
def graph():
    with FakeGraphAPI() as fake:
        fake.set_app("1000", "secret")
        fake.set_token_state(TOKEN, scopes=SCOPES)
        fake.add_phone_number("111", display_phone_number="+34 600 000 111", verified_name="Hotel Sol")
        fake.set_app_subscription("1000", "whatsapp_business_account", WHATSAPP_FIELDS)
        yield fake


def run(graph, app_token="1000|secret", number="111", waba="WABA1", app=APP):
    with GraphClient(base_url=graph.base_url, access_token=TOKEN) as client:
        return {c.name: c for c in check_whatsapp(client, TOKEN, app_token, number, waba, app=app)}


def subscribe(graph):
    with GraphClient(base_url=graph.base_url, access_token=TOKEN) as client:
        client.subscribe_app("WABA1")


def test_everything_works(graph):
    subscribe(graph)
    checks = run(graph)
    assert all(c.ok for c in checks.values()), checks
    assert checks["token"].detail == "The token is valid, does not expire."
    assert "+34 600 000 111 (Hotel Sol)" in checks["phone number"].detail
    assert "every update the inbox handles" in checks["webhook fields"].detail


def test_the_fields_meta_does_not_send_are_named_in_plain_words(graph):
    graph.set_app_subscription("1000", "whatsapp_business_account",
                               ["messages", "message_template_status_update", "message_template_quality_update"])
    check = run(graph)["webhook fields"]
    assert (check.ok, check.blocking) == (False, False)
    assert check.detail.startswith("Meta does not send template_category_update, account_update to this app: ")


def test_an_app_that_receives_no_messages_is_broken(graph):
    graph.set_app_subscription("1000", "whatsapp_business_account", WHATSAPP_FIELDS, active=False)
    check = run(graph)["webhook fields"]
    assert (check.ok, check.blocking) == (False, True)
    assert f"Meta does not send {', '.join(WHATSAPP_FIELDS)} to this app" in check.detail
    graph.app_subscriptions.clear()
    assert run(graph)["webhook fields"].blocking is True


def test_the_fields_of_an_app_known_by_its_secret_alone_are_read_with_its_token(graph):
    graph.set_app_subscription("1000", "whatsapp_business_account", ["messages"])
    check = run(graph, app=MetaApp(None, "secret"))["webhook fields"]
    assert check.ok is False and "account_update" in check.detail
    [asked] = [r for r in graph.requests if r.endpoint == "1000/subscriptions"]
    assert asked.bearer == "1000|secret"


@pytest.mark.parametrize("app,ok,words", [
    (None, None, "Not checked"),
    (MetaApp("1000", ""), None, "Not checked"),
    (MetaApp("1000", "another-apps-secret"), False, "Check the app secret"),
])
def test_an_app_that_cannot_be_asked_is_said_so(graph, app, ok, words):
    check = run(graph, app=app)["webhook fields"]
    assert check.ok is ok and words in check.detail


def test_an_expiring_token_says_until_when(graph):
    graph.set_token_state(TOKEN, scopes=SCOPES, expires_at=time.time() + 10 * 86400)
    assert "valid until" in run(graph)["token"].detail


def test_a_revoked_token(graph):
    graph.set_token_state(TOKEN, valid=False)
    checks = run(graph)
    assert checks["token"].ok is False and "Reconnect" in checks["token"].detail
    assert "permissions" not in checks


def test_a_missing_permission(graph):
    graph.set_token_state(TOKEN, scopes=("whatsapp_business_messaging",))
    check = run(graph)["permissions"]
    assert check.ok is False and "whatsapp_business_management" in check.detail


def test_without_the_platform_app_the_token_is_not_checked(graph):
    checks = run(graph, app_token=None)
    assert checks["token"].ok is None
    assert not [r for r in graph.requests if "debug_token" in r.path]


def test_an_unknown_number_and_a_missing_subscription(graph):
    checks = run(graph, number="999")
    assert checks["phone number"].ok is False
    assert checks["webhooks"].ok is False and "No app is subscribed" in checks["webhooks"].detail


def test_missing_ids(graph):
    checks = run(graph, number="", waba="")
    assert checks["phone number"].ok is False and checks["webhooks"].ok is False


def test_meta_down_means_not_checked_rather_than_broken(graph):
    graph.fail_next(n=10, status=500, error={"code": 2, "message": "Service temporarily unavailable"})
    checks = run(graph)
    assert [c.ok for c in checks.values()] == [None, None, None, None]


# --- Messenger and Instagram -------------------------------------------------------------------------

from guestmsg.meta.connection_check import check_page  # noqa: E402

PAGE_SCOPES = ("pages_messaging", "instagram_manage_messages", "pages_manage_metadata")


@pytest.fixture
def page_graph():
    with FakeGraphAPI() as fake:
        fake.set_token_state("PAGE-TOKEN", scopes=PAGE_SCOPES)
        fake.add_page("880", name="Hotel Sol", access_token="PAGE-TOKEN", instagram_account_id="1784")
        yield fake


def run_page(graph, channel, page="880", instagram="1784", subscribe=PAGE_FIELDS):
    with GraphClient(base_url=graph.base_url, access_token="PAGE-TOKEN") as client:
        if subscribe:
            client.subscribe_app("880", fields=subscribe)
        return {c.name: c for c in check_page(client, "PAGE-TOKEN", "1000|secret", channel, page, instagram)}


@pytest.mark.parametrize("channel", ["messenger", "instagram"])
def test_a_working_page_passes_every_check(page_graph, channel):
    checks = run_page(page_graph, channel)
    assert all(c.ok for c in checks.values()), checks
    assert set(checks) == {"token", "permissions", "page", "webhooks"}


def test_an_instagram_account_not_linked_to_the_page_fails(page_graph):
    checks = run_page(page_graph, "instagram", instagram="9999")
    assert checks["page"].ok is False and "not linked" in checks["page"].detail


def test_a_page_without_the_messages_subscription_fails(page_graph):
    checks = run_page(page_graph, "messenger", subscribe=False)
    assert (checks["webhooks"].ok, checks["webhooks"].blocking) == (False, True)


@pytest.mark.parametrize("channel", ["messenger", "instagram"])
def test_the_page_fields_meta_does_not_send_are_named(page_graph, channel):
    check = run_page(page_graph, channel, subscribe=("messages", "messaging_postbacks"))["webhooks"]
    assert (check.ok, check.blocking) == (False, False)
    assert check.detail.startswith("Meta does not send message_echoes, message_deliveries, message_reads, "
                                   "message_reactions of this Page to the app")


def test_hostile_subscription_answers_read_as_nothing_subscribed(page_graph):
    for answer in ({"data": "messages"}, {"data": [{"subscribed_fields": "messages"}]}, [1], {"data": [None, 7]},
                   {"data": [{"subscribed_fields": [["messages"], None, 5]}]}):
        page_graph.fail_next(status=200, body=json.dumps(answer),
                             content_type="application/json", path_contains="880/subscribed_apps")
        check = run_page(page_graph, "messenger", subscribe=())["webhooks"]
        assert check.ok is False and "not subscribed" in check.detail, answer


def test_missing_page_permissions_are_named(page_graph):
    page_graph.set_token_state("PAGE-TOKEN", scopes=("pages_show_list",))
    checks = run_page(page_graph, "messenger")
    assert checks["permissions"].ok is False
    assert "pages_messaging" in checks["permissions"].detail


def test_an_unknown_page_is_reported(page_graph):
    checks = run_page(page_graph, "messenger", page="404404", subscribe=False)
    assert checks["page"].ok is False
