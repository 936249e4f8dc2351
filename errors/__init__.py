"""One exception type per user-facing failure, each with its own exit code.

The CLI prints ``planrecover: <message>`` on one line and exits with ``exit_code``;
no traceback reaches the user for these. A package of its own, below every stage: read,
ocr, repair and extract raise these without importing the pipeline.
"""

__all__ = [
    "PlanRecoverError",
    "InputNotFound",
    "InputUnreadable",
    "EmptyInput",
    "NotText",
    "UnsupportedInput",
    "NoPlanStructure",
    "OutputError",
    "ReplayMismatch",
    "BadChangeLog",
    "BadPlanFile",
    "ReaderMissing",
    "DocumentUnreadable",
]


class PlanRecoverError(Exception):
    """Base class: a failure the user can act on."""

    exit_code = 1


class InputNotFound(PlanRecoverError):
    exit_code = 3


class InputUnreadable(PlanRecoverError):
    """The file exists but cannot be read (permissions, a directory, ...)."""

    exit_code = 3


class EmptyInput(PlanRecoverError):
    exit_code = 4


class NotText(PlanRecoverError):
    """Binary data, or text in an encoding we cannot identify."""

    exit_code = 5


class UnsupportedInput(PlanRecoverError):
    """A format the text path does not read (PDF, images)."""

    exit_code = 5


class NoPlanStructure(PlanRecoverError):
    """Readable text, but no indicator table and no programme box."""

    exit_code = 6


class OutputError(PlanRecoverError):
    exit_code = 7


class ReplayMismatch(PlanRecoverError):
    """A change record does not fit the text it is applied to."""

    exit_code = 8


class BadChangeLog(PlanRecoverError):
    exit_code = 8


class BadPlanFile(PlanRecoverError):
    """A plan.json that is not JSON or breaks the schema (planrecover diff, report)."""

    exit_code = 9


class ReaderMissing(PlanRecoverError):
    """A format's reader needs a program that is not installed (antiword for .doc); the message says how to install it."""

    exit_code = 10


class DocumentUnreadable(PlanRecoverError):
    """A Word or HTML document its reader cannot read: corrupt, encrypted, not the format it claims, or its converter failed."""

    exit_code = 11
