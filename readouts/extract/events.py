"""Events (calls, meetings, visits, signings) found in a parsed document.

Sentence by sentence, trigger words (data/events_triggers.yaml) give mentions with a type and a
status (events_mentions). Each mention takes its parties from the record's persons,
organizations and delegations named in the tokens it governs, its date from a date phrase
there (events_dates) and its place from "in X" / "to X" (events_places). Then mentions of one
occurrence become one event: "the meeting" points back, a trip to three cities is three visits,
and the sentences that follow a readout's first line are its evidence until another event
starts.
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span, Token

from readouts.extract import budget, events_dates, events_header, events_places
from readouts.extract.events_lexicon import Triggers, country_code, topic_patterns, triggers
from readouts.extract.events_mentions import GROUP, Mention, candidates, find
from readouts.extract.events_places import Place
from readouts.extract.events_plover import code as plover_code
from readouts.model import Event, Participants, Record

ELABORATION_REACH = 6  # sentences after the last one that states an event that may still describe it
BOILERPLATE = ("###", "for any questions", "for further information", "follow us", "please contact",
               "attributable to", "office of the spokesperson")


@dataclass
class Draft:
    type: str
    status: str
    sents: list[Span]
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    delegations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    date: str | None = None
    place: Place | None = None
    multilateral: bool = False
    same_sentence_key: int = -1
    actor: str | None = None  # who the next "The Secretary …" or "He …" is
    header: list[tuple[int, int]] = field(default_factory=list)  # a transcript's speaker and place lines

    def parties(self) -> set[str]:
        return set(self.persons) | set(self.organizations) | set(self.delegations) | {"c:" + c for c in self.countries}

    def add_parties(self, other: Draft | _Parties) -> None:
        for name in ("persons", "organizations", "delegations", "countries"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)

    def add_sent(self, sent: Span) -> None:
        if all(s.start != sent.start for s in self.sents):
            self.sents.append(sent)


@dataclass
class _Parties:
    actor: str | None = None
    beside: Mention | None = None  # the event whose parties a recalled signing took
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    delegations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def named(self) -> bool:
        return bool(self.persons or self.organizations or self.delegations or self.countries)


class _Index:
    """Record entities by the character where each mention starts."""

    def __init__(self, record: Record, doc: Doc):
        self.doc = doc
        self.record = record
        pm = sorted((s, p.id) for p in record.persons for s, _ in p.mentions)
        om = sorted((s, e, o.id) for o in record.organizations for s, e in o.mentions)
        self.p_starts, self.p_ids = [s for s, _ in pm], [i for _, i in pm]
        self.orgs = om
        self.o_starts = [s for s, _, _ in om]
        self.person_spans = sorted((s, e) for p in record.persons for s, e in p.mentions)
        self.starts = token_starts(doc)

    def persons_in(self, a: int, b: int) -> list[tuple[int, str]]:
        lo, hi = bisect.bisect_left(self.p_starts, a), bisect.bisect_left(self.p_starts, b)
        return list(zip(self.p_starts[lo:hi], self.p_ids[lo:hi]))

    def orgs_in(self, a: int, b: int) -> list[tuple[int, int, str]]:
        lo, hi = bisect.bisect_left(self.o_starts, a), bisect.bisect_left(self.o_starts, b)
        return self.orgs[lo:hi]

    def token(self, char: int) -> Token | None:
        """The token that starts at a character, or the one that covers it."""
        if not len(self.starts):
            return None
        i = int(numpy.searchsorted(self.starts, char, side="right")) - 1
        return self.doc[max(i, 0)]

    def inside_person(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.person_spans, (s, 10**9)) - 1
        return k >= 0 and self.person_spans[k][0] <= s < self.person_spans[k][1] or any(
            ps < e and s < pe for ps, pe in self.person_spans[max(0, k - 1):k + 2])


def fill(record: Record, doc: Doc) -> None:
    lex = triggers()
    idx = _Index(record, doc)
    drafts: list[Draft] = []
    main: Draft | None = None          # the last event that happened or is planned
    last_sent_of: dict[int, int] = {}  # id(draft) -> index of its last sentence
    sents = _sentences(doc)
    at = _by_sentence(candidates(doc), [s.start for s in sents])
    going: dict[int, list[Place]] = {}  # sentence index -> where a trip said in it goes
    for si, sent in enumerate(sents):
        budget.check("events")
        mentions = [m for m in find(sent, at.get(si, [])) if m.absorbed_by is None and m.status is not None]
        for m in mentions:
            if m.type == "visit" and m.status != "referenced":
                going.setdefault(si, []).extend(p for p in _destinations(m, doc) if p.is_settlement)
        if not mentions:
            if main is not None and _elaborates(sent, si, last_sent_of.get(id(main), -99), idx, main):
                main.add_sent(sent)
            continue
        new_here: list[Draft] = []
        found = [(m, _parties(m, idx, lex, drafts, main)) for m in mentions]
        _borrow_parties(found)
        for m, parties in found:
            target = _antecedent(m, parties, drafts, main)
            if target is not None:
                target.add_sent(sent)
                if _lists_participants(sent, lex):  # "Participants in the call included …"
                    target.add_parties(_parties(replace(m, anchored=True, holes=[]), idx, lex, drafts, main))
                last_sent_of[id(target)] = si
                continue
            new_here.extend(_drafts_for(m, parties, idx, record, doc, si))
        new_here = _merge_visits(new_here)
        for d in new_here:
            if not d.parties():
                continue
            same = _duplicate(d, drafts)
            if same is not None:
                same.add_parties(d)
                same.add_sent(sent)
                same.date = same.date or d.date
                if d.place and (same.place is None or len(_words(d.place.text)) > len(_words(same.place.text))):
                    same.place = d.place  # "Chisinau, Moldova" says more than "Moldova"
                d = same
            else:
                drafts.append(d)
            last_sent_of[id(d)] = si
            if d.status != "referenced":
                main = d
    drafts = _merge_country_and_city_visits(drafts)
    _places_of_stops(drafts, sents, doc, going)
    _borrow_places(drafts)
    drafts = _header_meeting(record, drafts)
    _same_day_as_before(drafts)
    _dateline(record, drafts)
    drafts = _round_of_calls(record, drafts)
    drafts = _headline(record, drafts)
    record.events = [_event(i, d, record) for i, d in enumerate(drafts, 1)]


_DATELINE = re.compile(r"^[ \t]*([A-Z][A-Za-z.’' -]{1,40}?(?:, [A-Z][A-Za-z.’' -]{1,30})?),[ \t]+"
                       r"((?:[A-Z][a-z]+day, )?(?:\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+\.? \d{1,2}, \d{4}))[ \t]*$", re.MULTILINE)
DATELINE_REACH = 400  # characters from the start in which a dateline stands


def _dateline(record: Record, drafts: list[Draft]) -> None:
    """ "New York, 4 December 2013", "Islamabad, August 24, 2021": a dateline gives its day to the happened
    events that state none, and its place to the meetings that state none (a call has no place, a visit
    its destination)."""
    text = record.document.text
    m = _DATELINE.search(text, 0, DATELINE_REACH)
    if m is None:
        return
    name = m.group(1).strip()
    country = country_code(name.rsplit(",", 1)[-1].strip()) or events_places.city_country(name.split(",")[0])
    iso = events_dates.resolve(m.group(2), None)
    if iso is None or country is None:
        return  # "High Level Political Talks, 19 October 2017" is a heading, not a place
    place = Place(m.start(1), m.end(1), name, country)
    for d in drafts:
        if d.status != "happened":
            continue
        touched = False
        if d.date is None:
            d.date, touched = iso, True
        if d.place is None and d.type == "meeting" and d.date == iso:
            d.place, touched = place, True
        if touched and (m.start(1), m.end(2)) not in d.header:
            d.header.append((m.start(1), m.end(2)))


def _same_day_as_before(drafts: list[Draft]) -> None:
    """ "Later he spoke with ...", "Then, Minister Çavuşoğlu attended ...": an undated event that the text
    sets right after the one before it took place on that one's day."""
    for prev, d in itertools.pairwise(drafts):
        if d.date is None and prev.date and d.sents and prev.status == d.status == "happened":
            first = next((t for t in d.sents[0] if not t.is_space), None)
            if first is not None and first.lower_ in triggers().sequence_words:
                d.date = prev.date


