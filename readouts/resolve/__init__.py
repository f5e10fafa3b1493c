"""Records -> canonical persons, organizations and events, across documents.

Pure functions: they look at a mention and at candidate rows (looked up by the
store through the keys made here) and say which candidate it is, if any, and
why. The store keeps the reason in ``resolution_log``.

- :mod:`readouts.resolve.names`   name folding and lookup keys (persons, organizations)
- :mod:`readouts.resolve.persons` is this person mention that canonical person?
- :mod:`readouts.resolve.organizations` the same for organizations
- :mod:`readouts.resolve.events`  are two event reports one event?
"""
from readouts.resolve.events import EventFacts, same_event
from readouts.resolve.names import fold, name_tokens, person_keys
from readouts.resolve.organizations import org_keys
from readouts.resolve.persons import Candidate, Decision, choose_person, local_aliases

__all__ = ["Candidate", "Decision", "EventFacts", "choose_person", "fold", "local_aliases", "name_tokens",
           "org_keys", "person_keys", "same_event"]
