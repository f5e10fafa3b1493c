"""Document -> Record: the spaCy pipeline plus the project's own components.

``extract`` handles one text; ``extract_documents`` streams many through
``nlp.pipe`` and yields each document's record or the error that stopped it.
"""
import sys
import types
from typing import Any

from readouts.extract.pipeline import EXTRACTOR_VERSION, extract, extract_documents, load_nlp

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_documents", "load_nlp"]


class _CallableModule(types.ModuleType):
    """Once this package is imported, ``readouts.extract`` is the package, not the function the README
    shows (``readouts.extract(text)``): Python binds a subpackage as its parent's attribute. So the
    package itself is callable and does what the function does."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