def _round_of_calls(record: Record, drafts: list[Draft]) -> list[Draft]:
    """ "Prime Minister Netanyahu spoke with German Chancellor Merkel, Italian Prime Minister Monti and Greek
    Prime Minister Samaras": one caller, one counterpart from each of several governments, no word of a
    joint call — a round of telephone calls, one call each, as the readouts of the counterparts report them."""
    out: list[Draft] = []
    # the caller is the one the release follows: in the most events ("Later he spoke with ..."), else the first
    seen = Counter(pid for d in drafts for pid in d.persons)
    for d in drafts:
        sides: dict[str | None, list[str]] = {}
        for pid in d.persons:
            p = record.person(pid)
            sides.setdefault(p.country if p else None, []).append(pid)
        if (d.type != "call" or d.multilateral or d.organizations or d.delegations or len(sides) < 3
                or None in sides or any(len(ps) != 1 for ps in sides.values())
                or any(w in _words(" ".join(s.text for s in d.sents)) for w in triggers().joint_call_words)
                or any(t.pos_ == "NOUN" and t.lemma_.lower() in triggers().joint_call_words for t in d.sents[0])):
            out.append(d)
            continue
        caller = max(d.persons, key=lambda pid: (seen[pid], -d.persons.index(pid)))
        for pid in d.persons:
            if pid != caller:
                out.append(replace(d, persons=[caller, pid], countries=[], sents=list(d.sents), header=list(d.header)))
    return out


def _headline(record: Record, drafts: list[Draft]) -> list[Draft]:
    """An event the title line states ("Courtesy Call on Minister Kishida by U.S. Ambassador Kennedy",
    "Press release on Deputy Foreign Minister Ryabkov's meeting with US Ambassador Tefft") is the event the
    release reports, not one it recalls: it is the body's event of the same kind among the same people
    when there is one, else an event of the document's day. A title's noun phrase reads as definite
    ("the Secretary-General's meeting"), which alone would make it a recalled one."""
    end = _title_lines(record)  # the title line, and the lines that repeat it
    if end is None:
        return drafts
    out: list[Draft] = []
    # a headline names only the event's parties: everyone it names takes part, however the parser attached
    # them ("Press release on Deputy Foreign Minister Ryabkov's meeting with US Ambassador to Russia John Tefft")
    named = [p.id for p in record.persons if any(_within_chars(s, end) for s, _ in p.mentions)]
    for d in drafts:
        in_title = bool(d.sents) and all(_within(s, end) for s in d.sents) and not d.header
        if not in_title or d.status == "planned":
            out.append(d)
            continue
        if len(d.sents) == 1 and sum(1 for o in drafts if all(_within(s, end) for s in o.sents)) == 1:
            d.persons.extend(p for p in named if p not in d.persons)
        covering = [o for o in drafts if o is not d and o.type == d.type
                    and not all(_within(s, end) for s in o.sents) and set(d.persons) <= set(o.persons)]
        if len(covering) > 1:
            continue  # "PM Netanyahu speaks with world leaders": a headline over several calls the body reports
        body = covering[0] if covering and d.persons else None
        if body is not None:
            body.add_parties(d)
            for s in d.sents:
                body.add_sent(s)
            continue
        if any(o is not d and o.type == d.type and all(_within(s, end) for s in o.sents) for o in out):
            continue  # the title names it twice ("... meeting with ..." and "Meeting ...")
        d.status = "happened"
        d.date = d.date or record.document.date
        out.append(d)
    return out


