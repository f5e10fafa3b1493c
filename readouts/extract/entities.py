"""Persons and organizations found in a parsed document (baseline: spaCy NER)."""
from __future__ import annotations

from spacy.tokens import Doc

from readouts.model import Organization, Person, Record


def fill(record: Record, doc: Doc) -> None:
    persons: dict[str, Person] = {}
    orgs: dict[str, Organization] = {}
    for ent in doc.ents:
        span = (ent.start_char, ent.end_char)
        if ent.label_ == "PERSON":
            p = persons.setdefault(ent.text, Person(id=f"p{len(persons) + 1}", name=ent.text))
            p.mentions.append(span)
        elif ent.label_ == "ORG":
            o = orgs.setdefault(ent.text, Organization(id=f"o{len(orgs) + 1}", name=ent.text))
            o.mentions.append(span)
    record.persons = list(persons.values())
    record.organizations = list(orgs.values())
