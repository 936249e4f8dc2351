"""Extract: indicators, programme boxes and agencies from repaired text."""
