"""Which of the hotel's answers a guest's question asks for."""

import pytest

from guestmsg.bot.knowledge import KnowledgeBase, KnowledgeEntry, looks_like_question, terms

ENTRIES = (
    KnowledgeEntry(1, "What time is check-in?", "Check-in is from 3 pm.",
                   ("check-in time", "when can I check in", "a qué hora es el check-in", "heure d'arrivée",
                    "wann ist check-in", "horário de check-in", "orario del check-in", "early check-in")),
    KnowledgeEntry(2, "Do you have parking?", "Parking costs 20 EUR a day.",
                   ("parking", "car park", "parking for my car", "aparcamiento", "estacionamiento", "parkplatz",
                    "parcheggio", "where can I park")),
    KnowledgeEntry(3, "Is breakfast included?", "Breakfast is served from 7 to 10.",
                   ("breakfast", "desayuno", "petit-déjeuner", "frühstück", "café da manhã", "colazione")),
    KnowledgeEntry(4, "Can I bring my pet?", "Dogs are welcome.",
                   ("pets", "dog", "mascotas", "perro", "chien", "hund", "cachorro", "cane")),
    KnowledgeEntry(5, "What is the wifi password?", "The wifi is free; the password is on your key card.",
                   ("wifi", "internet", "contraseña del wifi")),
)


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeBase(ENTRIES)


@pytest.mark.parametrize(("text", "key"), [
    ("Do you have parking?", 2),
    ("is there a car park", 2),
    ("Is there parking for my car near the hotel?", 2),
    ("what time is check-in", 1),
    ("When can I checkin?", 1),
    ("¿A qué hora es el check-in?", 1),
    ("breakfast?", 3),
    ("Is breakfast included in the price?", 3),
    ("Frühstück?", 3),
    ("can I bring my dog", 4),
    ("¿Puedo llevar a mi perro?", 4),
    ("c'è il parcheggio?", 2),
    ("gibt es WLAN?", 5),
    ("wifi pasword", 5),
    ("¿tienen aparcamiento?", 2),
    ("breakfst?", 3),
])
def test_a_question_finds_its_entry_in_any_language_and_with_a_typo(knowledge, text, key):
    match = knowledge.find(text)
    assert match is not None, text
    assert match.entry.key == key
    assert 0 < match.score <= 1


@pytest.mark.parametrize("text", [
    "hello", "I want to book a room", "2 nights", "room service", "what time is checkout", "",
    "Is there a spa, a gym and a pool near the beach?", "bar", "Ana García",
])
def test_anything_else_finds_no_entry(knowledge, text):
    assert knowledge.find(text) is None


def test_a_short_word_must_match_exactly():
    knowledge = KnowledgeBase([KnowledgeEntry("bar", "Is there a bar?", "On the roof.", ("bar",))])
    assert knowledge.find("car?") is None
    assert knowledge.find("bar?").entry.key == "bar"


def test_a_rare_word_outweighs_a_common_one():
    knowledge = KnowledgeBase([
        KnowledgeEntry("breakfast", "Breakfast time", "7 to 10.", ()),
        KnowledgeEntry("checkin", "Check-in time", "From 3 pm.", ()),
        KnowledgeEntry("pool", "Pool time", "8 to 8.", ()),
    ])
    assert knowledge.find("what time is breakfast?").entry.key == "breakfast"
    assert knowledge.find("time?") is None, "a word every entry has says nothing"
    assert knowledge.find("pool hours?").entry.key == "pool", "the rare word carries the phrasing"


def test_entries_without_an_answer_are_left_out():
    knowledge = KnowledgeBase([KnowledgeEntry(1, "Parking?", "  "), "not an entry"])
    assert len(knowledge) == 0
    assert knowledge.find("parking") is None


def test_get_finds_an_entry_by_its_key_as_text(knowledge):
    assert knowledge.get("3").key == 3
    assert knowledge.get("99") is None


def test_terms_fold_spellings_and_drop_words_without_a_topic():
    assert terms("What time is Check-In at the hotel?") == ("time", "checkin")
    assert terms("¿Tienen Wi-Fi gratis?") == ("wifi", "gratis")
    assert terms("") == ()


@pytest.mark.parametrize(("text", "question"), [
    ("Do you have parking?", True), ("parking?", True), ("¿tienen parking", True), ("what time is breakfast", True),
    ("gibt es WLAN", True), ("c'è il parcheggio", True), ("quando è il check-in", True),
    ("I want to book a room", False), ("Ana García", False), ("2 nights", False), ("", False),
])
def test_looks_like_question(text, question):
    assert looks_like_question(text) is question
