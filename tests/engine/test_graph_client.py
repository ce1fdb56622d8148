import hashlib
import hmac
import json
import pickle
import socket
import threading
import time

import pytest
import requests

from guestmsg.meta.graph import (
    DEFAULT_VERSION,
    GraphClient,
    GraphError,
    GraphPermanentError,
    GraphTokenError,
    GraphTransientError,
    MediaHostRefused,
    error_class_for,
    parse_retry_after,
)
from guestmsg.testing import FakeGraphAPI

TOKEN = "EAAtesttoken"
PHONE_ID = "106540352242922"
TEXT = {"to": "+34600111222", "type": "text", "text": {"body": "Your room is ready"}}


@pytest.fixture
def graph():
    with FakeGraphAPI() as fake:
        yield fake


@pytest.fixture
def client(graph):
    with GraphClient(base_url=graph.base_url, access_token=TOKEN) as graph_client:
        yield graph_client


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- success paths ---------------------------------------------------------------------------------


def test_send_message_posts_json_with_bearer_and_returns_the_wamid(graph, client):
    wamid = client.send_message(PHONE_ID, TEXT)

    [request] = graph.requests
    assert request.method == "POST"
    assert request.path == f"/{DEFAULT_VERSION}/{PHONE_ID}/messages"
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert request.header("Content-Type") == "application/json"
    assert request.header("User-Agent") == "guest-messaging/18.0"
    assert request.json == {"messaging_product": "whatsapp", **TEXT}
    assert wamid.startswith("wamid.")
    assert wamid == request.response["messages"][0]["id"]
    assert request.response["contacts"] == [{"input": "+34600111222", "wa_id": "34600111222"}]
    assert graph.sent_messages(PHONE_ID) == [request.json]
    assert graph.sent_messages("other") == []


def test_every_send_gets_a_distinct_wamid(client):
    assert len({client.send_message(PHONE_ID, TEXT) for _ in range(5)}) == 5


def test_send_page_message_returns_message_id_and_empty_id_for_sender_actions(graph, client):
    message = {"recipient": {"id": "6120"}, "messaging_type": "RESPONSE", "message": {"text": "Hello"}}
    message_id = client.send_page_message("page1", message)
    typing = client.send_page_message("page1", {"recipient": {"id": "6120"}, "sender_action": "typing_on"})

    assert message_id.startswith("m_")
    assert typing == ""
    assert graph.sent_page_messages("page1") == [message, {"recipient": {"id": "6120"}, "sender_action": "typing_on"}]
    assert graph.requests[0].json == message  # no WhatsApp field added to Messenger sends


def test_get_media_and_download_media(graph, client):
    content = b"\xff\xd8\xff" + bytes(range(256)) * 40
    graph.add_media("media-1", content, "image/jpeg")

    media = client.get_media("media-1")
    assert media["mime_type"] == "image/jpeg"
    assert media["file_size"] == len(content)
    assert media["sha256"] == hashlib.sha256(content).hexdigest()
    assert media["url"].startswith(f"{graph.base_url}/media-bytes/media-1?")

    assert client.download_media(media["url"]) == content
    download = graph.requests[-1]
    assert download.endpoint == "media-bytes/media-1"
    assert download.bearer == TOKEN
    assert download.query["mid"] == "media-1"  # the URL was fetched as given, query string included


def test_download_media_refuses_a_url_on_another_host_before_sending_anything():
    with FakeGraphAPI() as elsewhere:
        with FakeGraphAPI(media_base_url=elsewhere.base_url) as graph:
            elsewhere.add_media("m2", b"voice note", "audio/ogg")
            graph.add_media("m2", b"voice note", "audio/ogg")
            client = GraphClient(base_url=graph.base_url + "/proxy", access_token=TOKEN)

            media = client.get_media("m2")
            assert media["url"].startswith(elsewhere.base_url + "/media-bytes/m2")
            with pytest.raises(MediaHostRefused) as caught:
                client.download_media(media["url"])

            assert isinstance(caught.value, GraphPermanentError) and not caught.value.retryable
            assert caught.value.url == media["url"]
            assert [r.endpoint for r in graph.requests] == ["m2"]
            assert elsewhere.requests == [], "neither the request nor the token reached the other host"


