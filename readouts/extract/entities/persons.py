"""Personal names: spaCy PERSON entities repaired, plus names that stand in a person's slot.

A candidate comes from spaCy NER, from a title or honorific right before a capitalised word
("Prime Minister Al-Kadhimi"), from a known first name starting an entity spaCy mislabelled, or
from an apposition ("; Ricardo Zúñiga, special envoy ..."). Each span is then trimmed to the name
tokens and grown over hyphens, particles ("de la") and suffixes ("Jr."). Mentions of one person
("Secretary Blinken", "Antony J. Blinken") are grouped into one cluster.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Token

from readouts.extract.gazetteer import lexicon
from readouts.extract.marks import Marks

MAX_NAME_TOKENS = 8
# Places named after people: the name before them is the place's, not a participant's.
# Kinship nouns name the person right after them ("her husband Kambiz Foroohar", "her husband, Syarhey"),
# a slot spaCy often fills with a facility or a place.


@dataclass
class Mention:
    start: int
    end: int
    text: str
    titled: bool  # a title or honorific stands right before it

    @cached_property
    def key(self) -> tuple[str, ...]:
        return name_key(self.text)


@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)
    first: int = 1 << 62  # where its first mention starts, kept as mentions are added (asked per mention)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.first = min(self.first, m.start)

    @property
    def name(self) -> str:
        return max(self.mentions, key=lambda m: (len(m.key), -m.start)).text


def name_key(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = text.replace("-", " ").replace(",", " ").replace(".", " ").split()
    return tuple(w for w in words if w not in ("jr", "sr", "ii", "iii", "iv"))


def find(doc: Doc, marks: Marks, org_tokens: set[int]) -> list[Cluster]:
    taken: dict[int, int] = {}
    mentions: list[Mention] = []
    for s, e in _candidates(doc, marks):
        span = _repair(doc, marks, s, e)
        if span is None:
            continue
        s, e = span
        if any(i in taken for i in range(s, e)) or any(i in org_tokens for i in range(s, e)):
            continue
        for i in range(s, e):
            taken[i] = len(mentions)
        mentions.append(Mention(s, e, doc[s:e].text, _titled(doc, marks, s)))
    mentions += [m for m in _speaker_turns(doc, marks) if not any(i in taken for i in range(m.start, m.end))]
    return _cluster(sorted(mentions, key=lambda m: m.start), marks.gaz.officials)


MIN_TURNS = 2  # a document with this many "TITLE NAME:" turns is a transcript


def _speaker_turns(doc: Doc, marks: Marks) -> list[Mention]:
    """The speakers of a transcript, named by their turns: "PRESIDENT BIDEN:", "FOREIGN MINISTER HAYASHI:",
    "MS. PSAKI:". Only turns that give a title or honorific before the name count ("MODERATOR:" and "Q"
    name no one); the name is written in capitals there, so its text is given in title case."""
    turns: list[Mention] = []
    i, n = 0, len(doc)
    toks = list(doc)  # one Token per word (doc[i] makes a new one on every access)
    while i < n:
        t = toks[i]
        if not (t.i == 0 or "\n" in toks[i - 1].whitespace_ or "\n" in toks[i - 1].text) or not t.is_upper:
            i += 1
            continue
        e = i
        while e < n and e - i < 8 and (toks[e].is_upper or toks[e].text in ("-", ".", "’", "'")) \
                and "\n" not in toks[e].whitespace_:
            e += 1
        if e < n and toks[e].text == ":" and e - i >= 2:
            s = e
            while s > i and not (marks.title[s - 1] or marks.honorific[s - 1] or toks[s - 1].text.rstrip(".").lower()
                                 in marks.gaz.honorifics or toks[s - 1].lower_ in marks.gaz.title_words):
                s -= 1
            if i < s < e and all(toks[k].is_alpha or toks[k].text in ("-", "’", "'") for k in range(s, e)):
                text = "".join(tok.text_with_ws for tok in toks[s:e]).strip().title().replace("’S", "’s")
                turns.append(Mention(s, e, text, True))
        i = e + 1
    return turns if len(turns) >= MIN_TURNS else []


def _candidates(doc: Doc, marks: Marks) -> list[tuple[int, int]]:
    out = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            out.append((ent.start, ent.end))
        elif len(ent) >= 2 and ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"):
            first = next((t for t in ent if t.lower_ not in lexicon(doc).apposition_starts and not marks.honorific[t.i]), None)
            if first is not None and first.text in marks.gaz.first_names:
                out.append((first.i, ent.end))
    n = len(doc)
    toks = list(doc)  # one Token per word: this scan looks at each several times (doc[i] makes a new one)
    titled = {toks[i + 1].text for i in range(n - 1) if marks.title[i] and marks.name_like(toks[i + 1])}
    lex = lexicon(doc)
    for i in range(n - 1):
        if toks[i].lower_ in lex.kin_words and (k := _after_kin(toks, i)) is not None and marks.name_like(toks[k]):
            e = k
            while e < n and e - k < 4 and marks.name_like(toks[e]) and "\n" not in toks[e - 1].whitespace_:
                e += 1
            out.append((k, e))
        if toks[i].text in marks.gaz.first_names and marks.name_like(toks[i]) and marks.name_like(toks[i + 1]):
            out.append((i, i + 2))  # "... for the Western Hemisphere Juan Gonzalez": spaCy may miss it
        if marks.title[i] and toks[i + 1].lower_ in lex.tail_links:
            run = _tail_run(doc, marks, i + 1, titled)
            if run is not None:
                out.append(run)
        if (marks.title[i] or marks.honorific[i]) and not (marks.title[i + 1] or marks.honorific[i + 1]) \
                and marks.name_like(toks[i + 1]):
            out.append((i + 1, i + 2))
        elif toks[i].text == "," and i >= 2 and marks.name_like(toks[i - 1]) and _title_follows(doc, marks, i + 1):
            s = i - 1
            while s > 0 and i - s < 5 and (marks.name_like(toks[s - 1]) or toks[s - 1].text == "-"):
                s -= 1
            if i - s >= 2:
                out.append((s, i))
        elif toks[i].text == "," and _title_precedes(doc, marks, i) and marks.name_like(toks[i + 1]):
            e = i + 1
            while e < n and e - i <= 5 and (marks.name_like(toks[e]) or toks[e].text == "-"):
                e += 1
            if e - i - 1 >= 2 and e < n and toks[e].text in (",", ";", ".", "and") \
                    and not _enumeration_goes_on(doc, e):
                out.append((i + 1, e))
    # longest first, so a full name claims its tokens before a fragment of it
    return sorted(out, key=lambda se: (se[0] - se[1], se[0]))


def _tail_run(doc: Doc, marks: Marks, i: int, titled: set[str]) -> tuple[int, int] | None:
    """The capitalised run after "Director for ...": the title's object and then, maybe, a name.

    titled: words the document puts right after a title ("Assistant Secretary Phee")."""
    n = len(doc)
    e = i
    while e < n and e - i < 12 and (doc[e].is_title or doc[e].lower_ in lexicon(doc).tail_links) \
            and "\n" not in doc[e - 1].whitespace_:
        e += 1
    if any(t.lower_ in lexicon(doc).org_heads for t in doc[i:e]):
        return None  # "CEO of the National Coalition on Black Civic Participation": a body, no name
    s = e
    while s > i and marks.name_like(doc[s - 1]):
        s -= 1
    if s == e:
        return None  # no run at all, e.g. a title that ends the document
    # "... for African Affairs Molly Phee" when the document also says "Assistant Secretary Phee"
    vouched = doc[s].text in marks.gaz.first_names or doc[s].ent_type_ == "PERSON" or doc[e - 1].text in titled
    return (s, e) if e - s >= 3 or e - s == 2 and vouched else None


def _enumeration_goes_on(doc: Doc, e: int) -> bool:
    """ "for Democracy, Human Rights, and Labor": a list of topics, not an apposed name."""
    if e < len(doc) and doc[e].text == ",":
        e += 1
    return e + 1 < len(doc) and doc[e].lower_ in lexicon(doc).fw("and") and doc[e + 1].is_title


def _title_precedes(doc: Doc, marks: Marks, i: int) -> bool:
    """ "the head of the Foreign Ministry, Ana Luisa Fajer Flores": a title phrase before the comma."""
    for j in range(i - 1, max(-1, i - 9), -1):
        if marks.title[j]:
            return True
        if doc[j].text in (";", ":", ",", "."):
            return False
    return False


def _title_follows(doc: Doc, marks: Marks, i: int) -> bool:
    if i < len(doc) and doc[i].lower_ in lexicon(doc).apposition_starts:
        i += 1
    j, words = i, 0
    while j < len(doc) and words < 3:
        if marks.title[j]:
            return True
        place = marks.place_at.get(j)
        if place is not None:  # "Ioannis Kasoulides, Republic of Cyprus Foreign Minister"
            j = place.end
            continue
        if not (doc[j].lower_ in marks.gaz.title_modifiers or doc[j].is_title):
            return False
        j, words = j + 1, words + 1
    return False


def _repair(doc: Doc, marks: Marks, s: int, e: int) -> tuple[int, int] | None:
    while s < e and not marks.name_like(doc[s]):
        s += 1
    if e - s >= 2 and doc[s].is_sent_start and doc[s].is_stop and doc[s].ent_type_ != "PERSON":
        s += 1  # "Even Dmitry Medvedev, the deputy chairman": a capitalised adverb opens the sentence
    while e > s and not (marks.name_like(doc[e - 1]) or doc[e - 1].text in lexicon(doc).name_suffixes):
        e -= 1
    if e <= s:
        return None
    s = _grow_left(doc, marks, s)
    e = _grow_right(doc, marks, e)
    s = _after_title_tail(doc, marks, s, e)
    if e - s > MAX_NAME_TOKENS or len(doc[e - 1].text) == 2 and doc[e - 1].text.endswith("."):
        return None  # too long, or "The John D. and Catherine T. MacArthur Foundation"
    if e < len(doc) and (doc[e].lower_ in lexicon(doc).org_heads or doc[e].lower_ in lexicon(doc).venue_heads) and doc[e].is_title:
        return None  # "Biden-Harris Administration", "Carter Center", "Thomas Jefferson Room"
    if _venue_follows(doc, e) or doc[s:e].text.lower() in marks.gaz.not_persons:
        return None  # "James S. Brady Press Briefing Room"; "a Pell Grant"
    if e - s == 1 and e < len(doc) and marks.title[e] and "\n" not in doc[s].whitespace_:
        return None  # "Chief Financial Officer": one word between two title words is part of the title
    if any(not (marks.name_like(t) or t.text in lexicon(doc).name_suffixes or t.text in ("-", ",")
                or t.lower_ in lexicon(doc).name_particles or doc[t.i - 1].text == "-" and _syllable(t)) for t in doc[s:e]):
        return None
    return s, e


VENUE_REACH = 3  # capitalised words between a name and the venue word it names ("Brady Press Briefing Room")


def _venue_follows(doc: Doc, e: int) -> bool:
    k = e
    while k < len(doc) and k - e < VENUE_REACH and doc[k].is_title and doc[k].lower_ not in lexicon(doc).venue_heads \
            and "\n" not in doc[k - 1].whitespace_:
        k += 1
    return k > e and k < len(doc) and doc[k].is_title and doc[k].lower_ in lexicon(doc).venue_heads \
        and "\n" not in doc[k - 1].whitespace_


def _after_title_tail(doc: Doc, marks: Marks, s: int, e: int) -> int:
    """ "Assistant Secretary for the Western Hemisphere Julie Chung": the region ends the title.

    When a title and its "for/of/to" object stand right before the span, the name begins at a
    known first name or where spaCy's PERSON entity begins; failing both, it is the last two words.
    """
    if e - s < 2 or not _title_before_link(doc, marks, s - 1):
        return s
    if doc[s].text in marks.gaz.first_names or doc[s].ent_iob_ == "B" and doc[s].ent_type_ == "PERSON":
        return s
    for k in range(s + 1, e - 1):
        initial = len(doc[k].text) == 2 and doc[k].text.endswith(".")
        if not initial and (doc[k].text in marks.gaz.first_names or doc[k].ent_iob_ == "B"
                            and doc[k].ent_type_ == "PERSON"):
            return k
    if doc[s].ent_type_ == "PERSON" or doc[e - 1].text in lexicon(doc).name_suffixes:
        return s
    particle = next((k for k in range(s + 2, e - 1) if doc[k].is_lower and doc[k].lower_ in lexicon(doc).name_particles), None)
    if particle is not None:
        return particle - 1  # "Minister of Energy Abdulaziz bin Salman Al Saud": the given name precedes "bin"
    return e - 2 if e - s >= 3 and not any(len(t.text) == 2 and t.text.endswith(".") for t in doc[s:e]) else s


def _title_before_link(doc: Doc, marks: Marks, j: int) -> bool:
    """Is j the end of a title's object ("Secretary of Defense for the", "for Democracy, and Human Rights")?"""
    if j < 0 or doc[j].text == ",":
        return False  # "the ambassador to the United States, Esteban Moctezuma": an apposition
    stop = max(-1, j - 12)
    linked = False
    while j > stop and not marks.title[j]:
        t = doc[j]
        if t.lower_ in lexicon(doc).tail_links and t.lower_ not in lexicon(doc).fw("the"):
            linked = True
        elif not (t.is_title or t.lower_ in lexicon(doc).fw("the", "and", ",")) or j in marks.place_at and t.is_sent_start:
            return False
        j -= 1
    return linked and j > stop


