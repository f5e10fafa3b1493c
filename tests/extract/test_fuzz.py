"""extract() on mutated real releases (Hypothesis, bounded): a record or a clean InputError, never a crash.

Mutations are the ones real inputs show: pieces cut out, pieces repeated (run-ons, copy-paste),
stray Unicode (controls, combining marks, right-to-left, emoji), lost punctuation and newlines.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readouts.errors import InputError
from readouts.extract import extract
from tests.conftest import DEV

SEEDS = sorted(p.read_text(encoding="utf-8")[:3000] for p in DEV.glob("*.txt"))[:6] if DEV.is_dir() else []

_STRAY = st.sampled_from(["\u200b", "\u202e", "\u0301", "\ufeff", "\x0c", "\u2028", "🇲🇽", "’", "—", "\t", " ;", ":",
                          "(", ")", "\n\n", "Q", "SECRETARY BLINKEN:", "Minister ", " met ", " and "])


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(SEEDS)) if SEEDS else "Secretary Blinken met Foreign Secretary Ebrard today."
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 400)))
        op = draw(st.sampled_from(["cut", "repeat", "insert", "strip"]))
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "repeat":
            text = text[:j] + text[i:j] * draw(st.integers(2, 20)) + text[j:]
        elif op == "insert":
            text = text[:i] + draw(_STRAY) + text[i:]
        else:
            text = text[:i] + text[i:j].replace(".", "").replace("\n", " ") + text[j:]
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from([None, "2022-02-13", "1999-12-31"]))
def test_extract_never_crashes_on_mutated_releases(text, date):
    try:
        record = extract(text, date=date)
    except InputError:
        return  # empty, binary-looking or over budget: a clean, named refusal
    for p in record.persons:  # and what it says is traceable
        assert all(0 <= s < e <= len(record.document.text) for s, e in p.mentions)
    for e in record.events:
        assert all(0 <= s < t <= len(record.document.text) for s, t in e.evidence)
