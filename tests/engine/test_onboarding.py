import pytest

from guestmsg.channels.meta_social.webhook import SUBSCRIBED_FIELDS as PAGE_FIELDS
from guestmsg.channels.whatsapp.webhook import SUBSCRIBED_FIELDS as WHATSAPP_FIELDS
from guestmsg.meta.app_subscriptions import MetaApp
from guestmsg.meta.graph import GraphClient
from guestmsg.meta.onboarding import (
    Callback,
    OnboardingError,
    SignupSession,
    exchange_code,
    onboard_page,
    onboard_whatsapp,
    parse_session_info,
)
from guestmsg.testing import FakeGraphAPI

APP_ID, APP_SECRET = "1000", "platform-secret"
APP_TOKEN = f"{APP_ID}|{APP_SECRET}"
WA_SCOPES = ("whatsapp_business_messaging", "whatsapp_business_management")


@pytest.fixture
def graph():
    with FakeGraphAPI() as fake:
        fake.set_app(APP_ID, APP_SECRET)
        yield fake


@pytest.fixture
def client(graph):
    with GraphClient(base_url=graph.base_url) as c:
        yield c


def business_token(graph, code="CODE1", waba_targets=("555",), exchange=True):
    """The token Meta gives for a signup code (exchanged, unless ``exchange`` is False)."""
    graph.add_oauth_code(code, access_token=f"BISU-{code}", scopes=WA_SCOPES, granular_scopes=[
        {"scope": "whatsapp_business_management", "target_ids": list(waba_targets)},
        {"scope": "whatsapp_business_messaging", "target_ids": list(waba_targets)},
    ] if waba_targets else [])
    if exchange:
        with GraphClient(base_url=graph.base_url) as c:
            return exchange_code(c, APP_ID, APP_SECRET, code)["access_token"]
    return f"BISU-{code}"


# --- the popup's session data ---------------------------------------------------------------------


def test_session_info_keeps_the_ids_the_popup_sent():
    message = {"type": "WA_EMBEDDED_SIGNUP", "event": "FINISH",
               "data": {"phone_number_id": "106540352242922", "waba_id": "524126980791429", "business_id": 77,
                        "page_ids": ["42", "43"], "instagram_account_ids": ["1784"]}}
    assert parse_session_info(message) == SignupSession("106540352242922", "524126980791429", "77", ("42", "43"),
                                                        ("1784",))
    assert parse_session_info(message["data"]) == parse_session_info(message)


@pytest.mark.parametrize("raw", [
    None, "FINISH", [], 42, {"data": "x"},
    {"phone_number_id": "1; DROP TABLE", "waba_id": "../me", "business_id": True},
    {"phone_number_id": {"id": "1"}, "waba_id": ["1"], "page_ids": "12"},
    {"phone_number_id": "9" * 500, "page_ids": [None, {"id": 1}, "x" * 40]},
])
def test_hostile_session_info_gives_no_ids(raw):
    session = parse_session_info(raw)
    assert session.phone_number_id is None and session.waba_id is None and session.business_id is None
    assert session.instagram_account_ids == ()
    assert session.page_ids in ((), ("12",))


def test_multi_waba_session_takes_the_first():
    assert parse_session_info({"waba_ids": ["9", "8"]}).waba_id == "9"


# --- WhatsApp ---------------------------------------------------------------------------------------


def test_whatsapp_from_the_session(graph, client):
    token = business_token(graph, exchange=False)
    graph.add_phone_number("777", display_phone_number="+34 600 000 777", verified_name="Hotel Sol",
                           waba_id="555", status="PENDING")
    assert exchange_code(client, APP_ID, APP_SECRET, "CODE1")["access_token"] == token
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token,
                              session=SignupSession(phone_number_id="777", waba_id="555"))
    assert (assets.waba_id, assets.phone_number_id, assets.display_phone_number, assets.verified_name) == (
        "555", "777", "+34 600 000 777", "Hotel Sol")
    assert graph.subscriptions["555"] == {"subscribed_fields": []}
    assert graph.registrations["777"]["pin"] == assets.pin and len(assets.pin) == 6
    assert assets.expires_at is None


