"""The genre's low layer: what every stage (ocr, repair, extract) may import, and that
imports none of them."""
