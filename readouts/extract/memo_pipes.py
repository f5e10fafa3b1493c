"""The attribute ruler and the lemmatizer of a spaCy pipeline, run from a memo of the token keys they read.

Both components are pure functions of a few attributes of one token: the attribute ruler's single-token
patterns test its tag, lower-case form, dependency label and whether it is a space; the rule lemmatizer reads
its form, part of speech and morphology. spaCy runs them token by token in Python (the ruler through a
Matcher of 179 patterns and a Span per match), which took about 15 % of the English pipeline's time on the
corpus, more than every stage of ours. Here each distinct key is worked out once, by the original component's
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

MEMO_LIMIT = 500_000  # distinct keys kept; past it the memo starts again (a very long run's vocabulary)
LEMMATIZER_KEYS: list[int | str] = [ORTH, POS, MORPH, LEMMA]  # what a rule lemmatizer reads, and what it writes
WRITABLE = {IDS[name] for name in ("TAG", "POS", "MORPH", "LEMMA", "DEP")}  # token-only attributes


class MemoAttributeRuler:
    """spaCy's AttributeRuler with its single-token patterns answered once per distinct token key."""

    def __init__(self, ruler: Any) -> None:  # an AttributeRuler (its patterns' types are too loose for mypy)
        vocab = ruler.vocab
        self.ruler, self.strings = ruler, vocab.strings
        self.memo: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.singles, self.spans = Matcher(vocab), Matcher(vocab)
        tested: set[str] = set()
        for i, p in enumerate(ruler.patterns):
            single = all(len(pat) == 1 and "OP" not in pat[0] for pat in p["patterns"])
            (self.singles if single else self.spans).add(str(i), p["patterns"])
            if single:
                tested.update(key for pat in p["patterns"] for key in pat[0])
        self.has_spans = len(self.spans) > 0
        self.keys: list[int | str] = sorted(IDS[name] for name in tested)  # what the single-token patterns read
        self.columns: list[int | str] = sorted({int(a) for attrs in ruler.attrs for a in attrs})  # what the rules set
        self.column_of = {int(a): j for j, a in enumerate(self.columns)}

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
        keys = doc.to_array(self.keys).reshape(len(doc), -1)
        unique, first, inverse = numpy.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        rules = [self._rules(doc, i, tuple(row)) for i, row in zip(first.tolist(), unique.tolist(), strict=True)]
        values = doc.to_array(self.columns).reshape(len(doc), -1)
        is_set = numpy.zeros((len(unique), len(self.columns)), dtype=bool)
        new = numpy.zeros((len(unique), len(self.columns)), dtype=values.dtype)
        for u, ids in enumerate(rules):
            for column, value in self._effect(ids):
                is_set[u, column], new[u, column] = True, value
        values = numpy.where(is_set[inverse], new[inverse], values)
        if self.has_spans:  # a token a longer pattern touches: its single rules and those, in rule order
            extra: dict[int, list[int]] = {}
            for match_id, start, end in self.spans(doc, allow_missing=True):
                rule = int(self.strings[match_id])
                index = self.ruler.indices[rule]
                extra.setdefault((start if index >= 0 else end) + index, []).append(rule)
            for i, more in extra.items():
                for column, value in self._effect(tuple(sorted(rules[inverse[i]] + tuple(more)))):
                    values[i, column] = value
        doc.from_array(self.columns, values)  # type: ignore[arg-type]  # uint64, as to_array gave it
        return doc

    def _rules(self, doc: Doc, i: int, key: tuple[int, ...]) -> tuple[int, ...]:
        """The single-token rules a token with this key matches, in the order the ruler applies them."""
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) > MEMO_LIMIT:
                self.memo.clear()
            matches = self.singles(doc[i:i + 1], allow_missing=True)
            found = self.memo[key] = tuple(sorted(int(self.strings[m]) for m, _s, _e in matches))
        return found

    def _effect(self, rules: tuple[int, ...]) -> list[tuple[int, int]]:
        """(column, value) pairs after applying the rules in order: a later rule's value wins."""
        out: dict[int, int] = {}
        for rule in rules:
            for attr, value in self.ruler.attrs[rule].items():
                out[self.column_of[int(attr)]] = int(value)
        return list(out.items())


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
        for i in todo.tolist():
            key = (int(arr[i, 0]), int(arr[i, 1]), int(arr[i, 2]))
            lemma = self.memo.get(key)
            if lemma is None:
                if len(self.memo) > MEMO_LIMIT:
                    self.memo.clear()
                lemma = self.memo[key] = strings.add(lem.lemmatize(doc[i])[0])
            arr[i, 3] = lemma
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