def _grow_left(doc: Doc, marks: Marks, s: int) -> int:
    while s > 0:
        prev = doc[s - 1]
        if prev.text == "-" and not prev.whitespace_ and s >= 2 and not doc[s - 2].whitespace_ \
                and marks.name_like(doc[s - 2]):
            s -= 2
        elif marks.name_like(prev) and "\n" not in prev.whitespace_ and not prev.is_sent_start:
            s -= 1
        elif prev.is_lower and prev.lower_ in lexicon(doc).name_particles and s >= 2 and marks.name_like(doc[s - 2]) \
                and "\n" not in doc[s - 2].whitespace_:
            s -= 2  # spaCy's "bin Salman Al Saud" after "Abdulaziz"
        else:
            break
    return s


def _grow_right(doc: Doc, marks: Marks, e: int) -> int:
    n = len(doc)
    while e < n:
        t = doc[e]
        nxt = doc[e + 1] if e + 1 < n else None
        if "\n" in doc[e - 1].whitespace_:
            break
        if t.text == "-" and not t.whitespace_ and not doc[e - 1].whitespace_ and nxt is not None \
                and (marks.name_like(nxt) or _syllable(nxt)):
            e += 2
        elif marks.name_like(t):
            e += 1
        elif t.text in lexicon(doc).name_suffixes:
            return e + 1
        elif t.text == "," and nxt is not None and nxt.text in lexicon(doc).name_suffixes:
            return e + 2
        elif t.lower_ in lexicon(doc).name_particles and t.is_lower and nxt is not None and (
                marks.name_like(nxt) or nxt.lower_ in lexicon(doc).name_particles and e + 2 < n and doc[e + 2].text[:1].isupper()):
            e += 2 if marks.name_like(nxt) else 3
        else:
            break
    return e


