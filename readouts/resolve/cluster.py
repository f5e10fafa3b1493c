"""Which person mentions, across documents, are one person? A pure function of the mentions.

The answer depends on the set of mentions only, never on the order they were stored in: forms
are visited in an order of their own content (longest names first, then the most mentioned), so
the same documents give the same persons whatever order they were ingested in.

1. **Full names** (two name tokens or more) are grouped into forms — one spelling with one
   country — and the forms into persons. A form joins a person when its name fits *every* name
   the person already has (:func:`compatible_names`): the same given name or a variant of it
   ("Tony" / "Antony", "Sergey" / "Sergei", an initial), the surnames one a start or an end of the
   other ("Marcelo Ebrard" / "Marcelo Ebrard Casaubon", "Joseph Biden" / "Joseph Robinette
   Biden"), or the two tokens swapped ("Kishida Fumio"). A different given name is a different
   person: Jill Biden is not Joseph Biden. A country conflict keeps a two-token name apart unless
   it is the very same name and the titles stated for both do not clearly differ (extracted
   countries are noisy; "Antony Blinken" quoted in a Mexican release may come out Mexican).
2. **Surnames alone** ("President Biden", "Kuleba", a suffix of a longer name such as "López
   Obrador") go to the person with that surname whose office, country and time fit, learnt from
   the full-named persons themselves: the titles their mentions hold, their countries, and the
   dates of the documents that name them. A surname that fits two persons equally well goes to the
   one mentioned far more often, else to neither. Within one document a surname goes to the
   full name it shortens.
3. What no full name claims is pooled by surname, country and title, so one person named only by
   surname across many documents is still one entity.

Manual corrections enter as constraints: mentions split apart never share a person; mentions
merged are one person.

Why by hand and not splink or nomenklatura: splink (Fellegi-Sunter on DuckDB) learns weights for
comparisons of whole records, and nomenklatura keeps a judgement graph over FollowTheMoney
entities; neither links a bare surname to a full name by the office held at the time, which is
the link that matters here, and both would need the same rules to produce their comparison
features. The name pieces come from data: the ``nicknames`` package and ``data/name_variants.txt``
(:mod:`readouts.resolve.variants`), ``rapidfuzz`` for near spellings.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from readouts.resolve.names import fold, word_list
from readouts.resolve.variants import same_given, same_token

DOMINANCE = 3.0  # a surname fitting two persons equally goes to one mentioned this many times more
SHORT_FORM_SUPPORT = 0.2  # "López Obrador" is a short form of a longer name seen at least this often
# relative to it; a rare longer form ("What Vladimir Putin", an extraction slip) does not swallow a name
YEARS_OF_OFFICE = 4  # a surname names someone seen under a full name within this many years


@dataclass(frozen=True)
class MentionFacts:
    """One person mention as resolution sees it."""

    id: int
    document: int
    doc_key: str  # the document's content hash: an order that does not depend on ingest order
    tokens: tuple[str, ...]
    country: str | None = None
    titles: tuple[str, ...] = ()
    date: date | None = None


@dataclass
class Link:
    reason: str
    score: float = 1.0


@dataclass(eq=False)  # identity: a cluster is one mutable group, hashed as itself
class Cluster:
    """One person: its mentions, and what its full names say about it."""

    names: list[tuple[str, ...]] = field(default_factory=list)
    mentions: list[MentionFacts] = field(default_factory=list)
    countries: Counter[str] = field(default_factory=Counter)
    title_sets: set[frozenset[str]] = field(default_factory=set)
    first: date | None = None
    last: date | None = None
    full: bool = True  # has a full name (False: a pool of surnames no full name claimed)
    order: int = 0  # when it was made, in the content order of the forms: ties go to the earlier
    support: int = 0  # mentions by a full name: the prior a surname alone is weighed by

    def add(self, m: MentionFacts, *, as_name: bool = True) -> None:
        self.mentions.append(m)
        if as_name and len(m.tokens) >= 2:
            self.support += 1
            if m.tokens not in self.names:
                self.names.append(m.tokens)
        if m.country:
            self.countries[m.country] += 1
        self.title_sets |= {w for w in (title_words(t) for t in m.titles) if w}
        if m.date and as_name:
            self.first = min(self.first or m.date, m.date)
            self.last = max(self.last or m.date, m.date)

    @property
    def country(self) -> str | None:
        return max(self.countries, key=lambda c: (self.countries[c], c)) if self.countries else None

    def label(self) -> str:
        return " ".join(max((len(n), n) for n in self.names)[1]) if self.names else " ".join(self.mentions[0].tokens)


# --- names -------------------------------------------------------------------------------------

def _score(fit: tuple[int, int, int, int, int]) -> float:
    """How well a surname fits a person: the office counts twice, the country once, and how often
    the person is named by a full name as a prior (a tenfold count is worth a country). An office
    the person is never seen to hold counts against more than a held one counts for: "Congressman
    Sherman" is not the Deputy Secretary, however often she is named."""
    title, country, _time, support, order = fit
    # a surname that starts a name (family name first, "Xi Jinping") is a weaker reading than one that
    # ends it: "Obama" is Barack Obama before it is the "Obama-Biden" of an administration's name
    return (2 * title if title >= 0 else 3 * title) + country + math.log10(support + 1) - order


