"""Who takes part in an event a mention states: persons, bodies, delegations, countries, stand-ins."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from readouts.extract.events import places
from readouts.extract.events.drafts import Draft, Index, Parties
from readouts.extract.events.lexicon import Triggers, country_code, triggers
from readouts.extract.events.mentions import Mention
from readouts.model import Record


def parties_of(m: Mention, idx: Index, lex: Triggers, drafts: list[Draft], main: Draft | None) -> Parties:
    doc = idx.doc
    a, b = m.scope
    out = Parties()
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


def _pronoun_owner(m: Mention, idx: Index) -> str | None:
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


def borrow_parties(found: list[tuple[Mention, Parties]]) -> None:
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


def _delegations(m: Mention, idx: Index, out: Parties) -> None:
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
    for ent in places.ents_of(tok.doc):
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


def _countries(m: Mention, doc: Doc, out: Parties) -> None:
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
            (head.head in (m.anchor, m.trigger) or head.head.lemma_.lower() in triggers().group_nouns)) or (
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
    return [s for s in places.country_spans_of(doc)
            if a <= s.start and s.end <= b and m.in_scope(s.start) and s[0].ent_type_ != "PERSON"]




def _title_holder(subj: Token, record: Record) -> str | None:
    """ "The Deputy Secretary": the one person the document gives that title ("Deputy Secretary of State")."""
    words = [t.lower_ for t in subj.subtree if t.i <= subj.i and t.dep_ != "det"]
    if len(words) > 3 or not words or words[-1] in ("he", "she", "i"):
        return None
    phrase = " ".join(words)
    ids = {p.id for p in record.persons for pos in p.positions
           if pos.title and (pos.title.lower() == phrase or pos.title.lower().startswith(phrase + " "))}
    return ids.pop() if len(ids) == 1 else None


def _stand_ins(m: Mention, out: Parties, lex: Triggers, main: Draft | None, record: Record) -> None:
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


def _two_countries(m: Mention, out: Parties, lex: Triggers, drafts: list[Draft], record: Record) -> None:
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


def _drop_represented_countries(out: Parties, record: Record) -> None:
    stood = {p.country for p in record.persons if p.id in out.persons and p.country}
    stood |= {d.country for d in record.delegations if d.id in out.delegations and d.country}
    out.countries = [c for c in out.countries if c not in stood]
