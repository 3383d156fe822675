# bianmin: two commands on a fresh machine.
#   make run   - virtualenv, install, migrate, seed the demo district, serve on http://127.0.0.1:8000
#   make test  - virtualenv with the dev extra, then every test (Python, both backends, and the mini-program)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev migrate seed worker test-python test-miniprogram bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEVSTAMP)

migrate: install
	$(BIN)/bianmin migrate

seed: migrate
	$(BIN)/bianmin seed-demo

run: seed
	$(BIN)/bianmin serve --host $(HOST) --port $(PORT)

worker: install
	$(BIN)/bianmin worker

test: test-python test-miniprogram

test-python: install-dev
	$(BIN)/pytest

test-miniprogram:
	@if [ -f miniprogram/package.json ]; then \
		cd miniprogram && npm ci --no-audit --no-fund --silent && npm test --silent; \
	else echo "no mini-program yet"; fi

bench: install-dev
	for script in geo_nearby booking_contention gazette_search fanout; do $(BIN)/python bench/$$script.py || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
