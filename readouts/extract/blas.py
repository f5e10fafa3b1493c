"""spaCy's matrix products through numpy's BLAS, on a set number of threads.

thinc's NumpyOps multiplies matrices with blis. Measured here (AMD EPYC with AVX-512, one thread), blis
took 32 ms for a 5000x288 by 288x288 product that numpy's OpenBLAS did in 9 ms, and the English pipeline
ran 26-29 % faster over 300 releases with the same tokens, parses and entities. Both libraries are
already installed (blis with thinc, OpenBLAS inside numpy's wheel); only the choice changes.

OpenBLAS starts a thread per core. A second thread bought a single process 5 %, and workers of
``ingest --workers`` each take a core already, so the default is one thread (``blas_threads``).
"""
from __future__ import annotations

from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

from readouts import settings

NUMPY_BLAS = NumpyOps(use_blis=False)  # thinc's base Ops.gemm: numpy.dot, i.e. numpy's BLAS


def install(nlp: Language) -> None:
    """Every model of the pipeline multiplies through numpy; the process's BLAS keeps to ``blas_threads``."""
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = NUMPY_BLAS
    # process-wide and kept (not a with-block): the pipeline runs long after loading
    threadpool_limits(settings.get_int("blas_threads"), user_api="blas")
