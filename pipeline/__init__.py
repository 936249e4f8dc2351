"""planrecover: recover damaged Chinese government plan documents.

Stages (plain functions over dataclasses, data flowing one way):
ingest (pipeline.ingest) -> repair (repair.rules) -> extract (extract.plan) -> write (pipeline.write).
"""

from extract.plan import generator_version

__version__ = generator_version()  # from the installed metadata: pyproject.toml is the one source