@pytest.mark.parametrize("content_length", [True, False])
def test_download_media_refuses_more_than_max_bytes(graph, client, content_length):
    graph.add_media("big", b"x" * 300_000, "video/mp4", content_length=content_length)
    url = client.get_media("big")["url"]

    with pytest.raises(GraphPermanentError, match="100000"):
        client.download_media(url, max_bytes=100_000)
    assert client.download_media(url, max_bytes=300_000) == b"x" * 300_000


def test_download_media_of_an_unknown_id_is_a_permanent_error(graph, client):
    with pytest.raises(GraphPermanentError) as caught:
        client.download_media(f"{graph.base_url}/media-bytes/gone")
    assert caught.value.http_status == 404


def test_exchange_code_sends_app_credentials_without_bearer(graph, client):
    graph.set_app("4321", "s3cret")
    graph.add_oauth_code("code-1", access_token="EAAbusiness", scopes=["whatsapp_business_messaging"])

    answer = client.exchange_code("4321", "s3cret", "code-1", redirect_uri="https://hotel.example/cb")

    assert answer == {"access_token": "EAAbusiness", "token_type": "bearer"}
    [request] = graph.requests
    assert request.endpoint == "oauth/access_token"
    assert request.query == {"client_id": "4321", "client_secret": "s3cret", "code": "code-1",
                             "redirect_uri": "https://hotel.example/cb"}
    assert request.header("Authorization") is None


def test_exchange_code_twice_is_refused(graph, client):
    client.exchange_code("4321", "s3cret", "code-2")
    with pytest.raises(GraphPermanentError) as caught:
        client.exchange_code("4321", "s3cret", "code-2")
    assert (caught.value.code, caught.value.subcode) == (100, 36009)


def test_exchange_long_lived_returns_expiry_and_token_is_then_valid(graph, client):
    answer = client.exchange_long_lived("4321", "s3cret", "EAAshort")

    assert answer["token_type"] == "bearer"
    assert answer["expires_in"] == 5183944
    assert graph.requests[0].query["grant_type"] == "fb_exchange_token"
    assert graph.requests[0].query["fb_exchange_token"] == "EAAshort"
    data = client.debug_token(answer["access_token"], "4321|s3cret")
    assert data["is_valid"] is True
    assert data["expires_at"] == pytest.approx(time.time() + 5183944, abs=60)


def test_debug_token_returns_data_and_authenticates_with_the_app_token(graph, client):
    scopes = [{"scope": "whatsapp_business_management", "target_ids": ["555", "444"]}]
    graph.set_token_state("EAAcustomer", expires_at=0, scopes=["whatsapp_business_management"],
                          granular_scopes=scopes)

    data = client.debug_token("EAAcustomer", "4321|s3cret")

    assert data["is_valid"] is True
    assert data["expires_at"] == 0
    assert data["granular_scopes"] == scopes
    assert graph.requests[0].bearer == "4321|s3cret"
    assert graph.requests[0].query == {"input_token": "EAAcustomer"}
    assert client.debug_token("EAAunknown", "4321|s3cret")["is_valid"] is False


def test_subscribe_app_with_fields_and_override(graph, client):
    assert client.subscribe_app("page1", fields=["messages", "messaging_postbacks"]) is True
    assert client.subscribe_app("waba1", override_callback_uri="https://hotel.example/wh", verify_token="v") is True

    assert graph.requests[0].query == {"subscribed_fields": "messages,messaging_postbacks"}
    assert graph.requests[1].json == {"override_callback_uri": "https://hotel.example/wh", "verify_token": "v"}
    assert graph.subscriptions["page1"]["subscribed_fields"] == ["messages", "messaging_postbacks"]
    assert graph.subscriptions["waba1"]["override_callback_uri"] == "https://hotel.example/wh"


