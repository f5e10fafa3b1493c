"""Which mentions are one person: the pure clustering rules, on names and titles from the corpus."""
from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from readouts.resolve.cluster import MentionFacts, cluster, compatible_names
from readouts.resolve.names import name_tokens
from readouts.resolve.variants import same_given, same_token

_ids = iter(range(1, 10**9))


def m(name: str, country: str | None = None, *titles: str, doc: int | None = None,
      day: date = date(2022, 3, 1)) -> MentionFacts:
    i = next(_ids)
    doc = i if doc is None else doc
    return MentionFacts(id=i, document=doc, doc_key=f"h{doc:06d}", tokens=tuple(name_tokens(name)),
                        country=country, titles=titles, date=day)


def groups(mentions: list[MentionFacts], **kw) -> list[set[int]]:
    return [{x.id for x in c.mentions} for c in cluster(mentions, **kw).clusters]


def together(mentions: list[MentionFacts], *which: MentionFacts, **kw) -> bool:
    return any({w.id for w in which} <= g for g in groups(mentions, **kw))


def test_nicknames_transliterations_and_initials_are_one_name():
    assert same_given("tony", "antony") and same_given("joe", "joseph") and same_given("chuck", "charles")
    assert same_token("sergey", "sergei") and same_token("zelenskyy", "zelensky") and same_token("erdogan", "erdogan")
    assert not same_given("jill", "joseph") and not same_given("jake", "john")
    assert compatible_names(("joe", "biden"), ("joseph", "robinette", "biden"))
    assert compatible_names(("kishida", "fumio"), ("fumio", "kishida"))
    assert compatible_names(("marcelo", "ebrard"), ("marcelo", "ebrard", "casaubon"))
    assert not compatible_names(("juan", "gonzalez"), ("ana", "gonzalez", "barrera"))


def test_full_name_variants_join():
    a, b, c = m("Antony J. Blinken", "USA"), m("Tony Blinken", "USA"), m("Anthony Blinken", "USA")
    d, e = m("Sergey Lavrov", "RUS"), m("Sergei Lavrov", "RUS")
    f, g = m("Kishida Fumio", "JPN"), m("Fumio Kishida", "JPN")
    ms = [a, b, c, d, e, f, g]
    assert together(ms, a, b, c) and together(ms, d, e) and together(ms, f, g)


def test_hispanic_double_surnames_and_their_short_forms():
    full = [m("Andrés Manuel López Obrador", "MEX", "President") for _ in range(3)]
    short = m("López Obrador", "MEX", "President")
    ebrard = [m("Marcelo Ebrard Casaubon", "MEX"), m("Marcelo Ebrard", "MEX", "Foreign Secretary")]
    bare = m("Ebrard", "MEX", "Foreign Secretary")
    ms = [*full, short, *ebrard, bare]
    assert together(ms, *full, short) and together(ms, *ebrard, bare)


def test_a_surname_goes_to_the_person_whose_office_fits():
    joseph = [m("Joseph R. Biden, Jr.", "USA", "President") for _ in range(5)]
    jill = [m("Jill Biden", "USA", "First Lady") for _ in range(2)]
    president, first_lady = m("Biden", "USA", "President"), m("Biden", "USA", "First Lady")
    lloyd = m("Lloyd J. Austin III", "USA", "Secretary of Defense")
    tice = m("Austin Tice", None)
    secretary = m("Austin", "USA", "Secretary")
    ms = [*joseph, *jill, president, first_lady, lloyd, tice, secretary]
    assert together(ms, *joseph, president) and together(ms, *jill, first_lady)
    assert not together(ms, joseph[0], jill[0])
    assert together(ms, lloyd, secretary) and not together(ms, tice, lloyd)


def test_a_title_the_person_never_held_keeps_a_surname_off():
    wendy = [m("Wendy R. Sherman", "USA", "Deputy Secretary of State") for _ in range(20)]
    congressman = m("Sherman", "USA", "Congressman")
    chris = m("Chris Sherman", "USA")
    ms = [*wendy, congressman, chris]
    assert not together(ms, wendy[0], congressman)
    assert not together(ms, wendy[0], chris)


def test_a_surname_fitting_two_people_alike_goes_to_neither():
    a = [m("Jake Sullivan", "USA") for _ in range(2)]
    b = [m("John Sullivan", "USA") for _ in range(2)]
    bare = m("Sullivan", "USA")
    ms = [*a, *b, bare]
    assert not together(ms, a[0], bare) and not together(ms, b[0], bare)


def test_a_surname_in_the_document_of_its_full_name_is_that_person():
    doc = 10**8  # apart from the ids the other mentions take as their documents
    full = m("John J. Sullivan", "USA", "Ambassador", doc=doc)
    jake = [m("Jake Sullivan", "USA", "National Security Advisor") for _ in range(30)]
    bare = m("Sullivan", "USA", doc=doc)
    assert together([full, *jake, bare], full, bare)


def test_a_surname_far_from_the_time_the_person_is_named_stays_apart():
    old = [m("George Bush", "USA", "President", day=date(1990, 1, 1)) for _ in range(3)]
    later = m("Bush", "USA", "President", day=date(2022, 1, 1))
    assert not together([*old, later], old[0], later)


def test_surnames_no_full_name_claims_are_one_entity_per_country_and_office():
    a, b = m("Xiomara", "HND", "President"), m("Xiomara", "HND", "President")
    c = m("Xiomara", "USA", "Ambassador")
    ms = [a, b, c]
    assert together(ms, a, b) and not together(ms, a, c)


def test_manual_splits_and_merges_are_constraints():
    a, b, c = m("Juan Gonzalez", "USA"), m("Juan Gonzalez", "USA"), m("Juan González", "USA")
    assert together([a, b, c], a, b, c)
    assert not together([a, b, c], a, b, apart=[(a.id, b.id)])
    d = m("Roberta Jacobson", "USA")
    assert together([a, d], a, d, together=[[a.id, d.id]])


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_persons_do_not_depend_on_the_order_of_the_mentions(rnd: random.Random):
    ms = [m("Joseph R. Biden, Jr.", "USA", "President"), m("Joe Biden", "USA"), m("Biden", "USA", "President"),
          m("Jill Biden", "USA", "First Lady"), m("Biden", None, "First Lady"), m("Hunter Biden", None),
          m("Antony J. Blinken", "USA", "Secretary of State"), m("Blinken", "MEX", "Secretary"),
          m("Marcelo Ebrard", "MEX"), m("Ebrard", "MEX"), m("Marcelo Ebrard Casaubon", "MEX"),
          m("Sherman", "USA"), m("Wendy Sherman", "USA"), m("Chris Sherman", "USA")]
    want = sorted(map(sorted, groups(ms)))
    shuffled = ms[:]
    rnd.shuffle(shuffled)
    assert sorted(map(sorted, groups(shuffled))) == want
