"""The attribute ruler and the lemmatizer of a spaCy pipeline, run from a memo of the token keys they read.

Both components are pure functions of a few attributes of one token: the attribute ruler's single-token
patterns test its tag, lower-case form, dependency label and whether it is a space; the rule lemmatizer reads
its form, part of speech and morphology. spaCy runs them token by token in Python (the ruler through a
Matcher of 179 patterns and a Span per match), which took 6-14 % of the English pipeline's time on corpus
documents, depending on the run (the ruler alone 2.1 s per 200 documents). Here each distinct key is worked out once, by the original component's
own code, and the answers are written back to all tokens of the Doc at once through its arrays.

The output is the original's, token for token (tests/test_memo_pipes.py compares them on real releases).
Patterns spanning several tokens, or with operators, still go through a Matcher; a component this module
does not know how to mirror is left as it is.
"""
from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

FIRST_ROWS = 1024  # the attribute ruler's tables' first room, doubled whenever it is full
MEMO_LIMIT = 500_000  # distinct keys kept; past it the memo starts again (a very long run's vocabulary)
LEMMATIZER_KEYS: list[int | str] = [ORTH, POS, MORPH, LEMMA]  # what a rule lemmatizer reads, and what it writes
WRITABLE = {IDS[name] for name in ("TAG", "POS", "MORPH", "LEMMA", "DEP")}  # token-only attributes


class MemoAttributeRuler:
    """spaCy's AttributeRuler with its single-token patterns answered once per distinct token key."""

    def __init__(self, ruler: Any) -> None:  # an AttributeRuler (its patterns' types are too loose for mypy)
        vocab = ruler.vocab
        self.ruler, self.strings = ruler, vocab.strings
        self.memo: dict[tuple[int, ...], int] = {}  # token key -> row of the tables below
        self.singles, self.spans, self.starts = Matcher(vocab), Matcher(vocab), Matcher(vocab)
        tested: set[str] = set()
        longest, fixed = 1, True  # the longest pattern of several tokens; all without operators?
        for i, p in enumerate(ruler.patterns):
            single = all(len(pat) == 1 and "OP" not in pat[0] for pat in p["patterns"])
            (self.singles if single else self.spans).add(str(i), p["patterns"])
            if single:
                tested.update(key for pat in p["patterns"] for key in pat[0])
                continue
            # the first token of a longer pattern, answered once per key like the single-token ones
            self.starts.add(str(i), [[pat[0]] for pat in p["patterns"]])
            tested.update(key for pat in p["patterns"] for key in pat[0])
            longest = max(longest, *(len(pat) for pat in p["patterns"]))
            fixed = fixed and not any("OP" in tok for pat in p["patterns"] for tok in pat)
        self.has_spans = len(self.spans) > 0
        # with no operators, a longer pattern is looked for only where a token could start it, in a window of
        # its length (spaCy's Matcher over a whole Doc makes a Token per word to test it: half the time here)
        self.window = longest if fixed else None
        self.keys: list[int | str] = sorted(IDS[name] for name in tested)  # what the single-token patterns read
        self.columns: list[int | str] = sorted({int(a) for attrs in ruler.attrs for a in attrs})  # what the rules set
        self.column_of = {int(a): j for j, a in enumerate(self.columns)}
        self._rules: list[tuple[int, ...]] = []
        self._is_set: numpy.ndarray
        self._new: numpy.ndarray
        self._starts: numpy.ndarray
        self._start_again()

    @staticmethod
    def mirrors(ruler: Any) -> bool:
        """Whether every rule sets only token attributes and every tested attribute has an array column."""
        if not isinstance(ruler, AttributeRuler):
            return False
        patterns: list[Any] = ruler.patterns
        tested = {key for p in patterns for pat in p["patterns"] for tok in pat for key in tok}
        return (all(isinstance(a, int) and a in WRITABLE for attrs in ruler.attrs for a in attrs)
                and all(key in IDS or key == "OP" for key in tested))

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self.memo) > MEMO_LIMIT:  # between Docs: a Doc's slots all point into one set of tables
            self._start_again()
        keys = doc.to_array(self.keys).reshape(len(doc), -1)
        unique, first, inverse = numpy.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        slots = numpy.array([self._slot(doc, i, tuple(row)) for i, row in zip(first.tolist(), unique.tolist(),
                                                                              strict=True)])[inverse]
        values = doc.to_array(self.columns).reshape(len(doc), -1)
        values = numpy.where(self._is_set[slots], self._new[slots], values)
        if self.has_spans:  # a token a longer pattern touches: its single rules and those, in rule order
            extra: dict[int, list[int]] = {}
            for match_id, start, end in self._span_matches(doc, slots):
                rule = int(self.strings[match_id])
                index = self.ruler.indices[rule]
                extra.setdefault((start if index >= 0 else end) + index, []).append(rule)
            for i, more in extra.items():
                for column, value in self._effect(tuple(sorted(self._rules[slots[i]] + tuple(more)))):
                    values[i, column] = value
        doc.from_array(self.columns, values)  # type: ignore[arg-type]  # uint64, as to_array gave it
        return doc

    def _span_matches(self, doc: Doc, slots: numpy.ndarray) -> list[tuple[int, int, int]]:
        if self.window is None:
            return list(self.spans(doc, allow_missing=True))
        found: set[tuple[int, int, int]] = set()
        for i in numpy.flatnonzero(self._starts[slots]).tolist():
            found.update((m, i + s, i + e) for m, s, e in self.spans(doc[i:i + self.window], allow_missing=True))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))

    def _slot(self, doc: Doc, i: int, key: tuple[int, ...]) -> int:
        """The row of the tables for tokens with this key: the single-token rules they match, in the order
        the ruler applies them, and the values those rules leave."""
        found = self.memo.get(key)
        if found is None:
            matches = self.singles(doc[i:i + 1], allow_missing=True)
            rules = tuple(sorted(int(self.strings[m]) for m, _s, _e in matches))
            found = self.memo[key] = len(self._rules)
            self._rules.append(rules)
            if found == len(self._starts):  # full: twice the room, so that growing costs a copy now and then
                self._is_set, self._new = _doubled(self._is_set), _doubled(self._new)
                self._starts = _doubled(self._starts)
            for column, value in self._effect(rules):
                self._is_set[found, column], self._new[found, column] = True, value
            # a ruler with no longer pattern (Spanish) has no starts: spaCy warns (W036) if asked anyway
            self._starts[found] = self.has_spans and bool(self.starts(doc[i:i + 1], allow_missing=True))
        return found

    def _start_again(self) -> None:
        """Empty tables. By row: the rules (tuples of ints, which the garbage collector stops walking), and
        arrays of the columns they set, the values, and whether a longer pattern could start there. The
        arrays were built again from per-row lists whenever a Doc brought new keys: a copy of every row
        so far (~100 new per document), which made a long run slower by the document (-20 % by 1,500)."""
        self.memo.clear()
        self._rules = []
        self._is_set = numpy.zeros((FIRST_ROWS, len(self.columns)), dtype=bool)
        self._new = numpy.zeros((FIRST_ROWS, len(self.columns)), dtype=numpy.uint64)
        self._starts = numpy.zeros(FIRST_ROWS, dtype=bool)

    def _effect(self, rules: tuple[int, ...]) -> list[tuple[int, int]]:
        """(column, value) pairs after applying the rules in order: a later rule's value wins."""
        out: dict[int, int] = {}
        for rule in rules:
            for attr, value in self.ruler.attrs[rule].items():
                out[self.column_of[int(attr)]] = int(value)
        return list(out.items())