def test_register_phone_number(graph, client):
    graph.add_phone_number(PHONE_ID, pin="123456")

    assert client.register_phone_number(PHONE_ID, "123456") is True
    assert graph.requests[0].json == {"messaging_product": "whatsapp", "pin": "123456"}
    with pytest.raises(GraphPermanentError) as caught:
        client.register_phone_number(PHONE_ID, "654321")
    assert caught.value.code == 133005
    with pytest.raises(ValueError):
        client.register_phone_number(PHONE_ID, "12ab")
    assert len(graph.requests) == 2


def test_get_phone_number_with_fields(graph, client):
    graph.add_phone_number(PHONE_ID, display_phone_number="+34 910 00 00 00", verified_name="Hotel Sol")

    number = client.get_phone_number(PHONE_ID, fields=["display_phone_number", "throughput"])

    assert number == {"id": PHONE_ID, "display_phone_number": "+34 910 00 00 00", "throughput": {"level": "STANDARD"}}
    assert client.get_phone_number(PHONE_ID)["verified_name"] == "Hotel Sol"


def test_list_message_templates_follows_paging(graph, client):
    names = [f"tpl_{i}" for i in range(7)]
    for name in names:
        graph.add_template("waba1", name, "en_US")
    graph.add_template("waba2", "elsewhere", "en_US")

    templates = client.list_message_templates("waba1", limit=3)

    assert [t["name"] for t in templates] == names
    assert templates[0]["components"] == [{"type": "BODY", "text": "Hi {{1}}, your room is ready."}]
    assert templates[0]["parameter_format"] == "POSITIONAL"
    pages = graph.requests
    assert len(pages) == 3
    assert "after" not in pages[0].query
    assert pages[1].query["after"] and pages[2].query["after"] != pages[1].query["after"]
    assert all(p.query["limit"] == "3" and "components" in p.query["fields"] for p in pages)


def test_list_message_templates_is_bounded(graph, client):
    for i in range(10):
        graph.add_template("waba1", f"tpl_{i}", "en_US")

    assert len(client.list_message_templates("waba1", limit=2, max_pages=3)) == 6
    assert len(graph.requests) == 3
    assert client.list_message_templates("empty") == []


def test_get_profile(graph, client):
    graph.add_profile("6120", name="Ana García", profile_pic="https://cdn.example/a.jpg", username="ana")

    assert client.get_profile("6120") == {"id": "6120", "name": "Ana García",
                                          "profile_pic": "https://cdn.example/a.jpg"}
    assert graph.requests[0].query == {"fields": "name,profile_pic"}


# -- URLs, headers, session --------------------------------------------------------------------------


def test_base_url_with_trailing_slash_and_path_prefix(graph):
    client = GraphClient(base_url=graph.base_url + "/proxy/", version="22.0", access_token=TOKEN)

    client.send_message(PHONE_ID, TEXT)

    assert client.url("/x/y") == f"{graph.base_url}/proxy/v22.0/x/y"
    assert graph.requests[0].path == f"/proxy/v22.0/{PHONE_ID}/messages"


def test_template_paging_stays_behind_the_proxy_prefix(graph):
    for i in range(3):
        graph.add_template("waba1", f"tpl_{i}", "en_US")
    client = GraphClient(base_url=graph.base_url + "/proxy", access_token=TOKEN)

    assert len(client.list_message_templates("waba1", limit=1)) == 3
    assert all(r.path.startswith("/proxy/") for r in graph.requests)


class RecordingSession(requests.Session):
    def __init__(self):
        super().__init__()
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        return super().request(method, url, **kwargs)


