"""Pure name resolution rules, on names from the seed release and the corpus."""
from __future__ import annotations

from readouts.resolve import person_keys
from readouts.resolve.events import EventFacts, same_event
from readouts.resolve.persons import Candidate, choose_person, compatible_names


def toks(name):
    return person_keys(name).tokens


def test_titles_initials_and_accents_are_dropped():
    assert toks("Secretary of State Antony J. Blinken") == ("antony", "blinken")
    assert toks("President Joseph R. Biden, Jr.") == ("joseph", "biden")
    assert toks("Mexican Foreign Secretary Marcelo Ebrard") == ("marcelo", "ebrard")
    assert person_keys("Roberto Velasco Álvarez").match_key == person_keys("Roberto Velasco").match_key
    assert person_keys("Blinken").match_key is None  # a surname alone is never looked up across documents


def test_compound_surnames_extend_but_namesakes_do_not():
    assert compatible_names(toks("Marcelo Ebrard Casaubon"), toks("Marcelo Ebrard"))
    assert not compatible_names(toks("Juan González"), toks("Ana González Barrera"))
    assert not compatible_names(toks("Juan González López"), toks("Juan González Barrera"))
    cand = Candidate(1, [toks("Juan González Barrera")], None, 3)
    assert choose_person(toks("Juan González López"), None, [cand]).person_id is None


def test_a_country_conflict_yields_to_the_same_full_name_unless_titles_differ():
    blinken = Candidate(1, [toks("Antony J. Blinken")], "USA", 40, {"USA"}, {"Secretary of State"})
    stray = Candidate(2, [toks("Antony Blinken")], "MEX", 1, {"MEX"}, set())
    got = choose_person(toks("Antony J. Blinken"), "MEX", [stray, blinken], ["Secretary"])
    assert got.person_id == 1 and "joins the majority" in got.reason  # the most-mentioned of the two
    assert choose_person(toks("Antony J. Blinken"), "CAN", [blinken], ["Prime Minister"]).person_id is None
    assert choose_person(toks("Ana Blinken"), "MEX", [blinken]).person_id is None  # another given name


def test_event_rules():
    from datetime import date
    d = date(2021, 7, 20)
    meeting = EventFacts("meeting", d, frozenset({1, 2}), countries=frozenset({"USA", "JPN"}))
    assert same_event(meeting, EventFacts("meeting", date(2021, 7, 21), frozenset({1, 2})))[0]
    assert not same_event(meeting, EventFacts("call", d, frozenset({1, 2})))[0]
    assert not same_event(meeting, EventFacts("meeting", date(2021, 7, 21), frozenset({1, 3})))[0]
    assert not same_event(meeting, EventFacts("meeting", d, frozenset({1, 2, 3}),
                                              countries=frozenset({"USA", "JPN", "KOR"})))[0]