def _bucket(token: str) -> str:
    """Index key of a name token: its first four letters, so that spellings of one name share it."""
    return token[:4]


def compatible_names(a: Sequence[str], b: Sequence[str]) -> bool:
    """One person's two full names: given names agree and one surname sequence starts or ends the
    other, or a two-token name is the other with its tokens swapped (family name first)."""
    if len(a) < 2 or len(b) < 2:
        return False
    if len(a) == len(b) == 2 and same_token(a[0], b[1]) and same_token(a[1], b[0]):
        return True
    if not same_given(a[0], b[0]):
        return False
    short, long = sorted((a[1:], b[1:]), key=len)
    n = len(short)
    return (all(same_token(x, y) for x, y in zip(short, long[:n]))
            or all(same_token(x, y) for x, y in zip(short, long[len(long) - n:])))


def is_suffix(short: Sequence[str], long: Sequence[str]) -> bool:
    """ "López Obrador" of "Andrés Manuel López Obrador": the short form's tokens end the long one."""
    n = len(short)
    return 0 < n < len(long) and all(same_token(x, y) for x, y in zip(short, long[len(long) - n:]))


@lru_cache(maxsize=1)
def _office_words() -> frozenset[str]:
    """The words offices are made of ("president", "foreign", "minister", "lady"): the extractor's title
    vocabulary. Other words a title carries ("of France", a stray "With") say nothing of the office."""
    from readouts.extract.gazetteer import load
    return frozenset(fold(w) for w in load().title_words) - word_list("generic_offices.txt")


def title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", fold(title)) if w in _office_words())


def title_fit(titles: Iterable[str], c: Cluster) -> int:
    """1: a title of the mention is mostly made of the words of one the person holds ("President" of
    "President"; "Secretary" of "Secretary of Defense"); -1: both have titles and none is; 0: unknown."""
    mine = [w for w in (title_words(t) for t in titles) if w]
    if not mine or not c.title_sets:
        return 0
    best = max(len(m & theirs) / len(m) for m in mine for theirs in c.title_sets)
    return 1 if best >= 0.5 else -1


def titles_differ(a: Iterable[str], c: Cluster) -> bool:
    return title_fit(a, c) < 0


# --- clustering ----------------------------------------------------------------------------------

@dataclass
class Result:
    clusters: list[Cluster]
    links: dict[int, Link]  # mention id -> why it is in its cluster


def cluster(mentions: Iterable[MentionFacts], *, apart: Iterable[tuple[int, int]] = (),
            together: Iterable[Iterable[int]] = ()) -> Result:
    """Group mentions into persons. ``apart``: mention pairs that must not share a person (manual
    splits); ``together``: groups of mentions that are one person (manual merges)."""
    state = _State(list(mentions), apart)
    state.full_names()
    state.surnames()
    state.pools()
    state.merge_groups(together)
    clusters = [c for c in state.clusters if c.mentions]
    return Result(clusters, state.links)


