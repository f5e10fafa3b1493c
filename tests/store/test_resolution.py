"""Cross-document resolution as stored: persons, positions timeline, organizations, events.

Records are built from real corpus documents (names and evidence sentences asserted to
occur in their text), since the extractor's positions and events are being written
concurrently; ``test_ingest.py`` covers the end-to-end path through spaCy.
"""
from __future__ import annotations

import sqlalchemy as sa

from readouts.model import document_id
from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.write import store_record
from tests.store.conftest import make_record

MEX, USA = "MEX", "USA"


def _store(db_url, records):
    store = open_store(db_url)
    for r in records:
        with store.session() as s:
            store_record(s, r, doc_hash=document_id(r.document.text))
    return store


def _person_of(s, doc_ext_id, name) -> int:
    return s.execute(sa.select(t.PersonMention.person_id).join(t.Document)
                     .where(t.Document.external_id == doc_ext_id, t.PersonMention.name == name)).scalar_one()


def test_ebrard_is_one_person_with_positions_from_several_documents(db_url, corpus, dev_dir):
    seed = {"id": "seed-000", "title": None, "date": "2021-07-14", "url": None,
            "text": (dev_dir / "seed-000.txt").read_text(encoding="utf-8")}
    records = [
        make_record(seed, [("Marcelo Ebrard Casaubon", MEX, ["Secretary"]), ("Antony Blinken", USA),
                           ("Roberto Velasco Álvarez", MEX, ["head of the North America Unit"])]),
        make_record(corpus["usstate-eb18ed0003e3"], [("Marcelo Ebrard", MEX, ["Foreign Secretary"]),
                                                     ("Antony J. Blinken", USA, ["Secretary of State"])]),
        make_record(corpus["usstate-bc64a53eea9b"], [("Marcelo Ebrard", MEX, ["Foreign Secretary"]),
                                                     ("Antony J. Blinken", USA, ["Secretary of State"])]),
        make_record(corpus["usstate-067ddf44b186"], [("Marcelo Ebrard", MEX, ["Mexican Foreign Secretary"])]),
    ]
    with _store(db_url, records) as store, store.session() as s:
        ebrard = {_person_of(s, r.document.id, r.persons[0].name) for r in records}
        assert len(ebrard) == 1
        pid = ebrard.pop()
        assert s.get(t.Person, pid).name == "Marcelo Ebrard Casaubon"  # the fullest form seen
        timeline = s.execute(sa.text("SELECT title, first_seen, last_seen, n_documents FROM position_timeline "
                                     "WHERE person_id = :p ORDER BY first_seen"), {"p": pid}).all()
        assert sum(row.n_documents for row in timeline) == 4
        fs = next(row for row in timeline if row.title == "Foreign Secretary")
        assert (str(fs.first_seen), str(fs.last_seen), fs.n_documents) == ("2021-06-02", "2022-05-03", 2)
        blinken = {_person_of(s, r.document.id, n) for r in records for n in ("Antony Blinken", "Antony J. Blinken")
                   if any(p.name == n for p in r.persons)}
        assert len(blinken) == 1 and blinken != {pid}
        reasons = s.execute(sa.select(t.ResolutionLog.reason).where(
            t.ResolutionLog.kind == "person", t.ResolutionLog.entity_id == pid)).scalars().all()
        assert len(reasons) == 4 and any("variant" in r for r in reasons)


def test_velasco_variants_join_and_gonzalez_namesakes_stay_apart(db_url, corpus, dev_dir):
    seed = {"id": "seed-000", "title": None, "date": "2021-07-14", "url": None,
            "text": (dev_dir / "seed-000.txt").read_text(encoding="utf-8")}
    # The same texts carry both spellings here; the names are what is being resolved.
    juan_doc = corpus["usstate-52aa1f2d5942"]  # Telephonic Press Briefing with Juan Gonzalez, NSC
    records = [
        make_record(seed, [("Roberto Velasco Álvarez", MEX)]),
        make_record(corpus["usstate-bc64a53eea9b"] | {"text": corpus["usstate-bc64a53eea9b"]["text"]
                                                      + "\nRoberto Velasco also attended."},
                    [("Roberto Velasco", MEX)]),
        make_record(juan_doc | {"text": juan_doc["text"] + "\nJuan González took questions."},
                    [("Juan González", None)]),
        make_record(juan_doc | {"text": juan_doc["text"] + "\nAna González Barrera joined the call."},
                    [("Ana González Barrera", None)]),
        make_record(corpus["uswh-f51ce8f4a2a3"], [("Juan Gonzalez", USA)]),
    ]
    with _store(db_url, records) as store, store.session() as s:
        velasco = {_person_of(s, r.document.id, r.persons[0].name) for r in records[:2]}
        assert len(velasco) == 1
        juan = _person_of(s, records[2].document.id, "Juan González")
        ana = _person_of(s, records[3].document.id, "Ana González Barrera")
        assert juan != ana
        assert _person_of(s, records[4].document.id, "Juan Gonzalez") == juan  # accents folded


def test_surname_alone_links_only_within_its_document(db_url, corpus):
    a, b = corpus["usstate-bc64a53eea9b"], corpus["usstate-18e3c0c2a0a6"]
    records = [make_record(a, [("Antony J. Blinken", USA), ("Blinken", None)]),
               make_record(b, [("Blinken", None)])]
    with _store(db_url, records) as store, store.session() as s:
        full = _person_of(s, a["id"], "Antony J. Blinken")
        assert _person_of(s, a["id"], "Blinken") == full
        assert _person_of(s, b["id"], "Blinken") != full


