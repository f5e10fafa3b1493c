"""Event mentions in one sentence: the trigger word, its type, status and the tokens it governs.

A mention is *anchored* when a verb states it: the trigger verb itself ("met", "will travel")
or a light verb carrying a trigger noun ("held a meeting", "convened a workshop"). A bare noun
("as a follow-up to the signing", "Harris' visit") is unanchored: it speaks of an event in
passing, and only its own subtree says who took part.
"""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token

from readouts.extract.events import places
from readouts.extract.events.lexicon import Triggers, triggers

PLACE_ENTS = {"GPE", "LOC", "FAC"}


@dataclass
class Mention:
    type: str
    trigger: Token
    anchor: Token
    anchored: bool
    sent: Span
    status: str | None = None          # None: negated or hypothetical, no event
    multilateral: bool = False
    definite: bool = False             # "the meeting", "their call": may point back to an event
    absorbed_by: Mention | None = None  # a noun inside another mention's clause ("met ... for talks")
    holes: list[tuple[int, int]] = field(default_factory=list)
    _hole_starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _hole_ends: list[int] = field(default_factory=list, repr=False, compare=False)
    _merged_for: int = field(default=-1, repr=False, compare=False)

    @property
    def scope(self) -> tuple[int, int]:
        """Token range that says who, when and where: the clause of an anchored mention, else the noun phrase."""
        if self.anchored:
            return self.sent.start, self.sent.end
        return max(self.trigger.left_edge.i, self.sent.start), min(self.trigger.right_edge.i + 1, self.sent.end)

    def in_scope(self, i: int) -> bool:
        a, b = self.scope
        if not a <= i < b:
            return False
        if not self.holes:
            return True
        if self._merged_for != len(self.holes):  # holes are only ever appended: merge again when they grew
            self._merge_holes()
        k = bisect.bisect_right(self._hole_starts, i) - 1
        return not (k >= 0 and i < self._hole_ends[k])

    def _merge_holes(self) -> None:
        """The holes as sorted, disjoint ranges: a run-on sentence of 400 clauses has 400 holes per
        mention, and ``in_scope`` is asked of every token, so it bisects instead of scanning."""
        starts: list[int] = []
        ends: list[int] = []
        for s, e in sorted(self.holes):
            if starts and s <= ends[-1]:
                ends[-1] = max(ends[-1], e)
            else:
                starts.append(s)
                ends.append(e)
        self._hole_starts, self._hole_ends, self._merged_for = starts, ends, len(self.holes)


def candidates(doc: Doc) -> list[int]:
    """Indices of tokens whose form or lemma is a trigger word, read from one array per doc:
    building a Token per word costs more than the rest of the stage."""
    arr = doc.to_array([LOWER, LEMMA])
    if not len(arr):
        return []
    hashes = _trigger_hashes(doc.vocab.strings)
    hit = numpy.isin(arr[:, 0], hashes) | numpy.isin(arr[:, 1], hashes)
    return [int(i) for i in numpy.flatnonzero(hit)]


def _trigger_hashes(strings: StringStore) -> numpy.ndarray:
    lex = triggers()
    words = {w.lower() for w in [*lex.verbs, *lex.nouns]}
    return numpy.array(sorted(strings.add(w) for w in words), dtype="uint64")


def find(sent: Span, at: list[int] | None = None) -> list[Mention]:
    """Mentions in a sentence; ``at``: the only token indices worth looking at (see ``candidates``)."""
    lex = triggers()
    out: list[Mention] = []
    doc = sent.doc
    for tok in (sent if at is None else (doc[i] for i in at)):
        m = _verb_mention(tok, lex, sent) if tok.tag_.startswith("VB") else (
            _noun_mention(tok, lex, sent) if tok.pos_ in ("NOUN", "PROPN") else None)
        if m is not None:
            m.status = _status(m, lex)
            out.append(m)
    _absorb(out)
    for m in out:  # "the designation of a delegation to Timor-Leste to attend the inauguration": one trip
        if m.anchor.lemma_.lower() == "designation":
            m.absorbed_by = next((o for o in out if o is not m and o.type == m.type and o.absorbed_by is None), None)
    _cut_holes(out, lex)
    for m in out:
        if not m.anchored:  # "the summit with Egypt and Jordan, and the important role …": not the role
            m.holes.extend((c.left_edge.i, c.right_edge.i + 1) for c in m.trigger.children
                           if c.dep_ in ("conj", "relcl"))
    return out