def _syllable(tok: Token) -> bool:
    """The lower-case half of a Korean given name ("Cho Hyun-dong", "Moon Jae-in"), not a suffix
    like "-led" or "-based"."""
    return tok.is_lower and tok.is_alpha and len(tok.text) <= 4 and tok.lower_ not in lexicon(tok.doc).not_syllables




def _titled(doc: Doc, marks: Marks, s: int) -> bool:
    """Does a title, an honorific or a kinship noun stand right before the name?"""
    return s > 0 and (marks.title[s - 1] or marks.honorific[s - 1]) or any(
        _after_kin(doc, j) == s for j in (s - 1, s - 2) if j >= 0)


def _after_kin(doc: Doc | list[Token], i: int) -> int | None:
    """Where a name would start after the kinship noun at i ("husband Kambiz", "husband, Syarhey")."""
    if doc[i].lower_ not in lexicon(doc[i].doc).kin_words or not doc[i].is_lower or i + 1 >= len(doc):
        return None
    k = i + 2 if doc[i + 1].text == "," else i + 1
    return k if k < len(doc) else None


def _cluster(mentions: list[Mention], known: dict[str, str]) -> list[Cluster]:
    """known: surnames of office-holders (data/officials.tsv), enough on their own ("Putin’s war")."""
    clusters: list[Cluster] = []
    full: list[tuple[set[str], str, Cluster]] = []  # token set, last name, cluster
    for m in sorted(mentions, key=lambda m: (-len(m.key), m.start)):
        key = m.key
        if not key:
            continue
        target = _best(m, key, full)
        if target is None:
            if len(key) == 1 and not m.titled and m.text not in known:
                continue  # a lone word spaCy called a person, with nothing to vouch for it
            target = Cluster()
            clusters.append(target)
            full.append((set(key), key[-1], target))
        target.add(m)
    return sorted(clusters, key=lambda c: c.first)


def _best(m: Mention, key: tuple[str, ...], full: list[tuple[set[str], str, Cluster]]) -> Cluster | None:
    words = set(key)
    fits = [(last == key[-1], c) for toks, last, c in full if words <= toks and (len(key) > 1 or last == key[-1]
                                                                                   or key[0] in toks)]
    if not fits:
        return None
    best = max(f for f, _ in fits)
    candidates = [c for f, c in fits if f == best]
    before = [c for c in candidates if c.first <= m.start]
    return (before or candidates)[-1]
