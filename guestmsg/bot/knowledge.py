"""The hotel's answers to the questions guests ask most, and which of them a message asks.

Staff keep the entries (a question, its other phrasings in any language, an answer); a message is
matched to an entry by the words it shares with one of the phrasings, after folding (case, accents),
dropping words that carry no topic ("do", "you", "el", "der"...), and allowing a typo per word
(rapidfuzz's ratio). Words that few entries use weigh more than words many use ("parking" more than
"time"). Nothing here invents an answer: a match returns the entry, whose answer staff wrote.
"""

import functools
import math
import os
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from guestmsg.text import fold

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

# words that carry no topic, in the bot's six languages (folded when the module loads)
_STOPWORDS_TEXT = """
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
    nel nella nelle nei negli al alla alle ai agli dal dalla dai sul sulla dall nell all sull dell l d j qu s c
    m n t un' ne si ci vi se lo anche ancora ci sono fare fate fa possibile
    nach noch vom von auf an aus um zu zur zum bis es man mein unser unsere euch ihnen gibt's
    y-a-t-il y-a t-il est-ce que qu'il on peut faut-il faut
    num numa dum duma ao aos pelo pela pelos pelas seu sua seus suas nosso nossa tenho temos vai
    hay tengo tenemos puedo podemos se nos al del lo los las algún alguna algun
    some any also still just really much many more very too whats wheres hows whens
    peux pouvons pourrais voudrais muss mussen konnen konnte mochte wurde posso podemos poderia vorrei potrei""".split()


_STOPWORDS = frozenset(fold(word) for word in _STOPWORDS_TEXT)

# how a question starts, in the bot's six languages (over folded text)
_QUESTION_START = re.compile(
    r"^(?:what|whats|when|where|which|who|why|how|is|are|do|does|did|can|could|may|will|would|should|have|has|"
    r"until\s+when|till\s+when|until\s+what|hasta\s+que|a\s+partir\s+de\s+que|desde\s+que|a\s+que|"
    r"jusqu'a\s+quelle|a\s+quelle|a\s+partir\s+de\s+quelle|bis\s+wann|ab\s+wann|ate\s+que|a\s+que\s+horas|"
    r"fino\s+a\s+che|da\s+che|a\s+che|"
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
    coverage: float = 0.0  # 0 to 1: the share of the message's topic words the phrasing explains


def terms(text: str) -> tuple:
    """The topic words of ``text``: folded, spellings joined, words without a topic dropped."""
    plain = fold(text or "")
    for pattern, word in _SAME_WORDS:
        plain = pattern.sub(word, plain)
    # "dall'aeroporto", "l'arrivée": the article is a word of its own
    words = re.findall(r"[^\W_]+", plain)
    return tuple(dict.fromkeys(w for w in words if w not in _STOPWORDS and not w.isdigit()))


def looks_like_question(text: str) -> bool:
    """Whether ``text`` is shaped as a question: a question mark, or a question word first."""
    text = (text or "").strip()
    if "?" in text or "¿" in text:
        return True
    return bool(_QUESTION_START.match(fold(text)))


def _same_word(a: str, b: str) -> bool:
    """The same word, with a typo or another ending: "pets"/"pet", "parking"/"park", "entrada"/"entrar"."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):
        return True
    if len(shorter) < MIN_FUZZY_LENGTH:
        return False
    common = len(os.path.commonprefix((a, b)))
    if common >= max(MIN_FUZZY_LENGTH, 0.8 * len(shorter)):
        return True
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
        self._vocabulary = tuple(document_count)

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
        # each word of the knowledge base is compared with the message's words once
        same = {a: {w for w in self._vocabulary if _same_word(w, a)} for a in asked}
        known = set().union(*same.values())
        if not known:
            return None
        best = None
        for entry, phrasing, words in self._phrasings:
            covered = [w for w in words if w in known]
            if not covered:
                continue
            recall = sum(self._weights[w] for w in covered) / sum(self._weights[w] for w in words)
            if recall < MATCH_THRESHOLD:
                continue
            explained = sum(1 for a in asked if not same[a].isdisjoint(words)) / len(asked)
            if explained < MIN_EXPLAINED:
                continue
            score = recall * (0.6 + 0.4 * explained)
            candidate = (round(score, 4), len(words), -self.entries.index(entry))
            if best is None or candidate > best[0]:
                best = (candidate, KnowledgeMatch(entry, round(score, 3), phrasing, round(explained, 3)))
        return best[1] if best else None



@functools.lru_cache(maxsize=32)
def knowledge_base(entries: tuple) -> KnowledgeBase:
    """The KnowledgeBase of these entries, built once while they stay the same."""
    return KnowledgeBase(entries)
