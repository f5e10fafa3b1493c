"""Document -> Record: the spaCy pipeline plus the project's own components.

``extract`` handles one text; ``extract_documents`` streams many through
``nlp.pipe`` and yields each document's record or the error that stopped it.
"""
from readouts.extract.pipeline import EXTRACTOR_VERSION, extract, extract_documents, load_nlp

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_documents", "load_nlp"]
