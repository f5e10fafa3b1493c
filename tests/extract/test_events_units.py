"""The event stage's parts on their own: date phrases, PLOVER table, trigger data, sentences."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from readouts.extract.events import dates as events_dates
from readouts.extract.events.lexicon import country_code, plover_table, topic_patterns, triggers
from readouts.extract.pipeline import extract
from readouts.model import EventStatus, EventType

TYPES = set(EventType.__args__)  # type: ignore[attr-defined]
STATUSES = set(EventStatus.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize("phrase, base, future, iso", [
    ("today", "2022-06-09", False, "2022-06-09"),
    ("yesterday", "2022-07-26", False, "2022-07-25"),
    ("this morning", "2021-06-24", False, "2021-06-24"),
    ("Tuesday, March 29", "2022-03-31", False, "2022-03-29"),
    ("On Tuesday", "2022-03-31", False, "2022-03-29"),
    ("April 12-22", "2022-04-08", True, "2022-04-12"),
    ("from July 31 to August 6", "2021-08-01", True, "2021-07-31"),   # announced the day after it began
    ("January 3", "2021-12-20", True, "2022-01-03"),                 # announced trip across new year
    ("December 28", "2022-01-04", False, "2021-12-28"),              # recalled across new year
    ("May 19, 2022", None, False, "2022-05-19"),
    ("today", None, False, None),                                     # no document date, no day
    ("three-day", "2022-03-31", False, None),
    ("earlier this year", "2021-07-27", False, None),
])
def test_date_phrases(phrase, base, future, iso):
    assert events_dates.resolve(phrase, base, future=future) == iso


def test_plover_table_covers_every_type_and_status():
    table = plover_table()
    for kind in ("call", "meeting", "visit", "signing"):
        for status in STATUSES:
            row = table[kind][status]
            assert row["event"] in {"CONSULT", "AGREE", "SUPPORT"}
    assert table["call"]["happened"] == {"event": "CONSULT", "mode": "phone"}
    assert set(table["meeting_modes"]) <= {"visit", "third-party", "multilateral", "phone"}


def test_trigger_data_names_known_types():
    lex = triggers()
    assert {v["type"] for v in lex.verbs.values()} <= TYPES
    assert {n["type"] for n in lex.nouns.values()} <= TYPES


def test_topics_are_short_lower_case_labels():
    for label, rx in topic_patterns():
        assert label == label.lower() and len(label.split()) <= 3
        assert rx.pattern


@pytest.mark.parametrize("name, code", [
    ("the Philippines", "PHL"), ("Mexican", "MEX"), ("U.S.", "USA"), ("Timor-Leste", "TLS"),
    ("Burma", "MMR"), ("Côte d’Ivoire", "CIV"), ("Ivoirian", "CIV"),
])
def test_country_names_and_demonyms(name, code):
    assert country_code(name) == code


def test_header_and_first_line_are_separate_sentences():
    text = ("Office of the Spokesperson\n\nThe below is attributable to Spokesperson Ned Price:\n\n"
            "Secretary of State Antony J. Blinken met today with Guyanese President Mohamed Irfaan Ali "
            "in Washington, DC.")
    record = extract(text, date="2022-07-26")
    [ev] = record.events
    s, e = ev.evidence[0]
    assert text[s:e].startswith("Secretary of State")
    assert ev.location == "Washington, DC" and ev.date == "2022-07-26"


def test_title_only_subject_stands_for_the_last_actor():
    text = ("Under Secretary Victoria Nuland will travel to Tanzania and Niger from July 31 to August 6. "
            "In Niger, the Under Secretary will meet with President Mohamed Bazoum.")
    record = extract(text, date="2021-07-28")
    meeting = next(ev for ev in record.events if ev.type == "meeting")
    names = {record.person(p).name for p in meeting.participants.persons}  # type: ignore[union-attr]
    assert any("Nuland" in n for n in names) and any("Bazoum" in n for n in names)
    assert meeting.status == "planned" and meeting.location == "Niger"
    assert [ev.location for ev in record.events if ev.type == "visit"] == ["Tanzania", "Niger"]


# the opening of a real transcript (usstate-8951ba45924f), as in tests/golden/events/remarks_header_meeting.json
_HEADER = json.loads((Path(__file__).resolve().parents[1] / "golden" / "events" / "remarks_header_meeting.json")
                     .read_text(encoding="utf-8"))["text"]


@pytest.mark.parametrize("title, meetings", [
    ("Secretary Antony J. Blinken and Swedish Foreign Minister Ann Linde Before Their Meeting", 1),
    ("Secretary Antony J. Blinken and Swedish Foreign Minister Ann Linde at a Joint Press Availability", 1),
    ("Secretary Antony J. Blinken and Swedish Foreign Minister Ann Linde on Climate", 0),  # the title does not say they meet
    (None, 0),  # no title: no guess
])
def test_a_transcript_header_is_the_speakers_meeting_when_the_title_says_so(title, meetings):
    record = extract(_HEADER, date="2022-05-04", title=title)
    found = [e for e in record.events if e.type == "meeting"]
    assert len(found) == meetings, record.events
    if found:
        ev = found[0]
        assert (ev.status, ev.date, ev.location) == ("happened", "2022-05-04", "Washington, D.C.")
        assert {record.person(p).name for p in ev.participants.persons} == {"Antony J. Blinken", "Ann Linde"}
        assert [_HEADER[s:e] for s, e in ev.evidence] == [
            "Antony J. Blinken, Secretary of State", "Ann Linde, Swedish Foreign Minister", "Washington, D.C."]


def test_a_header_of_one_side_is_no_meeting():
    text = _HEADER.replace("Ann Linde, Swedish Foreign Minister", "Ned Price, Department Spokesperson")
    record = extract(text, date="2022-05-04", title="Secretary Blinken and Spokesperson Price Before Their Meeting")
    assert [e for e in record.events if e.type == "meeting"] == []


def test_every_trigger_verb_needs_a_known_check():
    from readouts.extract.events.mentions import NEEDS

    unknown = {verb: spec["needs"] for verb, spec in triggers().verbs.items() if spec.get("needs", "nothing") not in NEEDS}
    assert not unknown, f"data/en/events_triggers.yaml: verbs whose 'needs' no check answers: {unknown}"


def test_a_release_with_no_date_given_is_dated_by_its_top_lines(corpus_dir):
    import gzip

    from readouts.extract import extract

    with gzip.open(corpus_dir / "world-en-releases.jsonl.gz", "rt", encoding="utf-8") as fh:
        doc = next(d for d in map(json.loads, fh) if d["id"] == "argentina_mfa-4c811f94b1")
    assert "Wednesday, 11 December 2019" in doc["text"][:200]
    record = extract(doc["text"], title=doc["title"])  # no date given
    assert record.document.date == "2019-12-11"
