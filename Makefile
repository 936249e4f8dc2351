# planrecover: `make extract` sets everything up and recovers the corpus document into out/;
# `make test` runs the test suite. Both create .venv on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS_DOC := corpus/ip-protection-plan-2021-2025.garbled-extract.txt
OUT := out

.PHONY: extract test install clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

extract: $(STAMP)
	$(VENV)/bin/planrecover extract $(CORPUS_DOC) --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
