"""A private jieba tokenizer, its dictionary cache kept per user.

jieba writes its cache (``jieba.cache``, ~9 MB) into the shared temporary folder by
default, with the first user's permissions: a second user's run then fails to read
it. The cache goes to ``$XDG_CACHE_HOME/planrecover`` (``~/.cache/planrecover``)
instead; where that cannot be made, into a temporary folder of this process.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "planrecover"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return str(folder)
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="planrecover-cache-")


@lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[dict, int]:
    """jieba's dictionary (word -> frequency, and their total), loaded once per process:
    loading it costs about 1.5 s, copying it a few milliseconds."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    loaded = jieba.Tokenizer()
    loaded.tmp_dir = cache_dir()
    loaded.initialize()
    return loaded.FREQ, loaded.total


def private_tokenizer():
    """A ``jieba.Tokenizer`` of its own (words added to it never reach jieba's global
    dictionary nor another tokenizer), with jieba's dictionary, loaded once per process
    with its cache in this user's cache folder."""
    import jieba

    frequencies, total = jieba_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = cache_dir()
    tokenizer.FREQ, tokenizer.total = dict(frequencies), total
    tokenizer.initialized = True
    return tokenizer