def test_one_session_and_explicit_timeouts_on_every_call(graph):
    session = RecordingSession()
    graph.add_media("m", b"abc", "image/png")
    graph.add_template("waba1", "t", "en_US")
    client = GraphClient(base_url=graph.base_url, access_token=TOKEN, session=session,
                         connect_timeout=1.5, read_timeout=7)

    client.send_message(PHONE_ID, TEXT)
    client.download_media(client.get_media("m")["url"])
    client.list_message_templates("waba1")
    client.exchange_code("1", "2", "3")
    client.close()  # a session given by the caller stays open

    assert len(session.calls) == 5
    assert all(kwargs["timeout"] == (1.5, 7) for _, _, kwargs in session.calls)
    assert session.adapters  # still usable
    client.send_message(PHONE_ID, TEXT)


def test_appsecret_proof_is_added_when_the_app_secret_is_known(graph):
    client = GraphClient(base_url=graph.base_url, access_token=TOKEN, app_secret="appsecret")

    client.send_message(PHONE_ID, TEXT)

    expected = hmac.new(b"appsecret", TOKEN.encode(), hashlib.sha256).hexdigest()
    assert graph.requests[0].query == {"appsecret_proof": expected}


# -- error mapping -----------------------------------------------------------------------------------

ENVELOPES = [
    (400, {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100,
           "error_data": {"messaging_product": "whatsapp", "details": "Unexpected key \"txt\" on param."}},
     GraphPermanentError),
    (401, {"message": "Error validating access token: Session has expired on Friday, 01-Mar-24.",
           "type": "OAuthException", "code": 190, "error_subcode": 463}, GraphTokenError),
    (400, {"message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047,
           "error_data": {"messaging_product": "whatsapp",
                          "details": "Message failed to send because more than 24 hours have passed."}},
     GraphPermanentError),
    (400, {"message": "(#131056) (Business Account, Consumer Account) pair rate limit hit", "type": "OAuthException",
           "code": 131056, "error_data": {"messaging_product": "whatsapp", "details": "Too many messages."}},
     GraphTransientError),
    (429, {"message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429,
           "error_data": {"messaging_product": "whatsapp", "details": "Cloud API message throughput reached."}},
     GraphTransientError),
    (400, {"message": "(#132000) Number of parameters does not match the expected number of params",
           "type": "OAuthException", "code": 132000,
           "error_data": {"messaging_product": "whatsapp", "details": "body: number of localizable_params (1)"}},
     GraphPermanentError),
    (500, {"message": "(#131000) Something went wrong", "type": "OAuthException", "code": 131000},
     GraphTransientError),
    (400, {"message": "(#131000) Something went wrong", "type": "OAuthException", "code": 131000},
     GraphPermanentError),
    (429, {"message": "(#131048) Spam rate limit hit", "type": "OAuthException", "code": 131048},
     GraphPermanentError),
    (403, {"message": "(#10) Application does not have permission for this action", "type": "OAuthException",
           "code": 10}, GraphTokenError),
    (403, {"message": "(#200) Requires pages_messaging permission", "type": "OAuthException", "code": 200},
     GraphTokenError),
    (400, {"message": "(#10) This message is sent outside of allowed window.", "type": "OAuthException",
           "code": 10, "error_subcode": 2018278}, GraphPermanentError),
    (400, {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4},
     GraphTransientError),
    (503, {"message": "(#133004) Server temporarily unavailable", "type": "OAuthException", "code": 133004},
     GraphTransientError),
    (403, {"message": "(#368) Temporarily blocked for policies violations", "type": "OAuthException", "code": 368},
     GraphPermanentError),
]


@pytest.mark.parametrize(("status", "error", "expected"), ENVELOPES,
                         ids=[f"{e[1]['code']}-{e[0]}" for e in ENVELOPES])