def test_same_full_name_with_a_wrong_country_joins_the_majority(db_url, corpus):
    """Blinken quoted in Mexican remarks comes out Mexican: still one Blinken, and American."""
    records = [make_record(corpus["usstate-067ddf44b186"], [("Antony J. Blinken", MEX, ["Secretary"])]),
               make_record(corpus["usstate-bc64a53eea9b"], [("Antony J. Blinken", USA, ["Secretary of State"])]),
               make_record(corpus["usstate-eb18ed0003e3"], [("Antony J. Blinken", USA)])]
    with _store(db_url, records) as store, store.session() as s:
        ids = {_person_of(s, r.document.id, "Antony J. Blinken") for r in records}
        assert len(ids) == 1
        pid = ids.pop()
        assert s.get(t.Person, pid).country == USA  # the majority of its mentions, though MEX came first
        reasons = s.execute(sa.select(t.ResolutionLog.reason).where(
            t.ResolutionLog.kind == "person", t.ResolutionLog.entity_id == pid)).scalars().all()
        assert any("same full name, joins the majority" in r for r in reasons)


def test_same_name_with_other_country_and_other_titles_stays_apart(db_url, corpus):
    d = corpus["usstate-52aa1f2d5942"]
    records = [make_record(d, [("Juan Gonzalez", USA, ["Senior Director for the Western Hemisphere"])]),
               make_record(d | {"text": d["text"] + "\nJuan Gonzalez of Colombia."},
                           [("Juan Gonzalez", "COL", ["Minister of Finance"])])]
    with _store(db_url, records) as store, store.session() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(t.Person)).scalar_one() == 2
        reasons = s.execute(sa.select(t.ResolutionLog.reason).where(t.ResolutionLog.kind == "person")).scalars()
        assert any("titles differ" in r for r in reasons)


# --- events --------------------------------------------------------------------------------------

def _event_of(s, doc_ext_id) -> list[int]:
    return list(s.execute(sa.select(t.EventReport.event_id).join(t.Document)
                          .where(t.Document.external_id == doc_ext_id)).scalars())


def test_readout_and_remarks_of_one_meeting_are_one_event_with_two_sources(db_url, corpus):
    readout = make_record(corpus["usstate-bc64a53eea9b"], [("Antony J. Blinken", USA), ("Marcelo Ebrard", MEX)],
                          [{"type": "meeting", "persons": ["Antony J. Blinken", "Marcelo Ebrard"],
                                "evidence": "Secretary of State Antony J. Blinken met today with Mexican Foreign "
                                         "Secretary Marcelo Ebrard in Washington, D.C."}])
    remarks = make_record(corpus["usstate-067ddf44b186"], [("Antony J. Blinken", USA), ("Marcelo Ebrard", MEX)],
                          [{"type": "meeting", "persons": ["Antony J. Blinken", "Marcelo Ebrard"],
                                "evidence": "It’s a great pleasure to be here with my colleague, my friend, "
                                         "Marcelo Ebrard"}])
    with _store(db_url, [readout, remarks]) as store, store.session() as s:
        assert _event_of(s, readout.document.id) == _event_of(s, remarks.document.id)
        assert s.execute(sa.select(sa.func.count()).select_from(t.Event)).scalar_one() == 1
        from readouts.store.stats import stats
        assert stats(s)["events_by_sources"] == {"2": 1}


def test_alike_meetings_stay_apart(db_url, corpus):
    """Sherman in Tokyo: Mori on 20 July, Kishi on 21 July, then the trilateral with Mori and Choi."""
    sherman = ("Wendy R. Sherman", USA)
    mori = make_record(corpus["usstate-307fcee4923a"], [sherman, ("Mori Takeo", "JPN")],
                       [{"type": "meeting", "persons": ["Wendy R. Sherman", "Mori Takeo"],
                             "evidence": "Deputy Secretary of State Wendy R. Sherman met"}])
    kishi = make_record(corpus["usstate-d3eef2f90f9e"], [("Wendy Sherman", USA), ("Nobuo Kishi", "JPN")],
                        [{"type": "meeting", "persons": ["Wendy Sherman", "Nobuo Kishi"],
                              "evidence": "Deputy Secretary of State Wendy Sherman met"}])
    tri = make_record(corpus["usstate-8cb1a18beb0f"], [sherman, ("Mori Takeo", "JPN"), ("Choi Jong Kun", "KOR")],
                      [{"type": "meeting", "persons": ["Wendy R. Sherman", "Mori Takeo", "Choi Jong Kun"],
                            "evidence": "Deputy Secretary of State Wendy R. Sherman"}])
    # Same two people, same day, but a call is not the meeting.
    call = make_record(corpus["usstate-307fcee4923a"] | {"text": corpus["usstate-307fcee4923a"]["text"] + "\n(call)"},
                       [sherman, ("Mori Takeo", "JPN")],
                       [{"type": "call", "persons": ["Wendy R. Sherman", "Mori Takeo"],
                             "evidence": "Deputy Secretary of State Wendy R. Sherman met"}])
    with _store(db_url, [mori, kishi, tri, call]) as store, store.session() as s:
        events = [_event_of(s, r.document.id)[0] for r in (mori, kishi, tri)]
        events.append(max(_event_of(s, call.document.id)))
        assert len(set(events)) == 4
        logged = s.execute(sa.select(t.ResolutionLog.reason).where(t.ResolutionLog.kind == "event")).scalars().all()
        assert any("different participants" in r or "different countries" in r for r in logged)
