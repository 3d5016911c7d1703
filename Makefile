# Dialogcafé: `make run` starts the app with a demo café, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app cafe
HOST ?= 127.0.0.1
PORT ?= 5000
VENDOR := static/vendor
TEST_WORKERS ?= 2  # pytest-xdist processes; each test file runs in one of them (0: all in this process)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint setup deps vendor chromium pango bench-report translations translations-update db demo bench-live bench-nlp bench-console run-cluster bench-load bench-faults bench-big-synthesis bench-incremental bench-note-cost bench-pass bench-pii screenshots bench-soak bench-fuzz nginx clean

run: setup pango db demo  ## Start the app on SQLite with the demo café
	PUBLIC_URL=http://$(HOST):$(PORT) $(FLASK) serve --host $(HOST) --port $(PORT)

test: setup pango chromium nginx lint  ## Install everything and run the whole suite
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: setup  ## The house rules: ruff, the import layers of pyproject.toml, and the numbers of the house
	$(VENV)/bin/ruff check cafe nlp tests bench migrations
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m tests.architecture.house


setup: $(VENV)/.installed vendor translations pango

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

vendor: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.min.js $(VENDOR)/
	cp node_modules/socket.io-client/dist/socket.io.min.js.map $(VENDOR)/ 2>/dev/null || true
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.umd.min.js 2>/dev/null || cp node_modules/chart.js/dist/chart.umd.js $(VENDOR)/chart.umd.min.js
	cp node_modules/axe-core/axe.min.js $(VENDOR)/
	cp cafe/privacy/data/names_sv.txt $(VENDOR)/  # the name list the host page's check reads

node_modules/.installed: package.json
	npm install --include=dev --no-audit --no-fund --loglevel=error  # dev: the OpenID provider of the sign-in tests
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d cafe/translations -f >/dev/null

translations-update: $(VENV)/.installed  ## Extract the Swedish msgids into the .pot and merge them into the English catalog
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -o cafe/translations/messages.pot . >/dev/null
	$(VENV)/bin/pybabel update -i cafe/translations/messages.pot -d cafe/translations -l en

chromium:  ## Debian's Chromium for the browser tests, installed when missing
	@if ! command -v chromium >/dev/null; then \
	  echo "Installing Debian's chromium and chromium-driver"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

db: setup  ## Create or migrate the database
	$(FLASK) db upgrade

demo: db  ## Seed the demo (a held and a planned café) once, and print every role's way in
	PUBLIC_URL=http://$(HOST):$(PORT) $(FLASK) demo

bench-live: setup  ## Note latency, bytes and CPU per note through the app against a bare Socket.IO relay, asyncio and threaded clients; idle socket memory
	$(PY) bench/bench_live.py $(BENCH_ARGS)
	$(PY) bench/bench_synthesis_live.py

N ?= 2
run-cluster: setup nginx  ## N gunicorn+gevent processes behind nginx on the local Redis and PostgreSQL
	N=$(N) $(PY) -m cafe.runtime.cluster

bench-load: setup nginx  ## 1,000 connections against one process (SQLite, then PostgreSQL), two behind nginx, and the bare relay
	ulimit -n 20000 2>/dev/null || ulimit -n $$(ulimit -Hn); $(PY) bench/bench_load.py $(BENCH_ARGS)

bench-faults: setup nginx  ## kill -9, Redis and PostgreSQL restarts, dropped clients during a stream of notes
	ulimit -n 20000 2>/dev/null || true; $(PY) bench/bench_faults.py $(BENCH_ARGS)

bench-note-cost: setup  ## CPU time and SQL statements per note:add, in-process, against a bare handler
	$(PY) bench/note_cost.py $(BENCH_ARGS)

bench-pass: setup  ## Synthesis pass time as a café grows: incremental passes against reading and describing everything
	$(PY) bench/pass_cost.py $(BENCH_ARGS)

screenshots: setup pango  ## The README's screenshots: the demo café photographed with Chromium into docs/screenshots/
	$(PY) bench/screenshots.py $(BENCH_ARGS)

bench-pii: $(VENV)/.installed  ## Precision and recall of the personal-data masker on the corpora of tests/security/pii_corpus
	$(PY) bench/pii_corpus.py

bench-incremental: setup  ## Themes grown note by note against a from-scratch clustering (AMI), cost of a note, a 50,000-note year at once
	$(PY) bench/bench_incremental.py $(BENCH_ARGS)

bench-soak: setup  ## 100 hosts typing for 30 minutes through a reconnect of every client every 3 minutes: lost, doubled, server memory
	ulimit -n 20000 2>/dev/null || true; $(PY) bench/bench_soak.py $(BENCH_ARGS)

FUZZ_EXAMPLES ?= 200
bench-fuzz: setup  ## The API's schema fuzzing and the socket fuzzing against the running server, with FUZZ_EXAMPLES examples each
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q tests/security/test_schemathesis.py tests/security/test_socket_fuzz.py -k "not every_malformed_payload_gets_an_error_ack"

bench-big-synthesis: setup  ## Note latency while a 20,000-note café is synthesised and the city page and exports are fetched
	$(PY) bench/bench_big_synthesis.py $(BENCH_ARGS)

pango:  ## Debian's Pango (WeasyPrint lays out the report's PDF with it) and poppler-utils, installed when missing
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || ! command -v pdftoppm >/dev/null; then \
	  echo "Installing Debian's Pango and poppler-utils"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils >/dev/null; \
	fi

bench-report: setup  ## The report to the committee for a year of 10 cafés and 5,000 notes: DOCX, PDF and HTML times
	$(PY) bench/report_year.py $(BENCH_ARGS)

nginx:  ## Debian's nginx for the cluster, installed when missing
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  echo "Installing Debian's nginx"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; \
	fi

bench-nlp: setup  ## Speed and quality of the Swedish synthesis against a scikit-learn baseline
	$(PY) bench/bench_nlp.py $(BENCH_ARGS)

bench-console: setup  ## Round changes and messages reaching 50 hosts; point suggestion latency
	$(PY) bench/bench_console.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