def test_whatsapp_from_the_tokens_granular_scopes(graph, client):
    token = business_token(graph, waba_targets=("556", "999"))
    graph.add_phone_number("778", waba_id="556", status="PENDING")
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession())
    assert (assets.waba_id, assets.phone_number_id) == ("556", "778")


def test_whatsapp_again_does_not_register_twice(graph, client):
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING")
    first = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession())
    again = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(), pin=first.pin)
    assert graph.registrations["777"]["calls"] == 1
    assert again.pin == first.pin


def test_a_number_with_its_own_pin_asks_for_it(graph, client):
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING", pin="246810")
    with pytest.raises(OnboardingError) as caught:
        onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(), pin="000000")
    assert caught.value.step == "register" and "two-step verification PIN" in caught.value.message
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(), pin="246810")
    assert assets.pin == "246810"


@pytest.mark.parametrize("setup,step,words", [
    (lambda g: business_token(g, waba_targets=()), "assets", "No WhatsApp Business Account"),
    (lambda g: business_token(g), "assets", "has no phone number yet"),
])
def test_missing_assets_say_what_to_do(graph, client, setup, step, words):
    setup(graph)
    with pytest.raises(OnboardingError) as caught:
        onboard_whatsapp(client, app_token=APP_TOKEN, token="BISU-CODE1", session=SignupSession())
    assert caught.value.step == step and words in caught.value.message


def test_a_used_or_unknown_code_is_refused_clearly(graph, client):
    business_token(graph)
    for code in ("CODE1", "NOT-A-CODE"):
        with pytest.raises(OnboardingError) as caught:
            exchange_code(client, APP_ID, APP_SECRET, code)
        assert "30 seconds and only once" in caught.value.message


def test_a_revoked_token_stops_at_the_token_step(graph, client):
    token = business_token(graph)
    graph.set_token_state(token, valid=False)
    with pytest.raises(OnboardingError) as caught:
        onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession())
    assert caught.value.step == "token"


def test_meta_failing_the_subscription_is_retryable(graph, client):
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING")
    graph.fail_next(status=500, error={"code": 2, "message": "Service temporarily unavailable"},
                    path_contains="subscribed_apps")
    with pytest.raises(OnboardingError) as caught:
        onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession())
    assert caught.value.step == "webhooks" and "Connect again" in caught.value.message
    assert "777" not in graph.registrations
    onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession())
    assert graph.registrations["777"]["calls"] == 1


CALLBACK = Callback("https://hotel.example/guest_messaging/webhook/whatsapp", "verify-me")


def test_connecting_subscribes_the_app_to_the_fields_the_product_handles(graph, client):
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING")
    graph.set_app_subscription(APP_ID, "whatsapp_business_account", ["messages", "calls"])
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(),
                              app=MetaApp(APP_ID, APP_SECRET), callback=CALLBACK)
    assert assets.fields_error is None
    assert assets.fields_added == ("message_template_status_update", "message_template_quality_update",
                                   "template_category_update", "account_update")
    # the fields the app had stay: Meta keeps only those a subscription names
    assert graph.app_fields(APP_ID, "whatsapp_business_account") == ["calls", "messages", *assets.fields_added]
    subscription = graph.app_subscriptions[APP_ID]["whatsapp_business_account"]
    assert (subscription["callback_url"], subscription["verify_token"]) == (CALLBACK.url, "verify-me")
    [post] = [r for r in graph.requests if r.method == "POST" and r.endpoint == f"{APP_ID}/subscriptions"]
    assert post.bearer == APP_TOKEN
    graph.clear_requests()
    again = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(),
                             app=MetaApp(APP_ID, APP_SECRET), callback=CALLBACK)
    assert again.fields_added == () and again.fields_error is None
    assert not [r for r in graph.requests if r.method == "POST" and r.endpoint.endswith("/subscriptions")]