TITLE_LINE_CHARS = 250  # a first line longer than this is a paragraph, not a title
TITLE_REPEAT_REACH = 800  # characters from the start in which a page may repeat its title line


def _within(sent: Span, lines: list[tuple[int, int]]) -> bool:
    return _within_chars(sent.start_char, lines)


def _within_chars(i: int, lines: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in lines)


def _title_lines(record: Record) -> list[tuple[int, int]] | None:
    """The document's title lines: its first line, when it is the given title or looks like one (short, no
    full stop at its end, a blank line after it), and the lines near the top that repeat it (pages often
    print the title twice, the second time with a note: "... President of Colombia [scroll down ...]")."""
    text = record.document.text
    first, sep, _ = text.partition("\n")
    line = first.strip()
    if not line or not sep or len(line) > TITLE_LINE_CHARS:
        return None
    title = " ".join((record.document.title or "").split())
    if title and " ".join(line.split()) != title:
        return None
    if not title and (line.endswith((".", ":", "?")) or text[len(first):len(first) + 2] != "\n\n"):
        return None
    lines = [(0, len(first))]
    head = line[:40]
    start = text.find(head, len(first))
    while 0 <= start < TITLE_REPEAT_REACH and (start == 0 or text[start - 1] == "\n"):
        stop = text.find("\n", start)
        lines.append((start, stop if stop >= 0 else len(text)))
        start = text.find(head, start + 1)
    return lines


# ---- parties ----------------------------------------------------------------------------------

def _parties(m: Mention, idx: _Index, lex: Triggers, drafts: list[Draft], main: Draft | None) -> _Parties:
    doc = idx.doc
    a, b = m.scope
    out = _Parties()
    ca, cb = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
    for start, pid in idx.persons_in(ca, cb):
        tok = idx.token(start)
        if tok is not None and m.in_scope(tok.i) and pid not in out.persons and not _honoree(tok, lex):
            out.persons.append(pid)
    if not out.persons and (owner := _pronoun_owner(m, idx)) is not None:
        out.persons.append(owner)  # "Vice President Harris will deepen the discussion during her visit to Poland"
    subj = _subjects(m)
    for start, pid in idx.persons_in(ca, cb):
        tok = idx.token(start)
        if tok is not None and pid in out.persons and any(s.left_edge.i <= tok.i <= s.right_edge.i for s in subj):
            out.actor = out.actor or pid
    for s, e, oid in idx.orgs_in(ca, cb):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not m.in_scope(span.start) or idx.inside_person(s, e):
            continue
        gov = _government_of(span)
        if gov:
            if gov not in out.countries:
                out.countries.append(gov)
            continue
        if _org_is_party(span, m.sent.start, lex) and oid not in out.organizations:
            out.organizations.append(oid)
    _delegations(m, idx, out)
    _countries(m, doc, out)
    _stand_ins(m, out, lex, main, idx.record)
    _two_countries(m, out, lex, drafts, idx.record)
    _drop_represented_countries(out, idx.record)
    return out


def _pronoun_owner(m: Mention, idx: _Index) -> str | None:
    """The person a "his"/"her" before an event noun stands for: the subject of the clause around it."""
    if m.anchored or not any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in m.trigger.children):
        return None
    verb = next((a for a in m.trigger.ancestors if a.pos_ in ("VERB", "AUX")), None)
    doc = idx.doc
    for subj in (c for c in (verb.children if verb is not None else ()) if c.dep_ in ("nsubj", "nsubjpass")):
        a, b = doc[subj.left_edge.i].idx, doc[subj.right_edge.i].idx + len(doc[subj.right_edge.i])
        found = idx.persons_in(a, b)
        if len(found) == 1:
            return found[0][1]
    return None


def _subjects(m: Mention) -> list[Token]:
    """Who does it: the verb's subject, or that of the verb it serves ("the Secretary will travel to Paris
    … to attend the meeting"); a noun's possessor ("his visit")."""
    if not m.anchored:
        return [c for c in m.trigger.children if c.dep_ == "poss"]
    verb = m.anchor
    for _ in range(3):
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj or verb.dep_ not in ("xcomp", "advcl", "conj") or verb.head is verb:
            return subj
        verb = verb.head
    return []


def _honoree(tok: Token, lex: Triggers) -> bool:
    """ "the Inauguration of His Excellency José Ramos-Horta": named, but not taking part."""
    for a in [tok, *tok.ancestors][:6]:
        if a.dep_ == "pobj" and a.head.lower_ == "of" and a.head.head.lemma_.lower() in lex.honoree_nouns:
            return True
        if a.dep_ == "poss":  # "President Biden's plan", but not "Harris' visit"
            head = a.head
            return head.lower_ not in lex.nouns and head.lemma_.lower() not in lex.nouns
        if a.pos_ in ("VERB", "AUX"):
            break
    return False


def _borrow_parties(found: list[tuple[Mention, _Parties]]) -> None:
    """ "the signing of the MoU …, within the framework of Harris' visit": a recalled signing names a
    document, not its signatories; it takes the people of the recalled event beside it."""
    for m, parties in found:
        if m.type != "signing" or m.anchored or parties.persons or parties.organizations or parties.delegations:
            continue
        for o, op in found:
            if o is not m and not o.anchored and op.persons:
                parties.persons.extend(op.persons)
                parties.beside = o
                break