# ---- triggers ---------------------------------------------------------------------------------

def _preps(tok: Token, words: set[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "prep" and c.lower_ in words]


def _objects(tok: Token) -> list[Token]:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "attr")]
    return objs + [cc for o in objs for cc in o.conjuncts]


def _has_place_after(prep: Token) -> bool:
    return any(t.ent_type_ in PLACE_ENTS for t in prep.subtree) or bool(
        places.list_after(prep.doc, prep.i + 1, prep.right_edge.i + 1))  # "Chisinau, Moldova" tagged ORG


def _verb_mention(tok: Token, lex: Triggers, sent: Span) -> Mention | None:
    spec = lex.verbs.get(tok.lemma_.lower())
    if spec is None:
        return None
    kind = spec["type"]
    ok = NEEDS[spec.get("needs") or "nothing"](tok, _objects(tok), lex, sent)
    if isinstance(ok, Mention) or ok is None:
        return ok
    if ok and kind == "meeting" and any(c.lower_ in triggers().remote_adverbs for c in tok.children):
        kind = "call"  # "met virtually with"
    return Mention(kind, tok, tok, True, sent) if ok else None


# What a trigger verb's `needs:` (data/en/events_triggers.yaml) asks of its clause. Each check answers
# True (an event), False (not this time), None (never an event here) or, for "attend", the mention itself.
Needs = Callable[[Token, list[Token], Triggers, Span], "bool | Mention | None"]