def _doubled(rows: numpy.ndarray) -> numpy.ndarray:
    return numpy.concatenate([rows, numpy.zeros_like(rows)])


class MemoLemmatizer:
    """spaCy's rule or lookup Lemmatizer with each distinct (form, part of speech, morphology) lemmatized once.

    Only for lemmatizers whose answer depends on nothing else: spaCy's own, whose rule cache is keyed the same.
    """

    def __init__(self, lemmatizer: Any) -> None:  # a Lemmatizer
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}

    @staticmethod
    def mirrors(lemmatizer: Any) -> bool:
        kind = type(lemmatizer)
        return (isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode in ("rule", "lookup")
                and kind.rule_lemmatize is Lemmatizer.rule_lemmatize
                and kind.lookup_lemmatize is Lemmatizer.lookup_lemmatize)

    def __call__(self, doc: Doc) -> Doc:
        lem = self.lemmatizer
        if not lem._validated:
            lem(doc[:0].as_doc())  # the original checks its tables on its first call
        arr = doc.to_array(LEMMATIZER_KEYS)
        todo = numpy.flatnonzero(arr[:, 3] == 0) if not lem.overwrite else numpy.arange(len(doc))
        if not len(todo):
            return doc
        strings = doc.vocab.strings
        unique, first, inverse = numpy.unique(arr[todo, :3], axis=0, return_index=True, return_inverse=True)
        lemmas = []
        for i, key in zip(todo[first].tolist(), map(tuple, unique.tolist()), strict=True):
            lemma = self.memo.get(key)
            if lemma is None:
                if len(self.memo) > MEMO_LIMIT:
                    self.memo.clear()
                lemma = self.memo[key] = strings.add(lem.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        arr[todo, 3] = numpy.array(lemmas, dtype=arr.dtype)[inverse.reshape(-1)]
        doc.from_array([LEMMA], arr[:, 3:4])  # type: ignore[arg-type]  # uint64, as to_array gave it
        return doc


def install(nlp: Language) -> None:
    """Put the memo versions in place of the pipeline's attribute ruler and lemmatizer, where they mirror them."""
    for name, component in list(nlp.pipeline):
        if MemoAttributeRuler.mirrors(component):
            _replace(nlp, name, MemoAttributeRuler(component))
        elif MemoLemmatizer.mirrors(component):
            _replace(nlp, name, MemoLemmatizer(component))


def _replace(nlp: Language, name: str, memo: Any) -> None:
    """Swap a component for its memo version under the same name (spaCy's replace_pipe wants a factory)."""
    _PENDING[name] = memo
    nlp.replace_pipe(name, "readouts_memo", config={}, validate=False)


_PENDING: dict[str, Any] = {}  # the component readouts_memo hands spaCy next, by pipe name


@Language.factory("readouts_memo")
def _memo_factory(nlp: Language, name: str) -> Any:
    return _PENDING.pop(name)
