"""Repair: small named rules that delete, join and reorder what the source has.

``repair.rules.repair_text`` runs them in order and returns the repaired text with
its change log. The only text a rule may write is a corrected box number.
"""
