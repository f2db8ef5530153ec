"""Searching the library in Indonesian.

Words are reduced to their stem by the Snowball Indonesian stemmer (the algorithm
PostgreSQL's ``indonesian`` text search uses): "pembinaan", "membina" and "dibina" are all
"bina", "kemitraan" and "bermitra" "mitra". Each document's stems are kept with a weight
(``DocumentWord``: a word in the title counts most, then the summary, then the text), the
same on SQLite and PostgreSQL. A search ranks the documents holding the query's stems by
how many of them they hold, then by their weight, rarer stems counting more.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

import snowballstemmer
from django.db import transaction
from django.db.models import Count

from .models import Document, DocumentWord

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
TITLE_WEIGHT, SUMMARY_WEIGHT, TEXT_WEIGHT = 10, 3, 1
MAX_QUERY_WORDS = 12


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("indonesian")


def stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order (lower case; numbers left out)."""
    words = [w.lower() for w in _WORD.findall(text)]
    return [stem[:60] for stem in _stemmer().stemWords(words) if len(stem) >= 2]


def document_index(document: Any, words: Any = DocumentWord) -> None:
    """Keep the document's stems and their weights for search (``words``: the model, a
    migration's own)."""
    weights: Counter[str] = Counter()
    for text, weight in (
        (document.title, TITLE_WEIGHT),
        (document.summary, SUMMARY_WEIGHT),
        (document.body, TEXT_WEIGHT),
    ):
        for stem in stems(text):
            weights[stem] += weight
    with transaction.atomic():
        words.objects.filter(document_id=document.pk).delete()
        words.objects.bulk_create(
            words(document_id=document.pk, stem=stem, weight=weight)
            for stem, weight in weights.items()
        )


@dataclass(frozen=True)
class Found:
    document: Document
    matched: int  # how many of the query's stems it holds
    score: float
    excerpt: str  # the first paragraph holding one of them


def _excerpt(document: Document, wanted: set[str]) -> str:
    for paragraph in [document.summary, *document.body.split("\n\n")]:
        if wanted & set(stems(paragraph)):
            return paragraph.strip().lstrip("#").strip()[:300]
    return document.summary[:300]


def library_search(query: str) -> list[Found]:
    """The documents matching ``query``, best first."""
    wanted = list(dict.fromkeys(stems(query)))[:MAX_QUERY_WORDS]
    if not wanted:
        return []
    total = Document.objects.count() or 1
    spread = dict(
        DocumentWord.objects.filter(stem__in=wanted)
        .values_list("stem")
        .annotate(n=Count("document"))
        .values_list("stem", "n")
    )
    rows = DocumentWord.objects.filter(stem__in=wanted).values_list("document_id", "stem", "weight")
    matched: Counter[int] = Counter()
    score: defaultdict[int, float] = defaultdict(float)
    for document_id, stem, weight in rows:
        matched[document_id] += 1
        score[document_id] += weight * math.log(1 + total / spread[stem])
    documents = Document.objects.in_bulk(list(matched))
    found = [
        Found(documents[pk], matched[pk], score[pk], _excerpt(documents[pk], set(wanted)))
        for pk in matched
    ]
    return sorted(found, key=lambda f: (-f.matched, -f.score, f.document.title))
