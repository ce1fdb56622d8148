"""Per-guest limits: past them the bot answers politely and offers the team, and loses nothing."""

from guestmsg.bot.dialog import CONFIRM, ESCALATION_OFFER, GuestLimitReached

from .test_dialog_engine import Chat, CountingNlu, InMemoryHotel


class LimitedHotel(InMemoryHotel):
    def create_reservation(self, request):
        self.calls.append(("create_reservation", request))
        raise GuestLimitReached("bookings")


class ExhaustedNlu(CountingNlu):
    """Understands until ``budget`` calls were made, then reports the limit, as the addon's wrapper does."""

    def __init__(self, budget):
        super().__init__()
        self.budget = budget

    def understand(self, text, now, expecting):
        if self.calls >= self.budget:
            raise GuestLimitReached("language-model calls")
        return super().understand(text, now, expecting)


def test_a_booking_past_the_daily_limit_offers_the_team_politely():
    chat = Chat(hotel=LimitedHotel()).to_confirm()
    chat.tap("confirm")
    assert chat.state == ESCALATION_OFFER
    assert "several bookings" in chat.text()
    assert chat.option_ids() == ["escalate", "continue"]
    assert chat.context["escalation_reason"] == "guest_limit"
    assert not chat.hotel.created
    chat.tap("escalate")
    assert [a.reason for a in chat.actions if type(a).__name__ == "Escalate"] == ["guest_limit"]


def test_continuing_after_the_booking_limit_goes_back_to_the_summary():
    chat = Chat(hotel=LimitedHotel()).to_confirm()
    chat.tap("confirm")
    chat.tap("continue")
    assert chat.state == CONFIRM


def test_free_text_past_the_understanding_limit_offers_the_team_and_buttons_still_work():
    chat = Chat(nlu=ExhaustedNlu(budget=1))
    chat.say("hello")
    chat.say("is there parking at the hotel")
    assert chat.state == ESCALATION_OFFER
    assert "a lot of messages" in chat.text()
    assert chat.option_ids() == ["escalate", "continue"]
    chat.tap("escalate")
    assert [a.reason for a in chat.actions if type(a).__name__ == "Escalate"] == ["guest_limit"]


def test_a_broken_nlu_is_still_not_understood_rather_than_a_limit():
    class Broken(CountingNlu):
        def understand(self, text, now, expecting):
            raise RuntimeError("model unavailable")

    chat = Chat(nlu=Broken())
    chat.say("hello")
    chat.say("something")
    assert "a lot of messages" not in chat.text()