class _State:
    def __init__(self, mentions: list[MentionFacts], apart: Iterable[tuple[int, int]]) -> None:
        self.mentions = mentions
        self.forbid: dict[int, set[int]] = defaultdict(set)
        for a, b in apart:
            self.forbid[a].add(b)
            self.forbid[b].add(a)
        self.clusters: list[Cluster] = []
        self.of: dict[int, Cluster] = {}  # mention id -> its cluster
        self.by_token: dict[str, list[Cluster]] = defaultdict(list)
        self.links: dict[int, Link] = {}
        self.short: list[MentionFacts] = []

    # A cluster can take these mentions unless a manual split forbids one of its members.
    def _allowed(self, c: Cluster, ms: Iterable[MentionFacts]) -> bool:
        banned = set().union(*(self.forbid.get(m.id, set()) for m in ms))
        return not banned or not any(x.id in banned for x in c.mentions)

    def _put(self, c: Cluster, ms: Iterable[MentionFacts], reason: str, score: float = 1.0,
             as_name: bool = True) -> None:
        for m in ms:
            c.add(m, as_name=as_name)
            self.of[m.id] = c
            self.links[m.id] = Link(reason, score)
            if as_name:
                for tok in m.tokens:
                    bucket = self.by_token[_bucket(tok)]
                    if c not in bucket:
                        bucket.append(c)

    def _new(self, *, full: bool = True) -> Cluster:
        c = Cluster(full=full, order=len(self.clusters))
        self.clusters.append(c)
        return c

    # 1. full names, form by form
    def full_names(self) -> None:
        forms: dict[tuple, list[MentionFacts]] = defaultdict(list)
        for m in self.mentions:
            if len(m.tokens) < 2:
                self.short.append(m)
                continue
            # a mention a manual split names is a form of its own, so the split can hold
            key = (m.tokens, m.country or "", m.id if m.id in self.forbid else 0)
            forms[key].append(m)
        order = sorted(forms, key=lambda k: (-len(k[0]), -len(forms[k]), k))
        for key in order:
            ms = sorted(forms[key], key=lambda m: (m.doc_key, m.id))
            tokens, country = key[0], key[1] or None
            titles = [t for m in ms for t in m.titles]
            best, why = self._fitting(tokens, country, titles, ms)
            if best is not None:
                self._put(best, ms, why, 1.0 if tokens in best.names else 0.9)
            elif len(tokens) <= 3 and sum(c.support for c in self._suffix_owners(tokens)) >= \
                    SHORT_FORM_SUPPORT * len(ms):
                self.short.extend(ms)  # "López Obrador": a surname form, judged like one
            else:
                self._put(self._new(), ms, "first full name of a person" + (f" ({why})" if why else ""))

    def _fitting(self, tokens: tuple[str, ...], country: str | None, titles: list[str],
                 ms: list[MentionFacts]) -> tuple[Cluster | None, str]:
        seen: list[Cluster] = []
        for tok in {tokens[0], tokens[-1], tokens[1]}:
            seen += [c for c in self.by_token.get(_bucket(tok), ()) if c not in seen]
        fitting: list[tuple[Cluster, str]] = []
        rejected: list[str] = []
        for c in seen:
            if not c.full or not all(compatible_names(tokens, n) for n in c.names):
                continue
            if not self._allowed(c, ms):
                rejected.append(f"{c.label()!r}: kept apart by a manual split")
                continue
            known = set(c.countries)
            if country and known and country not in known:
                if len(tokens) >= 3 or any(len(n) >= 3 for n in c.names):
                    fitting.append((c, f"; country {country} outweighed by the compound name"))
                elif tokens in c.names and not titles_differ(titles, c):
                    fitting.append((c, (f"; country {country} conflicts with {'/'.join(sorted(known))}: "
                                       "same full name, joins the majority")))
                else:
                    rejected.append(f"{c.label()!r}: country {'/'.join(sorted(known))} ≠ {country}")
                continue
            fitting.append((c, ""))
        if not fitting:
            return None, "; ".join(rejected)
        best, extra = max(fitting, key=lambda f: (tokens in f[0].names, len(f[0].mentions), -f[0].order))
        how = "same name" if tokens in best.names else "name variant"
        many = f", chosen among {len(fitting)} by mentions" if len(fitting) > 1 else ""
        return best, f"{how}: {' '.join(tokens)!r} ~ {best.label()!r}{many}{extra}"

    def _suffix_owners(self, tokens: tuple[str, ...]) -> list[Cluster]:
        return [c for c in self.by_token.get(_bucket(tokens[-1]), ()) if c.full
                and any(len(n) >= 3 and is_suffix(tokens, n) for n in c.names)]

    # 2. surnames alone, and short forms of longer names
    def surnames(self) -> None:
        by_doc: dict[int, list[Cluster]] = defaultdict(list)
        for m in self.mentions:
            if len(m.tokens) >= 2 and m.id in self.of:
                by_doc[m.document].append(self.of[m.id])
        pending: list[MentionFacts] = []
        for m in sorted(self.short, key=lambda m: (m.doc_key, m.id)):
            local = [c for c in dict.fromkeys(by_doc.get(m.document, ())) if self._owns(c, m.tokens)]
            if len(local) == 1 and self._allowed(local[0], [m]):
                self._put(local[0], [m], f"short form of {local[0].label()!r} in the same document",
                          as_name=False)
            else:
                pending.append(m)
        self.short = []
        for m in pending:
            choice, why, score = self._by_office(m)
            if choice is None:
                self.short.append(m)
                self.links[m.id] = Link(why)
            else:
                self._put(choice, [m], why, score, as_name=False)

    @staticmethod
    def _owns(c: Cluster, tokens: tuple[str, ...], *, family_first: bool = False) -> bool:
        """The cluster has a full name this surname (or short form) is part of: as a surname, or
        with ``family_first`` as the first token of a short name ("Xi" of "Xi Jinping")."""
        if len(tokens) >= 2:
            return any(is_suffix(tokens, n) for n in c.names)
        tok = tokens[0]
        if family_first:
            return any(len(n) <= 3 and same_token(tok, n[0]) for n in c.names)
        return any(any(same_token(tok, x) for x in n[1:]) for n in c.names)

    def _by_office(self, m: MentionFacts) -> tuple[Cluster | None, str, float]:
        """The full-named person this surname names, judged by title, country and time."""
        key = " ".join(m.tokens)
        if len(m.tokens) >= 2:
            owners = self._suffix_owners(m.tokens)
        else:
            near = [c for c in self.by_token.get(_bucket(m.tokens[0]), ()) if c.full]
            # a surname ends a name, or starts one written family first ("Xi Jinping", "Chung Eui-yong")
            owners = [c for c in near if self._owns(c, m.tokens) or self._owns(c, m.tokens, family_first=True)]
        owners = [c for c in owners if self._allowed(c, [m])]
        if not owners:
            return None, f"surname {key!r}: no full name has it", 1.0
        fits = [(self._fit(m, c, first=not self._owns(c, m.tokens)), c) for c in owners]
        ranked = sorted(((f, c) for f, c in fits if f[2] >= 0), key=lambda x: (_score(x[0]), -x[1].order),
                        reverse=True)
        if not ranked:
            return None, f"surname {key!r}: no one with it is named within {YEARS_OF_OFFICE} years", 1.0
        (fit, best), rest = ranked[0], ranked[1:]
        if fit[0] < 0 and fit[1] < 0:
            return None, f"surname {key!r}: title and country fit no {best.label()!r}", 1.0
        if rest and _score(fit) - _score(rest[0][0]) < math.log10(DOMINANCE):
            return None, (f"surname {key!r}: fits {best.label()!r} and {rest[0][1].label()!r} alike "
                          f"(title, country, {fit[3]} vs {rest[0][0][3]} mentions)"), 1.0
        why = [w for w, ok in (("title", fit[0] > 0), ("country", fit[1] > 0)) if ok]
        how = f" by {' and '.join(why)}" if why else " by mentions"
        among = f", among {len(owners)} with that surname" if len(owners) > 1 else ""
        return best, f"surname {key!r} -> {best.label()!r}{how}{among}", 0.8 if rest else 0.9

    @staticmethod
    def _fit(m: MentionFacts, c: Cluster, *, first: bool = False) -> tuple[int, int, int, int, int]:
        """(title fit, country fit, time fit, full-name mentions, 1 if the surname starts the name)."""
        tf = title_fit(m.titles, c)
        cc = c.country
        cf = 0 if not (m.country and cc) else (1 if m.country in c.countries else -1)
        tm = 0
        if m.date and c.first and c.last:
            years = max((c.first - m.date).days, (m.date - c.last).days) / 365.25
            tm = -1 if years > YEARS_OF_OFFICE else 1
        return tf, cf, tm, c.support, int(first)

    # 3. what no full name claims: one entity per surname, country and office
    def pools(self) -> None:
        pools: dict[tuple[str, ...], list[Cluster]] = defaultdict(list)
        for m in sorted(self.short, key=lambda m: (m.tokens, m.doc_key, m.id)):
            home = None
            for c in pools[m.tokens]:
                cc = c.country
                if (not (m.country and cc) or m.country == cc) and not titles_differ(m.titles, c) \
                        and self._allowed(c, [m]):
                    home = c
                    break
            if home is None:
                home = self._new(full=False)
                pools[m.tokens].append(home)
                self._put(home, [m], self.links[m.id].reason + "; a surname-only person", as_name=False)
            else:
                self._put(home, [m], self.links[m.id].reason + f"; pooled with {len(home.mentions)} other "
                                     f"{' '.join(m.tokens)!r} mention(s) of the same country and office",
                          as_name=False)
        self.short = []

    # manual merges
    def merge_groups(self, together: Iterable[Iterable[int]]) -> None:
        for group in together:
            cs = list(dict.fromkeys(self.of[i] for i in group if i in self.of))
            if len(cs) < 2:
                continue
            keep = max(cs, key=lambda c: len(c.mentions))
            for c in cs:
                if c is keep or not self._allowed(keep, c.mentions):
                    continue
                for m in c.mentions:
                    keep.add(m, as_name=True)
                    self.of[m.id] = keep
                    self.links[m.id] = Link(f"manual merge into {keep.label()!r}")
                c.mentions = []