def _org_is_party(span: Span, sent_start: int, lex: Triggers) -> bool:
    words = {t.lower_ for t in span}
    if words & lex.org_event_words:
        return False
    if span.root.dep_ in ("compound", "amod", "poss", "nmod"):
        return False
    i = span.start
    while i > sent_start and span.doc[i - 1].lower_ in ("the", "a", "an"):
        i -= 1
    prev = span.doc[i - 1].lower_ if i > sent_start else ""
    return prev not in lex.org_non_party_preps


def _government_of(span: Span) -> str | None:
    """ "the Government of Mexico", "the Mexican government" stand for a country."""
    words = [t.lower_ for t in span]
    if "government" not in words:
        return None
    for ent_tok in span:
        code = country_code(ent_tok.text) if ent_tok.pos_ in ("PROPN", "ADJ") else None
        if code:
            return code
    rest = span.text.split(" of ", 1)
    return country_code(rest[1]) if len(rest) == 2 else None


def _delegations(m: Mention, idx: _Index, out: _Parties) -> None:
    dels = idx.record.delegations
    if not dels:
        return
    a, b = m.scope
    for tok in idx.doc[a:b]:
        if tok.lemma_.lower() != "delegation" or not m.in_scope(tok.i):
            continue
        country = _country_in(tok)
        pick = [d for d in dels if country and d.country == country]
        if not pick and country is None:
            pick = [d for d in dels if set(d.members) & set(out.persons)] or (dels if len(dels) == 1 else [])
        for d in pick[:1]:
            if d.id not in out.delegations:
                out.delegations.append(d.id)


def _country_in(tok: Token) -> str | None:
    """The country a delegation word names: "the Mexican delegation", "a delegation from the Government of Mexico"."""
    a, b = tok.left_edge.i, tok.right_edge.i + 1
    for ent in events_places.ents_of(tok.doc):
        if a <= ent.start < b and ent.label_ in ("GPE", "NORP", "ORG"):
            code = country_code(ent.text) or (_government_of(ent) if ent.label_ == "ORG" else None)
            if code:
                return code
    for t in tok.doc[a:b]:
        if t.i != tok.i and (t.pos_ in ("PROPN", "ADJ") or t.dep_ in ("amod", "compound")):
            code = country_code(t.text)
            if code:
                return code
    return None


def _countries(m: Mention, doc: Doc, out: _Parties) -> None:
    """Countries that take part as such: subjects, "with X", "representatives from X"."""
    lex = triggers()
    for ent in _country_spans(m, doc):
        code = country_code(ent.text, demonyms=False)
        if not code:
            continue
        root = ent.root
        while root.dep_ == "conj" and root.head is not root:
            root = root.head
        head = root.head
        side = (root.dep_ in ("nsubj", "nsubjpass") and head in (m.anchor, m.trigger)) or (
            root.dep_ == "pobj" and head.lower_ in ("with", "between", "among") and
            (head.head in (m.anchor, m.trigger) or head.head.lemma_.lower() in GROUP_NOUNS)) or (
            root.dep_ == "pobj" and head.lower_ in ("from", "of") and head.head.lemma_.lower() in lex.party_words
            and head.head.tag_ in ("NNS", "NNPS") and head.head.ent_type_ != "PERSON")
        if side and code not in out.countries:
            out.countries.append(code)
    for code in _unnamed_sides(m, doc, lex):
        if code not in out.countries:
            out.countries.append(code)


def _unnamed_sides(m: Mention, doc: Doc, lex: Triggers) -> list[str]:
    """ "U.S. and Indian officials met": sides named by an adjective on a plural party word, no one by name."""
    out = []
    a, b = m.scope
    for tok in doc[a:b]:
        if (tok.tag_ in ("NNS", "NNPS") and tok.lemma_.lower() in lex.party_words and m.in_scope(tok.i)
                and not any(t.ent_type_ == "PERSON" for t in tok.subtree)):
            for mod in tok.children:
                if mod.dep_ in ("amod", "compound", "nmod"):
                    for t in [mod, *mod.conjuncts]:
                        code = country_code(t.text)
                        if code and code not in out:
                            out.append(code)
    return out


def _country_spans(m: Mention, doc: Doc) -> list[Span]:
    """Country names in the mention's scope, GPE or not ("Tajikistan" tagged NORP, "Kazakhstan" in a LAW)."""
    a, b = m.scope
    return [s for s in events_places.country_spans_of(doc)
            if a <= s.start and s.end <= b and m.in_scope(s.start) and s[0].ent_type_ != "PERSON"]


GROUP_NOUNS = {"meeting", "talks", "talk", "dialogue", "summit", "call", "consultation", "consultations",
               "conversation", "discussion", "discussions", "visit", "signing", "agreement"}


def _title_holder(subj: Token, record: Record) -> str | None:
    """ "The Deputy Secretary": the one person the document gives that title ("Deputy Secretary of State")."""
    words = [t.lower_ for t in subj.subtree if t.i <= subj.i and t.dep_ != "det"]
    if len(words) > 3 or not words or words[-1] in ("he", "she", "i"):
        return None
    phrase = " ".join(words)
    ids = {p.id for p in record.persons for pos in p.positions
           if pos.title and (pos.title.lower() == phrase or pos.title.lower().startswith(phrase + " "))}
    return ids.pop() if len(ids) == 1 else None


