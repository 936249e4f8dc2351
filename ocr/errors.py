"""Failures of the scan path, one exception per thing the user can act on.

Each message is one line; the CLI prints it as ``planrecover: <message>`` and exits
with ``exit_code`` (20-29 are the scan path's).
"""

from __future__ import annotations

from errors import PlanRecoverError


class ScanError(PlanRecoverError):
    """Base of the scan path's errors."""

    exit_code = 20


class CorruptPdf(ScanError):
    exit_code = 21


class EncryptedPdf(ScanError):
    exit_code = 22


class EmptyPdf(ScanError):
    exit_code = 23


class ImageTooLarge(ScanError):
    """A page would decode to more pixels than we allow (decompression bomb guard)."""

    exit_code = 24


class CorruptImage(ScanError):
    """An image file that is empty, truncated or not an image at all."""

    exit_code = 25


class UnsupportedScan(ScanError):
    """Neither a PDF nor a PNG/JPEG/TIFF image."""

    exit_code = 26


class EngineUnavailable(ScanError):
    """The OCR engine asked for is not installed; the message says how to install it."""

    exit_code = 27


class EngineFailed(ScanError):
    """The OCR engine crashed or returned garbage on a page; the message names the page."""

    exit_code = 28
