"""Imported once by the process a batch's steps are forked from (pipeline.batchtask):
the modules every extract needs, and jieba's word list, so a step starts with them
loaded. No document is read here, so a step's outcome is that of a fresh
``planrecover extract``."""

import pipeline.cli  # noqa: F401
import pipeline.csvout  # noqa: F401
import pipeline.ingest  # noqa: F401
import pipeline.report  # noqa: F401
import pipeline.run  # noqa: F401
import pipeline.scan  # noqa: F401
import pipeline.write  # noqa: F401

from grammar.words import jieba_dictionary

jieba_dictionary()  # the word list every document's tokenizers copy: loaded once, shared by the forked steps