def _needs_with(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool:
    return bool(_preps(tok, {"with"})) or _by_phone(tok) or _with_follows(tok) or any(
        t.ent_type_ == "PERSON" for p in _preps(tok, {"to"}) for t in p.subtree)  # "spoke to Ray Chambers"


def _needs_phone(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool:
    return _by_phone(tok)


def _needs_object(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool | Mention | None:
    if any(o.lemma_.lower() in lex.non_party_objects for o in objs):
        return None
    if tok.lemma_.lower() == "attend":
        return _attend(tok, objs, lex, sent)
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(objs) or bool(_preps(tok, {"with"})) or any(
        s.tag_ in ("NNS", "NNPS") or list(s.conjuncts) or s.lower_ in ("they", "we") or
        len({t.ent_iob_ + str(t.i) for t in s.subtree if t.ent_type_ in ("PERSON", "GPE", "ORG", "NORP")
             and t.ent_iob_ == "B"}) >= 2  # "Johnson, Biden and Morrison met"
        for s in subj)


def _needs_place(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool:
    return any(_has_place_after(p) for p in _preps(tok, {"to", "in", "at", "for"}))


def _needs_person(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool | None:
    """ "will host Prime Minister Ardern", "welcomed President X to the White House"."""
    if any((lex.nouns.get(o.lower_) or lex.nouns.get(o.lemma_.lower())) for o in objs):
        return None  # "hosted a summit": the summit is the event
    return any(t.ent_type_ == "PERSON" or _titled_name(t) for o in objs for t in o.subtree) and (
        tok.lemma_.lower() != "welcome" or bool(_preps(tok, {"to"})))


def _needs_document(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool:
    return any(o.lemma_.lower() in lex.document_nouns or
               any(c.lemma_.lower() in lex.document_nouns for c in o.children) for o in objs)


def venue_of(tok: Token) -> Span | None:
    """The body or place a "to"/"at" of this verb names ("summoned to the Russian Foreign Ministry")."""
    for p in _preps(tok, {"to", "at"}):
        for ent in places.ents_of(tok.doc):
            if p.i < ent.start <= p.i + 3 and ent.label_ in ("ORG", "GPE", "FAC", "LOC"):
                return ent
    return None


def _needs_venue(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool:
    return venue_of(tok) is not None


def _needs_nothing(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> bool:
    return True


NEEDS: dict[str, Needs] = {"with": _needs_with, "phone": _needs_phone, "object": _needs_object, "place": _needs_place,
                           "person": _needs_person, "document": _needs_document, "venue": _needs_venue,
                           "nothing": _needs_nothing}


def _titled_name(tok: Token) -> bool:
    """A proper noun after a title ("welcomed Chancellor Olaf Scholz"), however the tagger labelled it."""
    from readouts.extract.gazetteer import load
    return tok.pos_ == "PROPN" and any(c.dep_ == "compound" and c.lower_ in load().title_words
                                       for c in tok.children)


def _with_follows(tok: Token) -> bool:
    """ "spoke this afternoon with …", however the parser attached the "with"."""
    for t in tok.doc[tok.i + 1:min(tok.i + 6, len(tok.doc))]:
        if t.lower_ == "with":
            return True
        if t.is_punct or t.pos_ in ("VERB", "AUX") or not (t.ent_type_ in ("DATE", "TIME") or t.pos_ in ("ADV", "DET")):
            return False
    return False




def _by_phone(tok: Token) -> bool:
    return any(t.lower_ in ("phone", "telephone", "videoconference", "video") for p in _preps(tok, {"by", "on", "via", "over"})
               for t in p.subtree)


def _attend(tok: Token, objs: list[Token], lex: Triggers, sent: Span) -> Mention | None:
    for o in objs:
        spec = lex.nouns.get(o.lower_) or lex.nouns.get(o.lemma_.lower())
        if spec and spec["type"] == "meeting":
            return None  # "attended the summit": the summit is the event, anchored by attend
        if o.lemma_.lower() in lex.ceremony_nouns or o.ent_type_ in ("EVENT", "ORG"):
            return Mention("visit", tok, tok, True, sent)
    return None


def _noun_mention(tok: Token, lex: Triggers, sent: Span) -> Mention | None:
    spec = lex.nouns.get(tok.lower_) or lex.nouns.get(tok.lemma_.lower())
    if spec is None or tok.dep_ in ("compound", "amod", "nmod"):
        return None  # "meeting room", "visit schedule"
    if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in lex.context_heads:
        return None  # "on the margins of the G7 Summit"
    kind = spec["type"]
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    if mods & lex.call_modifiers and kind == "meeting" and tok.lower_ in lex.remote_nouns:
        kind = "call"  # "virtual meeting", "video meeting", "telephone talk"
    in_person = bool(mods & lex.in_person_call_modifiers)
    if in_person and kind == "call":
        kind = "meeting"  # "received a courtesy call from the Ambassador": paid in person
    anchor = _light_verb(tok, lex)
    if anchor is not None and spec.get("light") and anchor.lemma_.lower() not in spec["light"]:
        anchor = None
    if spec.get("light") and anchor is None:
        return None
    if spec.get("needs_modifier"):
        if any(c.dep_ == "prep" and c.lower_ in ("for", "to") for c in tok.children):
            return None  # "calls for restraint", "a call to action"
        if (not mods & (lex.call_modifiers | lex.in_person_call_modifiers)
                and (anchor is None or tok.lower_ == "conversation")
                and not _determiner(tok) & triggers().definite_words):
            return None
    if spec.get("strength") == "weak" and anchor is None and not _acl_light(tok, lex):
        return None
    if anchor is None and not _determiner(tok) and not any(
            c.dep_ in ("poss", "nummod") or c.ent_type_ for c in tok.children):
        return None  # "committed to continued close consultation": no occurrence, a practice
    multi = bool(spec.get("multilateral")) or any(
        c.ent_type_ == "ORG" or (c.tag_ in ("NNS", "NNPS") and c.lemma_.lower() in lex.party_words)
        for c in tok.subtree if c.i < tok.i)  # "the NATO Foreign Ministers' Meeting"
    m = Mention(kind, tok, anchor or tok, anchor is not None, sent, multilateral=multi)
    m.definite = bool(_determiner(tok) & (triggers().definite_words | triggers().possessive_words)) or any(
        c.dep_ == "poss" for c in tok.children)
    return m


def _determiner(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}


def _light_verb(tok: Token, lex: Triggers) -> Token | None:
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass", "oprd") and head.lemma_.lower() in lex.light_verbs:
        return head
    if tok.dep_ == "conj" and tok.head.dep_ in ("dobj", "nsubjpass") and tok.head.head.lemma_.lower() in lex.light_verbs:
        return tok.head.head
    if (tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "on")
            and head.head.lemma_.lower() in ("participate", "take", "join", "engage", "speak")):
        return head.head
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() == "designation":
        return head.head  # "announced the designation of a Presidential Delegation to Abu Dhabi"
    if tok.dep_ == "pobj" and head.lower_ == "from" and head.head.lemma_.lower() == "return":
        return head.head  # "returned from travel to Ethiopia"
    if tok.dep_ == "nsubj" and head.lemma_.lower() in ("take", "occur", "happen", "begin", "start", "conclude", "end"):
        return head
    return None


def _acl_light(tok: Token, lex: Triggers) -> bool:
    """ "discussions held in Reykjavik": a light verb as the noun's own modifier."""
    return any(c.dep_ == "acl" and c.lemma_.lower() in lex.light_verbs for c in tok.children)


# ---- status -----------------------------------------------------------------------------------

def _clause_chain(tok: Token, depth: int = 4) -> list[Token]:
    """The token and the verbs above it, up to the first finite verb (or ``depth`` steps)."""
    chain = [tok]
    while len(chain) < depth and chain[-1].dep_ not in ("ROOT",) and chain[-1].head is not chain[-1]:
        t = chain[-1]
        if t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.pos_ != "AUX" and any(c.dep_ == "nsubj" for c in t.children):
            break
        chain.append(t.head)
    return chain


def _status(m: Mention, lex: Triggers) -> str | None:
    if m.sent.text.rstrip().endswith("?"):
        return None  # "Are there any plans for the Secretary to meet …?"
    anchor = m.anchor
    chain = _clause_chain(anchor)
    sent_words = {t.lower_ for t in m.sent}
    for t in chain:
        kids = list(t.children)
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in kids):
            return None
        if any(c.dep_ == "mark" and c.lower_ in triggers().condition_marks for c in kids):
            return None
        aux = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
        if aux & triggers().doubt_aux or ("would" in aux and sent_words & triggers().condition_marks):
            return None
        if t is not anchor and t.lemma_.lower() in lex.aspiration_verbs:
            return None
        if t.lemma_.lower() in lex.negations and t is not anchor:
            return None
    before = anchor.doc[anchor.i - 2] if anchor.i >= 2 and anchor.doc[anchor.i - 1].lower_ == "to" else None
    if before is not None and (before.lemma_.lower() in lex.aspiration_verbs or before.lower_ in lex.aspiration_verbs):
        return None  # "U.S. preparedness to meet the DPRK", however the parser attached the infinitive
    if not m.anchored:
        return _noun_status(m, lex)
    if (anchor is not m.trigger and any(c.dep_ == "aux" and c.lower_ == "to" for c in anchor.children)
            and anchor.head.lemma_.lower() not in lex.verbs and anchor.head.lemma_.lower() not in lex.announce_verbs):
        return None  # "Rau's initiative to launch a Security Dialogue": an aim, not an event
    return _verb_status(chain, lex)


def _verb_status(chain: list[Token], lex: Triggers) -> str:
    if chain[0].tag_ in ("VBZ", "VBP") and chain[0].dep_ in ("advcl", "relcl"):
        chain = chain + _clause_chain(chain[0].head)  # "will embark on a trip when he travels to …"
    for t in chain:
        aux = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}
        if aux & triggers().future_aux or "would" in aux:
            return "planned"
        if t is not chain[0] and t.lemma_.lower() == "go" and t.tag_ == "VBG":
            return "planned"  # "is going to meet"
        if any(c.dep_ == "mark" and c.lower_ in triggers().past_marks for c in t.children) and t.tag_ in ("VBD", "VBN"):
            return "referenced"
        if t is not chain[0] and t.lemma_.lower() in lex.announce_verbs:
            return "planned"
        if t.pos_ == "NOUN" and t is not chain[0]:
            return "planned"  # "a delegation to attend", "plans to travel"
        if t.tag_ in ("VBD", "VBN") and t is chain[0]:
            return "happened"
    return "happened"


def _noun_status(m: Mention, lex: Triggers) -> str:
    tok = m.trigger
    near = list(tok.children) + [tok.head] + list(tok.doc[tok.left_edge.i:tok.i])
    far = list(tok.ancestors)[:4]
    near_words = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
    far_words = {t.lower_ for t in far} | {t.lemma_.lower() for t in far}
    up_to_verb = list(itertools.takewhile(lambda a: a.pos_ not in ("VERB", "AUX"), tok.ancestors))
    verb_above = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    around = {t.lower_ for a in [*up_to_verb, *([verb_above] if verb_above is not None else [])] for t in a.children}
    if (near_words | {t.lower_ for t in tok.subtree} | around) & lex.past_cues:
        return "referenced"  # "the meeting with President Biden yesterday", whatever the clause plans
    if (near_words | far_words) & lex.planned_cues:
        return "planned"
    if near_words & lex.referenced_cues:
        return "referenced"  # "after his visit", "the recent meeting"
    verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    future = verb is not None and _verb_status(_clause_chain(verb), lex) == "planned"
    if future:
        return "planned"  # "He noted Harris will deepen the discussion during her visit": the nearer verb decides
    if far_words & lex.referenced_cues:
        return "referenced"
    if m.definite or verb is None:
        return "referenced"
    return "happened"


# ---- one event, several words -----------------------------------------------------------------

GROUP = {"call": "talk", "meeting": "talk", "visit": "visit", "signing": "signing"}


def _absorb(ms: list[Mention]) -> None:
    """A noun inside another mention's clause of the same kind is that mention ("met ... for talks")."""
    for m in ms:
        if m.anchored and m.anchor is not m.trigger:
            continue
        if m.anchored:
            continue
        for a in m.trigger.ancestors:
            other = next((o for o in ms if o is not m and o.anchored and o.anchor is a), None)
            if other is not None:
                if GROUP[other.type] == GROUP[m.type]:
                    m.absorbed_by = other
                break
            if any(o is not m and o.trigger is a for o in ms):
                break  # the noun belongs to a nearer event noun
    # two anchored mentions on one verb ("held talks and a meeting") are one
    seen: dict[int, Mention] = {}
    for m in ms:
        if m.anchored and m.absorbed_by is None:
            first = seen.setdefault(m.anchor.i, m)
            if first is not m and GROUP[first.type] == GROUP[m.type]:
                m.absorbed_by = first


def _cut_holes(ms: list[Mention], lex: Triggers) -> None:
    live = [m for m in ms if m.absorbed_by is None]
    # what each other mention is, read once: Token objects cost more than the comparisons (a run-on
    # sentence has hundreds of mentions, and every pair is looked at)
    shapes = [(o, o.anchored, o.scope if not o.anchored else
               (o.anchor.left_edge.i, o.anchor.right_edge.i + 1), o.anchor.i, o.anchor.dep_ == "ROOT") for o in live]
    for m in live:
        ti, ai = m.trigger.i, m.anchor.i
        above = {t.i for t in m.anchor.ancestors} if m.anchored else set()  # o governs m: m is in its subtree
        for o, o_anchored, (a, b), oi, root in shapes:
            if o is m:
                continue
            if not o_anchored:
                if not (a <= ti < b):
                    m.holes.append((a, b))
            elif m.anchored and oi != ai and oi not in above and not root:
                m.holes.append((a, b))
        if m.anchored:
            for c in m.anchor.children:  # "As you saw from the White House, the Secretary will travel …"
                if c.dep_ == "advcl" and c.lemma_.lower() in lex.reporting_verbs:
                    m.holes.append((c.left_edge.i, c.right_edge.i + 1))
                if c.dep_ == "prep" and c.lower_ in triggers().time_frames:  # "Following President Biden's travel to Brussels, …"
                    m.holes.append((c.left_edge.i, c.right_edge.i + 1))
            for up in m.anchor.ancestors:  # "Biden announced the delegation …": the announcer is no party
                if up.lemma_.lower() in lex.reporting_verbs:
                    for subj in up.children:
                        if subj.dep_ in ("nsubj", "nsubjpass"):
                            m.holes.append((subj.left_edge.i, subj.right_edge.i + 1))
