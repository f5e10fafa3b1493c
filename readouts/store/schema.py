"""The engagement store's tables (SQLAlchemy 2 declarative); one schema for SQLite and PostgreSQL.

Two layers, and every row of the lower one points back to its document and
character spans (``[[start, end], …]`` into ``documents.text``):

*Per document* (replaced as a whole when a document is re-extracted):

    documents             one row per distinct text; ``hash`` = ``readouts.model.document_id``
                          (sha256 of the normalised text), ``external_id`` = the id the source
                          gave it (corpus id), ``extractor_version`` of the facts now stored,
                          ``resolved_at`` NULL until cross-document resolution took it in
    extraction_runs       every extraction of a document: version, when, ok/failed (history)
    person_mentions       a record's person in one document (``local_id`` "p1"), its canonical
                          ``person_id``, ``name_key``/``match_key`` for indexed resolution
    positions             a title a person is said to hold in one document (the document date is
                          the date it was seen); canonical ``person_id`` and ``organization_id``
    org_mentions          a record's organization in one document, with canonical ``organization_id``
    organization_keys     normalised names, acronyms and aliases of each org mention: the index
                          organization resolution looks candidates up in
    delegations           a record's delegation in one document (country, evidence spans)
    delegation_members    person mentions belonging to a delegation
    event_reports         a record's event in one document, with canonical ``event_id``
    event_participants    who took part in an event report: ``kind`` person|organization|
                          delegation|country, ``ref`` (the record's local id or the ISO3 code),
                          and the canonical ``person_id``/``organization_id`` when resolved

*Canonical* (across documents; built incrementally by ``readouts.resolve``):

    persons               one real person: fullest name seen, country; ``merged_into_id`` set
                          when a manual merge folded it into another (kept so old ids resolve)
    organizations         one named body: name, acronym, country, kind, aliases
    events                one engagement, however many documents report it: type, date,
                          location, status, topics; its sources are its ``event_reports``
    event_countries       the sides of each event (denormalised, indexed by country): one row per
                          (event, ISO3) from its reports' participants — a person's country (as the
                          document gives it, else the canonical person's), an organization's, a
                          delegation's, or a country named as a participant. Rebuilt for an event by
                          ``readouts.store.sides.refresh_event_countries`` whenever what it is made
                          of changes: a report stored or deleted (ingest, reprocess), persons merged
                          or split, a canonical person's country updated. Country filters
                          (``events?country=``, ``between``, timelines, exports) and the countries an
                          event summary shows both read it.
    event_persons         the canonical persons taking part in each event (event_id, person_id), and
    event_organizations   the organizations (event_id, organization_id): from its reports' participants,
                          rebuilt with ``event_countries`` by ``refresh_event_countries`` (migration 0009)
    event_country_pairs   each pair of an event's sides (country_a < country_b, event_id), rebuilt with
                          ``event_countries``: the events between two countries are one index range
                          (migration 0010)
    resolution_log        why a mention was linked to (or started) a canonical entity:
                          kind person|organization|event, canonical id, mention id, reason, score
    person_overrides      manual ``merge``/``split`` corrections, recorded by stable mention refs
                          (document hash + mention name) so they are re-applied after reprocessing

*Per person* summaries (migration 0009), rebuilt for the persons concerned by
``readouts.store.summaries.refresh_person_summaries`` whenever a document is stored or deleted,
resolution moves mentions, or persons are merged or split:

    person_positions      position_timeline for one person, stored: title, organization_id,
                          first_seen, last_seen, n_documents
    organization_people   (organization_id, person_id, n_documents): who holds a position there
    person_aliases        (person_id, name): every name the person's mentions give
    person_delegations    (person_id, delegation_id): the delegations the person's mentions are in

Views and search:

    position_timeline     view: person_id, title, organization_id, first_seen, last_seen,
                          n_documents — a person's positions as a timeline
    documents_fts         SQLite: FTS5 table over documents(title, text), kept by triggers
                          (``rowid`` = ``documents.id``); PostgreSQL: GIN index ``ix_documents_tsv``
                          on the stored ``tsv`` column: each document in its language, accents folded (0008)

Both are created by the migration (``readouts/store/migrations``), not by ``create_all``.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _doc_fk() -> ForeignKey:
    return ForeignKey("documents.id", ondelete="CASCADE")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str] = mapped_column(String(80), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    date: Mapped[date | None] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    source: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(String(40))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # NULL until cross-document resolution has taken this document's facts in (readouts.store.resolve)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    runs: Mapped[list[ExtractionRun]] = relationship(back_populates="document", passive_deletes=True)

    __table_args__ = (Index("ix_documents_id_date", "id", "date"),)


class ExtractionRun(Base):
    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    extractor_version: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="ok")  # ok | failed
    error: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="runs")


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    country: Mapped[str | None] = mapped_column(String(3))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_persons_merged_into", "merged_into_id"),)


class PersonMention(Base):
    __tablename__ = "person_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    local_id: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    country: Mapped[str | None] = mapped_column(String(3))
    spans: Mapped[list[Any]] = mapped_column(default=list)
    name_key: Mapped[str | None] = mapped_column(String(300), index=True)  # full normalised name
    match_key: Mapped[str | None] = mapped_column(String(300), index=True)  # given name + first surname

    __table_args__ = (UniqueConstraint("document_id", "local_id"),)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrgMention(Base):
    __tablename__ = "org_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    local_id: Mapped[str] = mapped_column(String(40))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    country: Mapped[str | None] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    spans: Mapped[list[Any]] = mapped_column(default=list)

    __table_args__ = (UniqueConstraint("document_id", "local_id"),)


class OrganizationKey(Base):
    __tablename__ = "organization_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_mention_id: Mapped[int] = mapped_column(ForeignKey("org_mentions.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(300), index=True)


class Position(Base):
    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    person_mention_id: Mapped[int] = mapped_column(
        ForeignKey("person_mentions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    org_mention_id: Mapped[int | None] = mapped_column(ForeignKey("org_mentions.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    country: Mapped[str | None] = mapped_column(String(3))
    date: Mapped[date | None] = mapped_column(Date)  # the document's date: when it was said
    spans: Mapped[list[Any]] = mapped_column(default=list)  # where the title is stated, when found

    __table_args__ = (Index("ix_positions_person_date", "person_id", "date"),)


class Delegation(Base):
    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    local_id: Mapped[str] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(3))
    spans: Mapped[list[Any]] = mapped_column(default=list)

    __table_args__ = (UniqueConstraint("document_id", "local_id"),)


class DelegationMember(Base):
    __tablename__ = "delegation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    person_mention_id: Mapped[int] = mapped_column(
        ForeignKey("person_mentions.id", ondelete="CASCADE"), index=True)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="happened")
    date: Mapped[date | None] = mapped_column(Date, index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_events_type_date", "type", "date"), Index("ix_events_id_date", "id", "date"))


class EventCountry(Base):
    __tablename__ = "event_countries"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(40), primary_key=True)  # ISO3 (String(40) like participant refs)

    __table_args__ = (Index("ix_event_countries_country_event", "country", "event_id"),)


class EventCountryPair(Base):
    __tablename__ = "event_country_pairs"

    country_a: Mapped[str] = mapped_column(String(40), primary_key=True)  # the alphabetically first side
    country_b: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True)


class EventPerson(Base):
    __tablename__ = "event_persons"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_event_persons_person_event", "person_id", "event_id"),)


class EventOrganization(Base):
    __tablename__ = "event_organizations"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 primary_key=True)

    __table_args__ = (Index("ix_event_organizations_organization_event", "organization_id", "event_id"),)


class EventReport(Base):
    __tablename__ = "event_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    local_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="happened")
    date: Mapped[date | None] = mapped_column(Date)  # stated date, else the document's date
    location: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[list[Any]] = mapped_column(default=list)
    plover: Mapped[dict[str, Any] | None] = mapped_column()
    spans: Mapped[list[Any]] = mapped_column(default=list)  # evidence

    __table_args__ = (UniqueConstraint("document_id", "local_id"),)


class EventParticipant(Base):
    __tablename__ = "event_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_report_id: Mapped[int] = mapped_column(ForeignKey("event_reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # person | organization | delegation | country
    ref: Mapped[str] = mapped_column(String(40))  # local id in the record, or ISO3 for a country
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True)

    __table_args__ = (Index("ix_event_participants_kind_ref", "kind", "ref"),)


class ResolutionLog(Base):
    __tablename__ = "resolution_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # person | organization | event
    entity_id: Mapped[int] = mapped_column(Integer, index=True)  # canonical id
    mention_id: Mapped[int] = mapped_column(Integer)  # person_mentions / org_mentions / event_reports id
    document_id: Mapped[int] = mapped_column(_doc_fk(), index=True)
    reason: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_resolution_log_kind_entity", "kind", "entity_id"),)


class PersonOverride(Base):
    __tablename__ = "person_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # merge | split
    # merge: refs = every mention that is one person; split: refs = the mentions split off,
    # other_refs = the mentions they must not share a person with. A ref is [document hash, name].
    refs: Mapped[list[Any]] = mapped_column(default=list)
    other_refs: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PersonPosition(Base):
    __tablename__ = "person_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    # no foreign key: an organization deleted would set the positions' column NULL, not drop the row
    organization_id: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[date | None] = mapped_column(Date)
    last_seen: Mapped[date | None] = mapped_column(Date)
    n_documents: Mapped[int] = mapped_column(Integer)


class OrganizationPerson(Base):
    __tablename__ = "organization_people"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    n_documents: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_organization_people_person", "person_id"),)


class PersonAlias(Base):
    __tablename__ = "person_aliases"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), primary_key=True)


class PersonDelegation(Base):
    __tablename__ = "person_delegations"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True)


POSITION_TIMELINE_SQL = """
CREATE VIEW position_timeline AS
SELECT person_id, title, organization_id,
       MIN(date) AS first_seen, MAX(date) AS last_seen,
       COUNT(DISTINCT document_id) AS n_documents
FROM positions
WHERE person_id IS NOT NULL
GROUP BY person_id, title, organization_id
"""
