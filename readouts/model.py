"""The engagement record: the only types that cross stages.

Mirrors ``shared/spec/record-format.md``. Field names and meanings are the
contract with the scorer, the store and the exports; extra fields are allowed
by the format but every one added here must be optional.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
"""[start, end) character offsets into ``Document.text``."""

OrgKind = Literal[
    "ministry", "agency", "embassy", "council", "legislature", "party",
    "ngo", "think_tank", "international", "company", "other",
]
EventType = Literal["call", "meeting", "visit", "signing", "statement", "other"]
EventStatus = Literal["happened", "planned", "referenced"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Document(_Model):
    id: str
    title: str | None = None
    date: str | None = None
    language: str = "en"
    source: str | None = None
    text: str


class Position(_Model):
    title: str
    organization: str | None = None
    country: str | None = None
    evidence: list[Span] = Field(default_factory=list)  # where the text states the title (optional extra)


class Person(_Model):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    positions: list[Position] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


class Organization(_Model):
    id: str
    name: str
    acronym: str | None = None
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    kind: OrgKind = "other"
    mentions: list[Span] = Field(default_factory=list)


class Delegation(_Model):
    id: str
    country: str | None = None
    members: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)


class Participants(_Model):
    persons: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    delegations: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)


class Plover(_Model):
    event: str
    mode: str | None = None


class Event(_Model):
    id: str
    type: EventType
    status: EventStatus = "happened"
    date: str | None = None
    location: str | None = None
    participants: Participants = Field(default_factory=Participants)
    topics: list[str] = Field(default_factory=list)
    plover: Plover | None = None
    evidence: list[Span] = Field(default_factory=list)


class Record(_Model):
    document: Document
    persons: list[Person] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    delegations: list[Delegation] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    extractor_version: str | None = None

    def person(self, pid: str) -> Person | None:
        return next((p for p in self.persons if p.id == pid), None)

    def organization(self, oid: str) -> Organization | None:
        return next((o for o in self.organizations if o.id == oid), None)


def normalise_text(text: str) -> str:
    """The form a document is identified by: NFC, unified newlines, trimmed.

    Two copies of one release that differ only in Unicode composition,
    line endings or trailing blanks hash the same.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.strip()


def document_id(text: str) -> str:
    return "sha256:" + hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
