# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: run test install install-test browser speech transcribe setup demo clean

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

install-test: $(VENV)/.installed-test browser speech
	@# Mozilla's ical.js checks the calendar feeds (tests/feeds); without npm those tests skip.
	@test -f $(VENV)/node/node_modules/ical.js/package.json || { command -v npm >/dev/null \
	  && npm install --no-save --no-audit --no-fund --silent --prefix $(VENV)/node ical.js@2 \
	  || echo "WARNING: npm missing or failed; the ical.js calendar tests will be skipped"; }

# Browser tests drive Debian's chromium; a browser is never downloaded.
browser:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; }

# The captions tests speak known scripts with Debian's espeak-ng.
speech:
	@command -v espeak-ng >/dev/null || { echo "Installing Debian's espeak-ng for the captions tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng) \
	  || echo "WARNING: could not install espeak-ng; the captions tests on speech will be skipped"; }

setup: install
	$(BIN)/clustertalks setup

run: setup
	PORT=$(PORT) $(BIN)/clustertalks up

demo: install
	$(BIN)/clustertalks demo

test: install-test
	$(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -m "not browser and not transcription"; \
	fi

clean:
	rm -rf $(VENV) var build src/*.egg-info