def test_graph_error_envelopes_are_mapped(graph, client, status, error, expected):
    error = dict(error, fbtrace_id="AbCdEf123")
    graph.fail_next(status=status, error=error)

    with pytest.raises(GraphError) as caught:
        client.send_message(PHONE_ID, TEXT)

    err = caught.value
    assert type(err) is expected
    assert err.retryable is (expected is GraphTransientError)
    assert err.http_status == status
    assert err.code == error["code"]
    assert err.subcode == error.get("error_subcode")
    assert err.error_type == "OAuthException"
    assert err.message == error["message"]
    assert err.fbtrace_id == "AbCdEf123"
    assert err.details == error.get("error_data", {}).get("details")
    assert str(error["code"]) in str(err)
    assert graph.sent_messages() == []


def test_token_error_from_the_token_subcode(graph, client):
    graph.fail_next(status=401, error={"message": "Error validating access token", "code": 190, "error_subcode": 463})
    with pytest.raises(GraphTokenError) as caught:
        client.get_phone_number(PHONE_ID)
    assert (caught.value.code, caught.value.subcode, caught.value.retryable) == (190, 463, False)


def test_retry_after_header_is_parsed(graph, client):
    graph.fail_next(status=429, error={"message": "(#130429) Rate limit hit", "code": 130429},
                    headers={"Retry-After": "7"})
    with pytest.raises(GraphTransientError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.retry_after == 7.0


def test_retry_after_absent_is_none(graph, client):
    graph.fail_next(status=429, error={"message": "(#4) Application request limit reached", "code": 4})
    with pytest.raises(GraphTransientError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.retry_after is None


def test_parse_retry_after_http_date_and_garbage():
    now = 1_700_000_000
    assert parse_retry_after("Tue, 14 Nov 2023 22:14:20 GMT", now=now) == pytest.approx(60)
    assert parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("2.5") == 2.5


def test_html_500_page_is_transient_with_a_readable_message(graph, client):
    graph.fail_next(status=500, body="<!DOCTYPE html><html><head><title>Sorry, something went wrong.</title>"
                                     "</head><body><div>Error</div></body></html>")
    with pytest.raises(GraphTransientError) as caught:
        client.send_message(PHONE_ID, TEXT)
    err = caught.value
    assert err.http_status == 500
    assert err.code is None
    assert "Sorry, something went wrong." in err.message
    assert "<" not in err.message


@pytest.mark.parametrize(("status", "expected"), [(502, GraphTransientError), (400, GraphPermanentError),
                                                  (401, GraphTokenError), (429, GraphTransientError)])
def test_empty_body_is_mapped_from_the_status(graph, client, status, expected):
    graph.fail_next(status=status, body=b"")
    with pytest.raises(GraphError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert type(caught.value) is expected
    assert "empty body" in caught.value.message


def test_non_json_error_body(graph, client):
    graph.fail_next(status=400, body="Bad request: upstream said no", content_type="text/plain")
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert "upstream said no" in caught.value.message
    assert caught.value.code is None


def test_huge_error_body_is_truncated(graph, client):
    huge = json.dumps({"error": {"message": "x" * 500_000, "code": 100}})
    graph.fail_next(status=400, body=huge, content_type="application/json")
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert len(str(caught.value)) < 1200
    assert "truncated" in caught.value.message


def test_huge_error_message_inside_valid_json_is_truncated(graph, client):
    graph.fail_next(status=400, error={"message": "y" * 20_000, "code": 100})
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.code == 100
    assert len(caught.value.message) <= 1000


def test_ok_answer_without_message_id_is_permanent_and_ambiguous(graph, client):
    graph.fail_next(status=200, body='{"messaging_product": "whatsapp", "contacts": []}',
                    content_type="application/json")
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.ambiguous is True


def test_ok_answer_that_is_not_json_is_permanent(graph, client):
    graph.fail_next(status=200, body="<html>captive portal</html>")
    with pytest.raises(GraphPermanentError):
        client.get_phone_number(PHONE_ID)


def test_read_timeout_is_transient_and_ambiguous_for_a_send(graph):
    client = GraphClient(base_url=graph.base_url, access_token=TOKEN, read_timeout=0.2)
    graph.delay_next(2.0)

    started = time.monotonic()
    with pytest.raises(GraphTransientError) as caught:
        client.send_message(PHONE_ID, TEXT)

    assert time.monotonic() - started < 1.5
    assert caught.value.ambiguous is True
    assert "timeout" in caught.value.message.lower()
    # the fake accepted the message before the client gave up: a blind resend would duplicate it
    assert len(graph.sent_messages()) == 1


def test_read_timeout_on_a_get_is_not_ambiguous(graph):
    graph.add_phone_number(PHONE_ID)
    client = GraphClient(base_url=graph.base_url, access_token=TOKEN, read_timeout=0.2)
    graph.delay_next(2.0, path_contains=PHONE_ID)
    with pytest.raises(GraphTransientError) as caught:
        client.get_phone_number(PHONE_ID)
    assert caught.value.ambiguous is False
    assert client.get_phone_number(PHONE_ID)["id"] == PHONE_ID


def test_connection_refused_is_transient_and_not_ambiguous():
    client = GraphClient(base_url=f"http://127.0.0.1:{closed_port()}", access_token=TOKEN)
    with pytest.raises(GraphTransientError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.ambiguous is False
    assert caught.value.retryable is True


def test_connection_errors_do_not_leak_secrets():
    client = GraphClient(base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(GraphTransientError) as caught:
        client.exchange_code("4321", "very-secret-value", "the-code")
    assert "very-secret-value" not in str(caught.value)
    assert "the-code" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_graph_errors_survive_pickling(graph, client):
    graph.fail_next(status=429, error={"message": "(#130429) Rate limit hit", "code": 130429},
                    headers={"Retry-After": "3"})
    with pytest.raises(GraphTransientError) as caught:
        client.send_message(PHONE_ID, TEXT)
    clone = pickle.loads(pickle.dumps(caught.value))
    assert type(clone) is GraphTransientError
    assert (clone.code, clone.retry_after, clone.message, clone.retryable) == (130429, 3.0, "(#130429) Rate limit hit",
                                                                               True)


def test_webhook_errors_are_classified_like_responses():
    failed_status_error = {"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
                           "error_data": {"details": "More than 24 hours have passed."}}
    err = GraphError.from_error(failed_status_error)
    assert type(err) is GraphPermanentError
    assert err.details == "More than 24 hours have passed."
    assert error_class_for(None, 130429) is GraphTransientError
    assert error_class_for(None, 190, 460) is GraphTokenError
    assert error_class_for(None, 131026) is GraphPermanentError


def test_error_data_as_a_json_string_is_understood(graph, client):
    graph.fail_next(status=400, error={"message": "(#100) Invalid parameter", "code": 100,
                                       "error_data": json.dumps({"details": "Param to is invalid"})})
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.details == "Param to is invalid"


# -- the fake's own behaviour ------------------------------------------------------------------------


def test_expected_token_is_enforced(graph):
    graph.expect_token(TOKEN)
    with pytest.raises(GraphTokenError) as caught:
        GraphClient(base_url=graph.base_url, access_token="EAAwrong").send_message(PHONE_ID, TEXT)
    assert (caught.value.http_status, caught.value.code) == (401, 190)
    with pytest.raises(GraphTokenError):
        GraphClient(base_url=graph.base_url).send_message(PHONE_ID, TEXT)
    assert GraphClient(base_url=graph.base_url, access_token=TOKEN).send_message(PHONE_ID, TEXT)


def test_expired_token_state_is_refused_with_subcode_463(graph, client):
    graph.set_token_state(TOKEN, expires_at=time.time() - 10)
    with pytest.raises(GraphTokenError) as caught:
        client.send_message(PHONE_ID, TEXT)
    assert caught.value.subcode == 463
    assert client.debug_token(TOKEN, "1|2")["is_valid"] is False


@pytest.mark.parametrize("payload", [
    {"to": "+34600111222", "type": "text"},
    {"type": "text", "text": {"body": "no recipient"}},
    {"to": "+34600111222", "type": "hologram", "hologram": {}},
    {"to": "+34600111222", "type": "text", "text": {"body": "x" * 4097}},
    {"to": "+34600111222", "messaging_product": "sms", "type": "text", "text": {"body": "hi"}},
])
def test_fake_validates_whatsapp_sends_like_meta(client, payload):
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, payload)
    assert caught.value.code == 100


def test_fake_refuses_unknown_or_unapproved_templates_once_templates_exist(graph, client):
    template = {"to": "+34600111222", "type": "template",
                "template": {"name": "checkin_reminder", "language": {"code": "en_US"}}}
    assert client.send_message(PHONE_ID, template)
    graph.add_template("waba1", "checkin_reminder", "en_US", status="PENDING", body_text="See you tomorrow.")
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, template)
    assert caught.value.code == 132001
    graph.add_template("waba1", "checkin_reminder", "en_US", body_text="See you tomorrow.")
    assert client.send_message(PHONE_ID, template)


@pytest.mark.parametrize("parameters,accepted", [([], False), (["Ana"], False), (["Ana", "Dec 1"], True),
                                                 (["Ana", "Dec 1", "R/1"], False)])
def test_fake_checks_the_template_parameter_count(graph, client, parameters, accepted):
    graph.add_template("waba1", "booking_confirmed", "en_US", body_text="Hi {{1}}, see you on {{2}}.")
    template = {"to": "+34600111222", "type": "template", "template": {
        "name": "booking_confirmed", "language": {"code": "en_US"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}]}}
    if accepted:
        assert client.send_message(PHONE_ID, template)
        return
    with pytest.raises(GraphPermanentError) as caught:
        client.send_message(PHONE_ID, template)
    assert caught.value.code == 132000


def test_fake_mark_as_read_is_not_a_sent_message(graph, client):
    graph.add_phone_number(PHONE_ID)
    answer = client.post(f"{PHONE_ID}/messages", json={"messaging_product": "whatsapp", "status": "read",
                                                       "message_id": "wamid.IN"})
    assert answer == {"success": True}
    assert graph.sent_messages() == []


def test_fake_failures_are_scoped_and_counted(graph, client):
    graph.add_phone_number(PHONE_ID)
    graph.fail_next(n=2, status=503, error={"message": "(#2) Service temporarily unavailable", "code": 2},
                    path_contains="/messages")

    assert client.get_phone_number(PHONE_ID)["id"] == PHONE_ID
    for _ in range(2):
        with pytest.raises(GraphTransientError):
            client.send_message(PHONE_ID, TEXT)
    assert client.send_message(PHONE_ID, TEXT)
    assert [r.status for r in graph.requests] == [200, 503, 503, 200]


def test_fake_handles_concurrent_sends(graph, client):
    results = []
    lock = threading.Lock()

    failures = []

    def send(i):
        try:
            wamid = client.send_message(PHONE_ID, {"to": f"+3460000{i:04d}", "type": "text", "text": {"body": str(i)}})
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(repr(exc))
            return
        with lock:
            results.append(wamid)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert failures == []
    assert len(set(results)) == 24
    assert sorted(m["text"]["body"] for m in graph.sent_messages()) == sorted(str(i) for i in range(24))
    assert len(graph.wait_for_requests(24, path_contains="/messages", method="POST", timeout=2)) == 24
    assert graph.errors == []


def test_fake_stops_cleanly_even_with_a_delayed_reply_pending():
    fake = FakeGraphAPI().start()
    url = fake.base_url
    fake.delay_next(30)
    client = GraphClient(base_url=url, access_token=TOKEN, read_timeout=0.2)
    with pytest.raises(GraphTransientError):
        client.send_message(PHONE_ID, TEXT)

    started = time.monotonic()
    fake.stop()
    fake.stop()

    assert time.monotonic() - started < 3
    with pytest.raises(GraphTransientError) as caught:
        GraphClient(base_url=url, access_token=TOKEN).send_message(PHONE_ID, TEXT)
    assert caught.value.ambiguous is False
