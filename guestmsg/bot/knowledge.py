"""The hotel's answers to the questions guests ask most, and which of them a message asks.

Staff keep the entries (a question, its other phrasings in any language, an answer); a message is
matched to an entry by the words it shares with one of the phrasings, after folding (case, accents),
dropping words that carry no topic ("do", "you", "el", "der"...), and allowing a typo per word
(rapidfuzz's ratio). Words that few entries use weigh more than words many use ("parking" more than
"time"). Nothing here invents an answer: a match returns the entry, whose answer staff wrote.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from guestmsg.bot.nlu.text import fold

# the share of an entry's phrasing, by weight, a message must contain
MATCH_THRESHOLD = 0.65
# the share of the message's topic words the phrasing must explain: more, and the guest asks something else
MIN_EXPLAINED = 0.3
# how alike two words must be (rapidfuzz ratio, 0-100) to count as the same word with a typo
WORD_SIMILARITY = 84
# below this length a word must match exactly: "bar" is not "car"
MIN_FUZZY_LENGTH = 5

# spellings folded into one word before matching
_SAME_WORDS = (
    (re.compile(r"\bcheck[\s-]?ins?\b"), "checkin"),
    (re.compile(r"\bcheck[\s-]?outs?\b"), "checkout"),
    (re.compile(r"\bwi[\s-]?fi\b"), "wifi"),
    (re.compile(r"\bwlan\b"), "wifi"),
    (re.compile(r"\be[\s-]?mail\b"), "email"),
    (re.compile(r"\bcar[\s-]?park\b"), "parking"),
)

# words that carry no topic, in the bot's six languages
_STOPWORDS = frozenset("""
    a an the is are am be was were been do does did can could would will shall should may might must have has
    had i i'm i'd me my we our us you your it its there here this that these those what which who whom when
    where why how of to in on at by for from with about as into and or but if so not no any some please
    hello hi hey thanks thank tell know want like need get let's there's what's hotel hotels
    el la los las un una unos unas de del al a en con por para que qué y o u es son está están hay tienen
    tiene tienes teneis puedo puede pueden podemos mi mis tu su sus nuestro me te se le lo nos hola gracias
    favor por cual cuál cuando cuándo donde dónde como cómo quiero quisiera saber
    le la les un une des de du d' l' au aux et ou est sont il y a avez vous nous je j' mon ma mes votre vos
    quel quelle quels quelles quand où comment est-ce qu' que qui puis peut pouvez bonjour merci pour avec
    der die das den dem des ein eine einen einem einer und oder ist sind gibt es haben habe hat sie ich wir
    mein meine mich mir ihr ihre wann wo wie was welche welcher kann können darf dürfen bitte danke hallo
    für mit bei im am zum zur
    o os as um uma uns umas do da dos das no na nos nas e ou é são tem têm há eu meu minha vocês você
    quando onde como qual quais posso pode podem olá obrigado obrigada por para com
    il lo gli i un uno una di del della dei delle da in con su per tra fra e o è sono c'è ci avete ha
    hanno mio mia miei mie vostro vostra quando dove come quale quali cosa che posso può possono ciao grazie
""".split())

# how a question starts, in the bot's six languages (over folded text)
_QUESTION_START = re.compile(
    r"^(?:what|when|where|which|who|why|how|is|are|do|does|did|can|could|may|will|would|should|have|has|"
    r"que|cual|cuando|donde|como|cuanto|cuantos|hay|tienen|tiene|puedo|puede|se\s+puede|es|esta|"
    r"quel|quelle|quels|quelles|quand|ou|comment|combien|est-ce|y\s+a-t-il|avez-vous|puis-je|peut-on|"
    r"was|wann|wo|wie|welche|welcher|gibt\s+es|haben\s+sie|kann|darf|ist|sind|"
    r"qual|quais|quando|onde|quanto|tem|posso|pode|ha|"
    r"cosa|che|quale|quali|dove|quanto|c'e|ci\s+sono|avete|posso|si\s+puo|e)\b")


@dataclass(frozen=True)
class KnowledgeEntry:
    """One answer of the hotel's: ``question`` and ``variants`` are phrasings a guest may use."""

    key: int | str
    question: str
    answer: str
    variants: tuple = ()
    category: str = ""


@dataclass(frozen=True)
class KnowledgeMatch:
    entry: KnowledgeEntry
    score: float  # 0 to 1: the weighted share of the phrasing the message contains
    phrasing: str


def terms(text: str) -> tuple:
    """The topic words of ``text``: folded, spellings joined, words without a topic dropped."""
    plain = fold(text or "")
    for pattern, word in _SAME_WORDS:
        plain = pattern.sub(word, plain)
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", plain)
    return tuple(dict.fromkeys(w for w in words if w not in _STOPWORDS and not w.isdigit()))


def looks_like_question(text: str) -> bool:
    """Whether ``text`` is shaped as a question: a question mark, or a question word first."""
    text = (text or "").strip()
    if "?" in text or "¿" in text:
        return True
    return bool(_QUESTION_START.match(fold(text)))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return False
    return fuzz.ratio(a, b) >= WORD_SIMILARITY


class KnowledgeBase:
    """The entries of one hotel (or connection), ready to match messages against."""

    def __init__(self, entries=()):
        self.entries = tuple(e for e in entries if isinstance(e, KnowledgeEntry) and (e.answer or "").strip())
        self._phrasings = []
        for entry in self.entries:
            for phrasing in (entry.question, *entry.variants):
                words = terms(phrasing)
                if words:
                    self._phrasings.append((entry, phrasing, words))
        document_count = Counter()
        for entry in self.entries:
            document_count.update({w for owner, _p, words in self._phrasings if owner is entry for w in words})
        total = max(len(self.entries), 1)
        self._weights = {word: 1.0 + math.log(total / count) for word, count in document_count.items()}

    def __len__(self):
        return len(self.entries)

    def get(self, key):
        return next((e for e in self.entries if str(e.key) == str(key)), None)

    def find(self, text: str) -> KnowledgeMatch | None:
        """The entry ``text`` asks about, or None when no phrasing is covered well enough.

        A phrasing is covered by the weighted share of its words the message contains; a message with
        many words beyond the phrasing is asking something more, and scores lower.
        """
        asked = terms(text)
        if not asked or not self._phrasings:
            return None
        best = None
        for entry, phrasing, words in self._phrasings:
            total = sum(self._weights.get(w, 1.0) for w in words)
            covered = [w for w in words if any(_same_word(w, a) for a in asked)]
            recall = sum(self._weights.get(w, 1.0) for w in covered) / total
            if recall < MATCH_THRESHOLD:
                continue
            explained = sum(1 for a in asked if any(_same_word(a, w) for w in words)) / len(asked)
            if explained < MIN_EXPLAINED:
                continue
            score = recall * (0.6 + 0.4 * explained)
            candidate = (round(score, 4), len(words), -self.entries.index(entry))
            if best is None or candidate > best[0]:
                best = (candidate, KnowledgeMatch(entry, round(score, 3), phrasing))
        return best[1] if best else None

