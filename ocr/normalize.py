"""Moved to ``grammar.ideographs`` (the radical → ideograph table is the genre's grammar,
shared by ocr and repair); kept as a re-export for code written against the old place."""

from grammar.ideographs import (  # noqa: F401
    RADICALS_SUPPLEMENT,
    CharChange,
    is_compatibility_ideograph,
    is_kangxi_radical,
    is_radical,
    is_radicals_supplement,
    normalize_ideographs,
    unified_ideograph,
)

__all__ = [
    "RADICALS_SUPPLEMENT", "CharChange", "is_compatibility_ideograph", "is_kangxi_radical",
    "is_radical", "is_radicals_supplement", "normalize_ideographs", "unified_ideograph",
]