@pytest.mark.parametrize("app,words", [
    (MetaApp(APP_ID, "another-apps-secret"), "Invalid OAuth access token signature"),
    (MetaApp("1001", APP_SECRET), "does not exist"),
])
def test_a_refused_field_subscription_is_reported_and_the_number_still_connects(graph, client, app, words):
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING")
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(), app=app,
                              callback=CALLBACK)
    assert assets.phone_number_id == "777" and graph.registrations["777"]["calls"] == 1
    assert assets.fields_added == () and words in assets.fields_error and "Press Test" in assets.fields_error
    assert graph.app_fields(APP_ID, "whatsapp_business_account") == []


def test_meta_failing_the_field_subscription_does_not_stop_the_signup(graph, client):
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING")
    graph.fail_next(status=500, error={"code": 2, "message": "Service temporarily unavailable"},
                    path_contains=f"{APP_ID}/subscriptions")
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(),
                              app=MetaApp(APP_ID, APP_SECRET), callback=CALLBACK)
    assert "Service temporarily unavailable" in assets.fields_error
    assert graph.subscriptions["555"] == {"subscribed_fields": []}


def test_an_app_whose_id_is_unknown_is_found_from_its_token(graph, client):
    """An advanced setup stores the app's secret only; its token names the app."""
    token = business_token(graph)
    graph.add_phone_number("777", waba_id="555", status="PENDING")
    assets = onboard_whatsapp(client, app_token=APP_TOKEN, token=token, session=SignupSession(),
                              app=MetaApp(None, APP_SECRET), callback=CALLBACK)
    assert assets.fields_error is None
    assert graph.app_fields(APP_ID, "whatsapp_business_account") == list(WHATSAPP_FIELDS)


# --- Messenger and Instagram ---------------------------------------------------------------------------


def page_login(graph, code="PCODE"):
    graph.add_oauth_code(code, access_token=f"USER-{code}")
    return exchange_code(GraphClient(base_url=graph.base_url), APP_ID, APP_SECRET, code)["access_token"]


def test_messenger_subscribes_the_shared_page_with_its_token(graph, client):
    graph.add_page("4001", name="Other Page", access_token="PAGE-4001")
    graph.add_page("4002", name="Hotel Sol", access_token="PAGE-4002", instagram_account_id="1784")
    token = page_login(graph)
    assets = onboard_page(client, app_id=APP_ID, app_secret=APP_SECRET, token=token,
                          session=SignupSession(page_ids=("4002",)), instagram=False)
    assert (assets.page_id, assets.page_name, assets.access_token, assets.instagram_account_id) == (
        "4002", "Hotel Sol", "PAGE-4002", None)
    assert graph.subscriptions["4002"] == {"subscribed_fields": list(PAGE_FIELDS)}
    subscribe = [r for r in graph.requests if r.path.endswith("/4002/subscribed_apps")]
    assert subscribe[0].bearer == "PAGE-4002"


def test_instagram_takes_the_page_with_a_linked_account(graph, client):
    graph.add_page("4001", name="No IG", access_token="PAGE-4001")
    graph.add_page("4002", name="Hotel Sol", access_token="PAGE-4002", instagram_account_id="1784")
    assets = onboard_page(client, app_id=APP_ID, app_secret=APP_SECRET, token=page_login(graph),
                          session=SignupSession(), instagram=True)
    assert (assets.page_id, assets.instagram_account_id) == ("4002", "1784")


def test_instagram_without_a_linked_account_says_so(graph, client):
    graph.add_page("4001", name="No IG", access_token="PAGE-4001")
    with pytest.raises(OnboardingError) as caught:
        onboard_page(client, app_id=APP_ID, app_secret=APP_SECRET, token=page_login(graph),
                     session=SignupSession(), instagram=True)
    assert "Instagram professional account" in caught.value.message


def test_no_page_shared(graph, client):
    with pytest.raises(OnboardingError) as caught:
        onboard_page(client, app_id=APP_ID, app_secret=APP_SECRET, token=page_login(graph),
                     session=SignupSession(), instagram=False)
    assert "No Facebook Page was shared" in caught.value.message