def _stand_ins(m: Mention, out: _Parties, lex: Triggers, main: Draft | None, record: Record) -> None:
    """ "They met again", "The Secretary also met with …": the parties of the event before."""
    if main is None:
        return
    subj = _subjects(m)
    for s in subj:
        if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in s.subtree):
            continue
        w = s.lemma_.lower()
        if w in lex.plural_anaphors or s.lower_ in lex.plural_anaphors:
            take = main.persons + main.delegations
        elif w in lex.singular_anaphors or s.lower_ in lex.singular_anaphors:
            holder = _title_holder(s, record)
            take = [holder] if holder else [main.actor] if main.actor else main.persons[:1] or main.delegations[:1]
            out.actor = take[0] if take else None
        else:
            continue
        for x in take:
            bucket = out.delegations if x.startswith("d") and x in main.delegations else out.persons
            if x not in bucket:
                bucket.append(x)


def _two_countries(m: Mention, out: _Parties, lex: Triggers, drafts: list[Draft], record: Record) -> None:
    a, b = m.scope
    doc = m.sent.doc
    if not any(doc[i].lower_ in lex.two_countries and doc[i - 1].lower_ in ("two", "both")
               for i in range(a + 1, b) if m.in_scope(i)):
        return
    seen: list[str] = []
    named = [c for d in drafts for c in d.countries]
    named += [d.country for d in record.delegations if d.country]
    named += [p.country for p in record.persons if p.country]
    for c in named:
        if c not in seen:
            seen.append(c)
    if len(seen) == 2:
        out.countries.extend(c for c in seen if c not in out.countries)


def _drop_represented_countries(out: _Parties, record: Record) -> None:
    stood = {p.country for p in record.persons if p.id in out.persons and p.country}
    stood |= {d.country for d in record.delegations if d.id in out.delegations and d.country}
    out.countries = [c for c in out.countries if c not in stood]


# ---- which event a mention belongs to ---------------------------------------------------------

def _antecedent(m: Mention, parties: _Parties, drafts: list[Draft], main: Draft | None) -> Draft | None:
    """ "At the meeting, …", "Participants in the call included …": the event already recorded."""
    if m.anchored and m.anchor is not m.trigger and not m.definite:
        return None
    if not m.definite or m.trigger.pos_ == "VERB":
        return None
    if parties.named() and not _points_back(m):
        return None
    for d in reversed(drafts):
        if d.type == m.type or (GROUP[d.type] == GROUP[m.type] and d is main):
            return d
    return None


def _points_back(m: Mention) -> bool:
    """The noun phrase itself names no one: its parties come from the clause around it. "The ninth
    meeting of the Turkish-Dutch Wittenburg Conference" names an occurrence of its own (an ordinal, or
    a named gathering it is a meeting of), however definite."""
    kids = list(m.trigger.children)
    if any(c.ent_type_ == "ORDINAL" for c in kids):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children) for c in kids):
        return False
    return not any(t.ent_type_ in ("PERSON", "GPE", "ORG") for t in m.trigger.subtree)


def _lists_participants(sent: Span, lex: Triggers) -> bool:
    return any(t.lower_ in lex.participant_list_cues for t in sent)


def _drafts_for(m: Mention, parties: _Parties, idx: _Index, record: Record, doc: Doc, si: int) -> list[Draft]:
    date = _date(m, doc, record.document.date)
    status = m.status or "happened"
    base = record.document.date
    if status == "happened" and date and base and date > base and m.anchor.tag_ not in ("VBD", "VBN"):
        status = "planned"
    word = _first_relative(m)
    if status == "planned" and date is None and m.anchored and word:
        date = events_dates.resolve(word, base, future=True)
    dests = _destinations(m, doc) if m.type == "visit" else []
    place = None if dests else _place(m, doc)
    if place is None and parties.beside is not None:
        near = _destinations(parties.beside, doc) if parties.beside.type == "visit" else []
        place = near[0] if near else _place(parties.beside, doc)
    if dests:  # a city the tagger took for a person ("Yerevan") is where, not who
        inside = {pid for pid in parties.persons for start, x in idx.persons_in(dests[0].start, dests[-1].end) if x == pid}
        parties = replace(parties, persons=[x for x in parties.persons if x not in inside])
    if m.type == "visit" and not dests and place is None and m.trigger.lemma_.lower() == "delegation":
        return []  # "led the delegation, which met with …": no trip said
    out = []
    for p in dests or [place]:  # type: ignore[list-item]  # one event with no place at all
        d = Draft(type=m.type, status=status, sents=[m.sent], date=date, place=p, multilateral=m.multilateral,
                  same_sentence_key=si, actor=parties.actor or (parties.persons[0] if parties.persons else None))
        d.add_parties(parties)
        out.append(d)
    return out


def _first_relative(m: Mention) -> str | None:
    return next((t.text for t in m.sent if t.lower_ in ("tomorrow",) and m.in_scope(t.i)), None)


def _merge_visits(ds: list[Draft]) -> list[Draft]:
    """Visits in one sentence by the same parties to a city and a country are one visit ("Dili, Timor-Leste")."""
    visits = [d for d in ds if d.type == "visit" and d.place is not None]
    out = [d for d in ds if d not in visits]
    by_parties: dict[frozenset[str], list[Draft]] = {}
    for d in visits:
        by_parties.setdefault(frozenset(d.parties()), []).append(d)
    for group in by_parties.values():
        countries = [d for d in group if d.place and d.place.is_country]
        cities = [d for d in group if d not in countries]
        if len(countries) == 1 and len(cities) == 1:
            c, city = countries[0], cities[0]
            assert city.place and c.place
            city.place = Place(city.place.start, city.place.end, f"{city.place.text}, {c.place.text}",
                               city.place.country or c.place.country)
            city.date = min(filter(None, [city.date, c.date]), default=None)
            group = [city]
        merged: list[Draft] = []
        for d in group:
            same = next((x for x in merged if x.place and d.place and _same_place(x.place.text, d.place.text)), None)
            if same:
                same.date = min(filter(None, [same.date, d.date]), default=None)
            else:
                merged.append(d)
        out.extend(merged)
    placed = [d for d in out if d.type == "visit" and d.place is not None]
    for d in ds:
        if d.type == "visit" and d.place is None:
            twin = next((x for x in placed if x.parties() == d.parties() and x.status == d.status), None)
            if twin is None:
                out.append(d)  # "his first trip … when he travels to San Jose": one visit
            else:
                twin.date = twin.date or d.date
    return out


