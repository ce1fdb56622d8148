"""``OfflineNlu``: the parts of the offline parser put together, with a confidence for the answer.

Confidence is high when a key word names the intent, lower when the intent is only implied, and lowered
again by the share of words nothing explained.
"""

import re
from datetime import datetime

from guestmsg.bot.nlu import types as nlu_types
from guestmsg.bot.nlu.escalation import find_escalation_keyword
from guestmsg.bot.nlu.language import detect_language
from guestmsg.bot.nlu.offline.intents import FILLER, choose_intent, find_intent_phrases, is_negation, phrase_matches
from guestmsg.bot.nlu.offline.names import part_of_name, read_names
from guestmsg.bot.nlu.offline.stay import fill_stay, read_stay
from guestmsg.bot.nlu.offline.typos import KNOWN_WORDS, correct_word
from guestmsg.text import MAX_TEXT, fold, mask, words
from guestmsg.bot.nlu.vocabulary import find_email


class OfflineNlu:
    """Rules and dateparser; deterministic for a given ``now``."""

    source = "offline"

    def understand(self, text: str, now: datetime, expecting: str | None = None) -> nlu_types.NluResult:
        original = (text or "")[:MAX_TEXT].strip()
        result = nlu_types.NluResult(source=self.source)
        if not original:
            return result
        email = find_email(original)
        result.language = detect_language(original.replace(email, " ") if email else original)
        result.email = email
        plain = fold(original.replace(email, " ") if email else original)
        corrected_words = 0

        def fix(match):
            nonlocal corrected_words
            word = match.group(0)
            better = correct_word(word)
            if better != word:
                corrected_words += 1
            return better

        plain = re.sub(r"[^\W\d_]+", fix, plain)
        stay, rest = read_stay(plain, now, result.language)
        fill_stay(result, stay, plain, now.date(), expecting)
        if expecting == nlu_types.EXPECT_GUESTS and result.adults is None and re.fullmatch(r"\s*(\d{1,3})\s*", rest):
            result.adults = int(rest)
            rest = ""

        hits = find_intent_phrases(plain)
        escalation = find_escalation_keyword(original)
        negation = is_negation(plain)
        stay_slots = any(v is not None for v in (result.check_in, result.check_out, result.nights,
                                                  result.adults, result.children))
        strong_control = hits["cancel"] or hits["change"] or hits["my_reservations"] or escalation
        names_wanted = expecting in (nlu_types.EXPECT_FIRST_NAME, nlu_types.EXPECT_LAST_NAME, nlu_types.EXPECT_EMAIL) or email
        if names_wanted and not (strong_control or hits["availability"] or stay_slots):
            other_content = negation or any(hits[k] for k in ("book", "room", "confirm", "greeting", "other"))
            result.first_name, result.last_name = read_names(original, email, expecting, other_content)
        elif not stay_slots:
            result.first_name, result.last_name = read_names(original, email, None, True)
        guest_slots = any(v is not None for v in (result.first_name, result.last_name, result.email))

        intent, confidence = choose_intent(hits, escalation, negation, stay_slots, guest_slots, expecting)
        result.intent = intent
        if intent == nlu_types.UNKNOWN:
            known = any(w in KNOWN_WORDS or w in FILLER for w in words(plain))
            result.confidence = 0.25 if known else 0.05
            return result
        explained = _mask_all(rest, [m for m in hits.values() if m] + phrase_matches(rest))
        leftover = [w for w in words(explained) if w not in FILLER and w not in KNOWN_WORDS]
        if guest_slots:
            leftover = [w for w in leftover if not part_of_name(w, result)]
        content = [w for w in words(plain) if w not in FILLER]
        ratio = len(leftover) / len(content) if content else 0.0
        confidence *= 1.0 - 0.5 * ratio
        if corrected_words:
            confidence -= 0.05
        result.confidence = round(max(0.05, min(confidence, 0.99)), 2)
        return result


def _mask_all(text, matches):
    for match in matches:
        if match.end() <= len(text):
            text = mask(text, match.start(), match.end())
    return text
