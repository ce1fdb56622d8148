"""Template and account updates name only the WhatsApp Business Account (entry[].id): they are routed by
it and read into TemplateUpdate / AccountUpdate, from the shapes Meta documents."""

from guestmsg.channels.whatsapp.webhook import (
    ACCOUNT_BLOCKING_EVENTS, SUBSCRIBED_FIELDS, account_ids, parse_webhook, phone_number_ids,
)


def body(field, value, waba_id="102290129340398"):
    return {"object": "whatsapp_business_account",
            "entry": [{"id": waba_id, "time": 1764086400, "changes": [{"field": field, "value": value}]}]}


def test_account_level_bodies_are_routed_by_the_business_account():
    payload = body("account_update", {"event": "ACCOUNT_DELETED"})
    assert phone_number_ids(payload) == set()
    assert account_ids(payload) == {"102290129340398"}
    assert account_ids({"object": "page", "entry": [{"id": "1"}]}) == set()
    assert account_ids({"object": "whatsapp_business_account", "entry": [{"id": ["x"]}, 5, None]}) == set()


def test_a_rejection_keeps_the_reason_and_the_recommendation():
    batch = parse_webhook(body("message_template_status_update", {
        "event": "REJECTED", "message_template_id": 594425479261596, "message_template_name": "welcome",
        "message_template_language": "en_US", "reason": "INVALID_FORMAT",
        "rejection_info": {"reason": "INVALID_FORMAT", "recommendation": "Remove the trailing variable."}}))
    [update] = batch.template_updates
    assert (update.waba_id, update.template_id, update.name, update.language, update.status) == (
        "102290129340398", "594425479261596", "welcome", "en_US", "REJECTED")
    assert update.reason == "INVALID_FORMAT - Remove the trailing variable."
    assert batch.problems == []


def test_approval_pause_quality_and_category():
    approved = parse_webhook(body("message_template_status_update", {
        "event": "APPROVED", "message_template_id": 1, "message_template_name": "t", "message_template_language": "es",
        "reason": "NONE"})).template_updates[0]
    assert (approved.status, approved.reason) == ("APPROVED", None)
    paused = parse_webhook(body("message_template_status_update", {
        "event": "PAUSED", "message_template_id": 1, "message_template_name": "t", "message_template_language": "es",
        "other_info": {"title": "FIRST_PAUSE", "description": "Low quality: paused for 3 hours."}})).template_updates[0]
    assert (paused.status, paused.reason) == ("PAUSED", "Low quality: paused for 3 hours.")
    quality = parse_webhook(body("message_template_quality_update", {
        "previous_quality_score": "GREEN", "new_quality_score": "RED", "message_template_id": 1,
        "message_template_name": "t", "message_template_language": "es"})).template_updates[0]
    assert (quality.quality, quality.status) == ("RED", None)
    category = parse_webhook(body("template_category_update", {
        "message_template_id": 1, "message_template_name": "t", "message_template_language": "es",
        "previous_category": "UTILITY", "new_category": "MARKETING"})).template_updates[0]
    assert category.category == "MARKETING"


def test_account_updates_carry_meta_s_words():
    restriction = parse_webhook(body("account_update", {
        "phone_number": "15550100199", "event": "ACCOUNT_RESTRICTION",
        "restriction_info": [{"restriction_type": "RESTRICTED_ADD_PHONE_NUMBER_ACTION", "expiration": 1}]}))
    [update] = restriction.account_updates
    assert (update.event, update.phone_number, update.detail) == (
        "ACCOUNT_RESTRICTION", "15550100199", "RESTRICTED_ADD_PHONE_NUMBER_ACTION")
    assert update.event in ACCOUNT_BLOCKING_EVENTS
    banned = parse_webhook(body("account_update", {"event": "DISABLED_UPDATE",
                                                   "ban_info": {"waba_ban_state": "DISABLE", "waba_ban_date": "x"}}))
    assert banned.account_updates[0].detail == "ban state DISABLE"
    violation = parse_webhook(body("account_update", {"event": "ACCOUNT_VIOLATION",
                                                      "violation_info": {"violation_type": "SCAM"}}))
    assert violation.account_updates[0].detail == "SCAM"
    assert "ACCOUNT_VIOLATION" not in ACCOUNT_BLOCKING_EVENTS


def test_hostile_account_level_values_are_problems_not_crashes():
    for field in ("account_update", "message_template_status_update"):
        for value in (None, [], "x", {"event": ["x"]}, {"message_template_id": {"a": 1}}):
            batch = parse_webhook(body(field, value))
            assert batch.template_updates == [] and batch.account_updates == []
            assert batch.problems
    no_account = parse_webhook(body("account_update", {"event": "ACCOUNT_DELETED"}, waba_id=None))
    assert no_account.account_updates == [] and no_account.problems


def test_fields_we_do_not_know_are_kept_without_a_problem():
    batch = parse_webhook(body("business_capability_update", {"max_daily_conversation_per_phone": 1000}))
    assert batch.other_fields == ["business_capability_update"]
    assert batch.problems == []


def test_every_field_the_app_subscribes_to_is_one_the_parser_acts_on():
    for field in SUBSCRIBED_FIELDS:
        value = {"event": "APPROVED", "message_template_id": 1, "message_template_name": "t",
                 "message_template_language": "es", "new_quality_score": "GREEN", "new_category": "UTILITY"}
        if field == "messages":
            value = {"metadata": {"phone_number_id": "106540352242922"}, "statuses": []}
        batch = parse_webhook(body(field, value))
        assert batch.other_fields == [] and batch.problems == [], field
        assert batch.template_updates or batch.account_updates or field == "messages", field