def _same_place(a: str, b: str) -> bool:
    ta, tb = set(_words(a)), set(_words(b))
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _words(text: str) -> list[str]:
    return [w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if w != "the"]


def _duplicate(d: Draft, drafts: list[Draft]) -> Draft | None:
    """An event stated again ("X met Y … X and Y also met on …") with the same parties."""
    for o in reversed(drafts):
        if o.type != d.type or o.status != d.status:
            continue
        a, b = o.parties(), d.parties()
        same_sentence = any(s.start == d.sents[0].start for s in o.sents) and a == b
        same_trip = (d.type == "visit" and o.place is not None and d.place is not None and bool(a & b)
                     and (a <= b or b <= a) and _same_place(o.place.text, d.place.text))
        if not (same_sentence or same_trip) and (len(a & b) < 2 or len(a & b) / len(a | b) < 0.5):
            continue  # one shared party is the actor's next engagement, not the same one
        if o.date and d.date and o.date != d.date:
            continue
        if o.place and d.place and not _same_place(o.place.text, d.place.text):
            continue
        if d.type == "visit" and (o.place is None) != (d.place is None):
            continue
        return o
    return None


def _elaborates(sent: Span, si: int, last: int, idx: _Index, main: Draft) -> bool:
    """A sentence with no event of its own goes on about the last one ("They discussed …")."""
    text = sent.text.strip().lower()
    if len(text) < 20 or any(b in text for b in BOILERPLATE) or si - last > ELABORATION_REACH:
        return False
    if text.endswith(":"):
        return False  # "Members of the Presidential Delegation:"
    others = {pid for _, pid in idx.persons_in(sent.start_char, sent.end_char)} - set(main.persons)
    if len(others) >= 2:
        return False  # a list of people, not the event's story
    if main.place is None:
        main.place = _held_in(sent)
    return True


def _held_in(sent: Span) -> Place | None:
    """ "The Working Group is being held in Denver, Colorado": where an event already found takes place."""
    lex = triggers()
    for tok in sent:
        if tok.lower_ == "in" and tok.dep_ == "prep" and tok.head.lemma_.lower() in lex.light_verbs | {"take"}:
            got = events_places.list_after(sent.doc, tok.i + 1, sent.end)
            if got:
                return got[0]
    return None


