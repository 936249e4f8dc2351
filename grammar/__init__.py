"""The genre's low layer: what every stage (read, ocr, repair, extract) may import, and
that imports none of them (only ``errors``).

    chars        the Han character class, sentence ends, brackets
    ideographs   Kangxi radicals and compatibility code points -> unified ideographs
    headers      box headers (专栏), chapter and section headings, item numbers
    tables       table rows and cells, indicator table headers, flattened tables
    statements   the agency statements that close a box or an item
    registry     the agency registry and its jurisdictions (data/)
    words        the private jieba tokenizer
"""
