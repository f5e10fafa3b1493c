"""Document -> Record: the spaCy pipeline plus the project's own components.

``extract`` handles one text; ``extract_documents`` streams many through
``nlp.pipe`` and yields each document's record or the error that stopped it.
"""
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readouts.extract.pipeline import EXTRACTOR_VERSION, extract, extract_documents, load_nlp

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_documents", "load_nlp"]


def __getattr__(name: str) -> Any:
    """The pipeline's names, imported when first asked for: importing a module of this package
    (``languages``, say) does not load spaCy, so a process that only writes records — the parent of a
    parallel ingest — or serves them never holds it (about 2 s and 100 MB)."""
    if name in __all__:
        from readouts.extract import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """Once this package is imported, ``readouts.extract`` is the package, not the function the README
    shows (``readouts.extract(text)``): Python binds a subpackage as its parent's attribute. So the
    package itself is callable and does what the function does."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from readouts.extract.pipeline import extract
        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