def _sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences, cut again at blank lines (a header and the first line are two sentences)."""
    starts = token_starts(doc)
    cuts = sorted({int(numpy.searchsorted(starts, m.end(), side="left")) for m in _BLANK_LINE.finditer(events_places.text_of(doc))})
    flags = doc.to_array([SENT_START]).reshape(-1)
    bounds = sorted({0, len(doc), *(int(i) for i in numpy.flatnonzero(flags == 1)), *cuts} - {len(doc) + 1})
    text = events_places.text_of(doc)
    spans = [piece for a, b in itertools.pairwise(bounds) if b > a for piece in _bounded(doc, a, b)]
    return [s for s in spans if text[s.start_char:s.end_char].strip()]


MAX_SENTENCE_TOKENS = 150  # longer "sentences" (run-ons, lists with no full stop) are searched in pieces


def _bounded(doc: Doc, a: int, b: int) -> list[Span]:
    """The sentence, or pieces of it no longer than MAX_SENTENCE_TOKENS, cut after the last ";" (else ",")
    before the bound: each mention looks at its whole sentence, so a run-on of 400 clauses would make
    the event search quadratic in the document's length."""
    out: list[Span] = []
    while b - a > MAX_SENTENCE_TOKENS:
        window = range(a + MAX_SENTENCE_TOKENS - 1, a + MAX_SENTENCE_TOKENS // 3, -1)
        cut = next((i + 1 for i in window if doc[i].text == ";"), None) or \
            next((i + 1 for i in window if doc[i].text == ","), None) or a + MAX_SENTENCE_TOKENS
        out.append(doc[a:cut])
        a = cut
    out.append(doc[a:b])
    return out


_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def token_starts(doc: Doc) -> numpy.ndarray:
    cached = doc.user_data.get("readouts.events.starts")
    if cached is None:
        cached = doc.user_data["readouts.events.starts"] = doc.to_array([IDX]).reshape(-1)
    return cached  # type: ignore[no-any-return]


def _by_sentence(indices: list[int], starts: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i in indices:
        out.setdefault(bisect.bisect_right(starts, i) - 1, []).append(i)
    return out


def _merge_country_and_city_visits(drafts: list[Draft]) -> list[Draft]:
    """ "will travel to Germany and France …" then "On May 14, the Secretary will travel to Berlin": one
    visit per destination, when the document itself places the city in the country ("Berlin, Germany")."""
    visits = [d for d in drafts if d.type == "visit" and d.place]
    in_country = {_words(d.place.text)[0]: d.place.country for d in visits if d.place and "," in d.place.text
                  and d.place.country}
    for d in drafts:
        if d.place and "," in d.place.text and d.place.country:
            in_country.setdefault(_words(d.place.text)[0], d.place.country)
    gone: set[int] = set()
    for c in visits:
        if not (c.place and c.place.is_country):
            continue
        for city in visits:
            if city is c or id(city) in gone or not city.place or city.place.is_country or city.status != c.status:
                continue
            if in_country.get(_words(city.place.text)[0]) == c.place.country and set(c.persons) <= set(city.persons):
                if "," not in city.place.text:
                    city.place = Place(city.place.start, city.place.end, f"{city.place.text}, {c.place.text}",
                                       c.place.country)
                city.date = city.date or c.date
                for s in c.sents:
                    city.add_sent(s)
                gone.add(id(c))
                break
    return [d for d in drafts if id(d) not in gone]


def _places_of_stops(drafts: list[Draft], sents: list[Span], doc: Doc, going: dict[int, list[Place]]) -> None:
    """A meeting during a trip is where the traveler is at that point: the one place a visit in its sentence
    goes to ("will travel to Cairo to meet with …"), or a stop set earlier in its paragraph ("In Amman, he
    will …", "While in Panama City, …", "He will first travel to Jerusalem … He will also meet …")."""
    travelers = {p for d in drafts if d.type == "visit" and d.status != "referenced" for p in d.persons + d.delegations}
    if not travelers:
        return
    stops = _stops(sents, doc, going)
    named = [d.place for d in drafts if d.type == "visit" and d.place is not None]
    for d in drafts:
        if d.type != "meeting" or d.place is not None or d.status == "referenced" or d.multilateral and not d.persons:
            continue
        stop = stops.get(d.same_sentence_key)
        if stop is not None and travelers & set(d.persons + d.delegations):
            # the fullest name the document gives the stop ("San José, Costa Rica" for "San José")
            d.place = max((p for p in named if _same_place(p.text, stop.text)), key=lambda p: len(p.text), default=stop)


def _stops(sents: list[Span], doc: Doc, going: dict[int, list[Place]]) -> dict[int, Place]:
    """Sentence index -> where the traveler is in it, carried on to the end of the paragraph."""
    text = events_places.text_of(doc)
    out: dict[int, Place] = {}
    here: Place | None = None
    for si, sent in enumerate(sents):
        if si and _BLANK_LINE.search(text[sents[si - 1].end_char - 1:sent.start_char + 1]) and not _there(sent):
            here = None
        lead = _leading_place(sent, doc)
        if lead is not None:
            here = lead
        elif len(going.get(si, [])) == 1:
            here = going[si][0]
        elif len(going.get(si, [])) > 1:
            here = None  # the trip's overview: no one stop
        if here is not None:
            out[si] = here
    return out


def _there(sent: Span) -> bool:
    words = [t.lower_ for t in sent[:3]]
    return "there" in words[:2] and words[0] in ("there", "while")


def _leading_place(sent: Span, doc: Doc) -> Place | None:
    """ "In Jerusalem, the Secretary …", "While in Rabat, …": a sentence set in a place."""
    i = sent.start
    if doc[i].lower_ in ("while", "then", "later", "once"):
        i += 1
    if i >= sent.end or doc[i].lower_ not in ("in", "at"):
        return None
    got = events_places.list_after(doc, i + 1, sent.end)
    if len(got) != 1:
        return None
    return got[0] if events_places.text_of(doc)[got[0].end:got[0].end + 1] == "," else None


def _borrow_places(drafts: list[Draft]) -> None:
    """Meetings held (or to be held) during the document's one trip take its place ("the delegation's
    visit to Washington", "will travel to Santiago … will also meet with civil society")."""
    for status in ("happened", "planned"):
        trips = [d for d in drafts if d.type == "visit" and d.status == status and d.place and d.place.is_settlement]
        first = trips[0].place if trips else None
        if first is None or not all(_same_place(t.place.text, first.text) for t in trips if t.place):
            continue
        trip = trips[0]
        for d in drafts:
            if d.place is None and d.type == "meeting" and d.status == status:
                d.place = trip.place


def _header_meeting(record: Record, drafts: list[Draft]) -> list[Draft]:
    """A transcript "… Before Their Meeting" whose header lists the speakers, or whose title names them, is
    their meeting (events_header); the body's mentions of a meeting among them alone that day ("our meeting today") are the same one."""
    h = events_header.meeting(record) or events_header.title_meeting(record)
    if h is None:
        return drafts
    text = record.document.text
    place = None
    if h.place is not None:
        ps, pe = h.place
        place_text = text[ps:pe]
        country = country_code(place_text.rsplit(",", 1)[-1].strip()) or country_code(place_text)
        place = Place(ps, pe, place_text, country)
    # a meeting held by video is a call, as the readouts of the same meeting call it
    kind = "call" if getattr(h, "virtual", False) else "meeting"
    meeting = Draft(type=kind, status="happened", sents=[], persons=list(h.persons), date=h.date,
                    place=place, header=h.evidence)
    known = set(h.persons)
    sides = h.sides | {p.country for p in record.persons if p.id in known and p.country}
    kept = []
    for d in drafts:
        if (d.type in ("meeting", kind) and d.status != "referenced" and d.persons and set(d.persons) <= known
                and not d.organizations and not d.delegations and set(d.countries) <= sides
                and d.date in (None, h.date)):
            for sent in d.sents:
                meeting.add_sent(sent)
        else:
            kept.append(d)
    return [meeting, *kept]


# ---- when and where ---------------------------------------------------------------------------

def _date(m: Mention, doc: Doc, base: str | None) -> str | None:
    """The date phrase nearest the trigger, preferring those the event's own verb governs
    ("announced today … to attend the inauguration on June 30": June 30)."""
    a, b = m.scope
    own = (m.anchor.left_edge.i, m.anchor.right_edge.i + 1)
    best: tuple[int, int, int, str] | None = None
    lex = triggers()
    saying = lex.announce_verbs | lex.reporting_verbs
    for ent in events_places.ents_between(doc, a, b):
        if ent.label_ not in ("DATE", "TIME") or not m.in_scope(ent.start):
            continue
        said = ent.root.head
        if said is not m.anchor and said.lemma_.lower() in saying:
            continue  # "Biden today announced the designation of a delegation to …": the day of the news
        iso = events_dates.resolve(ent.text, base, future=m.status == "planned")
        if iso:
            # "today (Saturday, 17 November 2012)": a date or a day relative to the release's beats a weekday
            # alone, which is read as the last such day
            explicit = 0 if any(ch.isdigit() for ch in ent.text) or ent.text.lower().split()[0] in (
                "today", "yesterday", "tomorrow", "tonight", "this") else 1
            rank = (0 if own[0] <= ent.start < own[1] else 1, explicit, abs(ent.start - m.trigger.i))
            if best is None or rank < best[:3]:
                best = (*rank, iso)
    if best is None:  # "Today, Speaker Pelosi … met", "spoke … this evening": a day the tagger did not mark
        # ... or one the verb above a noun trigger governs ("following up on the meeting ... yesterday")
        verb = next((x for x in m.trigger.ancestors if x.pos_ in ("VERB", "AUX")), None) if not m.anchored else None
        near = [*doc[own[0]:own[1]], *(c for c in (verb.children if verb is not None else ())
                                       if c.dep_ == "npadvmod")]
        words = [t for t in near if t.lower_ in ("today", "yesterday", "tomorrow", "tonight")
                 or t.lower_ == "this" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("morning", "afternoon", "evening")]
        return events_dates.resolve(doc[words[0].i:words[0].i + 2].text, base) if words else None
    return best[3]


def _destinations(m: Mention, doc: Doc) -> list[Place]:
    heads = [m.trigger] + ([m.anchor] if m.anchor is not m.trigger else [])
    a, b = m.scope
    for h in heads:
        for p in h.children:
            if p.dep_ == "prep" and p.lower_ in ("to", "in", "at") and m.in_scope(p.i):
                got = events_places.list_after(doc, p.i + 1, b)
                if got:
                    return got
        if h.lemma_.lower() in ("visit", "tour") and h.pos_ == "VERB":
            for o in h.children:
                if o.dep_ == "dobj":
                    got = events_places.list_after(doc, o.left_edge.i, b)
                    if got:
                        return got
    if not m.anchored and b < m.sent.end and doc[b].lower_ == "to":  # "the visit of Pope Francis | to Iraq"
        got = events_places.list_after(doc, b + 1, m.sent.end)
        if got:
            return got
    inside = [t for t in doc[a:b] if m.in_scope(t.i)]
    for p in inside:
        if p.lower_ == "in" and p.dep_ == "prep" and any(h in p.ancestors for h in heads):
            got = events_places.list_after(doc, p.i + 1, b)
            if got:
                return got[:1]
    for p in inside:
        if p.lower_ == "to" and p.dep_ == "prep":
            got = events_places.list_after(doc, p.i + 1, b)
            if got:
                return got
    return []


def _place(m: Mention, doc: Doc) -> Place | None:
    """ "met … in Manila, the Philippines": a place said of the event, not of something discussed."""
    a, b = m.scope
    own = {m.anchor.i, m.trigger.i}
    preps = [p for p in doc[a:b] if p.lower_ in ("in", "at") and p.dep_ == "prep" and m.in_scope(p.i)]
    found: list[tuple[bool, Place]] = []
    for p in preps:
        head = p.head
        party = head.pos_ == "PROPN" or head.lemma_.lower() in triggers().party_words or head.lower_ in triggers().party_words
        event_noun = head.lower_ in triggers().nouns or head.lemma_.lower() in triggers().nouns
        if head.i not in own and not event_noun and (m.type == "call" or head.pos_ in ("VERB", "AUX") or not party):
            continue  # "the case of a journalist detained in Burma", "the situation in Ukraine"
        got = events_places.list_after(doc, p.i + 1, b)
        if got:
            found.append((head.i in own, got[0]))
    # said of the event itself first, then a place known to lie in a country ("Melbourne, Australia", not "the Quad")
    found.sort(key=lambda f: (not f[0], f[1].country is None))
    return found[0][1] if found else None


def _topics(sents: list[Span], record: Record) -> list[str]:
    """Labels whose words are in the evidence as something talked about: not inside a name ("the Election
    Commission", "Minister of Health"), not in a sentence that congratulates someone on an "election"."""
    names = [(s, e) for x in [*record.persons, *record.organizations] for s, e in x.mentions]  # type: ignore[attr-defined]
    out: list[str] = []
    for sent in sents:
        if any(t.lemma_.lower().startswith("congratulat") for t in sent):
            continue
        base = sent.start_char
        for label, rx in topic_patterns():
            if label in out:
                continue
            for hit in rx.finditer(sent.text):
                a, b = base + hit.start(), base + hit.end()
                if not any(s < b and a < e for s, e in names):
                    out.append(label)
                    break
    return out


# ---- the record's event -----------------------------------------------------------------------

def _event(n: int, d: Draft, record: Record) -> Event:
    sents = sorted(d.sents, key=lambda s: s.start)
    topics = _topics(sents, record)
    ev = Event(id=f"e{n}", type=d.type, status=d.status, date=d.date,  # type: ignore[arg-type]
               location=d.place.text if d.place else None,
               participants=Participants(persons=d.persons, organizations=d.organizations,
                                         delegations=d.delegations, countries=d.countries),
               topics=topics,
               evidence=[*d.header, *((s.start_char, s.end_char) for s in sents)])
    ev.plover = plover_code(ev, record, place_country=d.place.country if d.place else None,
                            multilateral=d.multilateral)
    return ev
