"""The web face of the store: a JSON API under ``/api/`` and HTML pages, from one FastAPI app.

``create_app(db_url)`` builds it; ``readouts serve`` runs it with uvicorn.
"""
from readouts.web.app import create_app

__all__ = ["create_app"]
