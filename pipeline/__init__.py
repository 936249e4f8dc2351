"""planrecover: recover damaged Chinese government plan documents.

Stages (plain functions over dataclasses, data flowing one way):
ingest (pipeline.ingest) -> repair (repair.rules) -> extract (extract.plan) -> write (pipeline.write).
"""

__version__ = "0.1.0"
