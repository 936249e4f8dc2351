# planrecover: `make extract` sets everything up and recovers the corpus document into out/;
# `make test` runs the test suite. Both create .venv on first use and install the
# Debian packages the project needs when they are missing (as root; otherwise they say
# which to install).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS_DOC := corpus/ip-protection-plan-2021-2025.garbled-extract.txt
CORPUS_SCAN := corpus/ip-protection-plan-2021-2025.standin-scan.pdf
OUT := out
# OCR engine (tesseract, the low-memory alternative), the stand-in scan's fonts,
# Chromium with its driver for the review report's browser tests, and antiword, the
# reader of Word 97-2003 .doc files.
DEBIAN_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim fonts-arphic-uming fonts-wqy-zenhei chromium chromium-driver antiword

.PHONY: extract test bench corpus install system-deps clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "planrecover: missing Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# The damaged text and the (stand-in) scan together: OCR fills and confirms, repair explains.
extract: $(STAMP)
	$(VENV)/bin/planrecover extract $(CORPUS_DOC) --scan $(CORPUS_SCAN) --out $(OUT)

test: system-deps $(STAMP)
	$(PY) -m pytest

# A measurement, not a test: recovery on BENCH_N generated documents per damage profile
# with known truth, the corpus document and the stand-in scan (both OCR engines at three
# degradation levels). Prints one table, writes bench/results.json and compares it with
# the committed bench/baseline.json (figures that got worse are marked).
BENCH_N ?= 200
BENCH_OCR ?= all
bench: system-deps $(STAMP)
	BENCH_N=$(BENCH_N) BENCH_OCR=$(BENCH_OCR) $(PY) -m bench

corpus: system-deps $(STAMP)
	$(PY) -m ocr.standin --out corpus/

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
