# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: run test install install-test browser pdf-libraries speech transcribe setup demo clean
.PHONY: bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,transcribe]'
	touch $@

install: $(VENV)/.installed

# Automatic captions: the optional extra (Whisper on the CPU, several hundred MB).
transcribe: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[transcribe]'

install-test: $(VENV)/.installed-test browser pdf-libraries speech
	@# Mozilla's ical.js checks the calendar feeds (tests/feeds); without npm those tests skip.
	@test -f $(VENV)/node/node_modules/ical.js/package.json || { command -v npm >/dev/null \
	  && npm install --no-save --no-audit --no-fund --silent --prefix $(VENV)/node ical.js@2 \
	  || echo "WARNING: npm missing or failed; the ical.js calendar tests will be skipped"; }

# Browser tests drive Debian's chromium; a browser is never downloaded.
browser:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; }

# WeasyPrint (the recap dossier as PDF) needs Debian's pango and fonts; installed when missing.
pdf-libraries:
	@{ ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libpangoft2-1.0 \
	  && test -d /usr/share/fonts/truetype/dejavu; } || { echo "Installing pango and fonts for PDFs"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation) \
	  || echo "WARNING: could not install pango; the PDF dossier and its tests will be skipped"; }


# The captions tests speak known scripts with Debian's espeak-ng.
speech:
	@command -v espeak-ng >/dev/null || { echo "Installing Debian's espeak-ng for the captions tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng) \
	  || echo "WARNING: could not install espeak-ng; the captions tests on speech will be skipped"; }

setup: install pdf-libraries
	$(BIN)/clustertalks setup

run: setup
	PORT=$(PORT) $(BIN)/clustertalks up --sign-in-hint

demo: install
	$(BIN)/clustertalks demo

test: install-test
	$(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -m "not browser and not transcription"; \
	fi

# Every public page next to a bare Django view, with wrk (bench/load.py; about 15 minutes;
# BENCH_ARGS="--sizes 100 --backends sqlite --duration 3" for a quick look). Installs Debian's wrk.
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python bench/load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build src/*.egg-info
