# imr-graph: `make run` sets up everything and serves the API; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CLI := $(BIN)/imr-graph
STAMP := $(VENV)/.installed
SAMPLES := samples/letters
# Pid files of what `make run` starts; `make stop` ends exactly those processes. `ps -ww`: without it
# ps cuts the command line at $COLUMNS (80 under some runners), and a long checkout path hid "imr-graph serve".
RUN_DIR ?= .run
API_PID := $(RUN_DIR)/api.pid
# GraphiQL's builds, pinned in tools/graphiql-assets/, served by the API from api/web/static/graphiql/ (no CDN).
GRAPHIQL_STAMP := api/web/static/graphiql/.installed

.PHONY: help setup neo4j-install neo4j-start run serve stop stop-api load-sample lint test test-unit docs score http-audit schema compose-check browser-check ui-check graphiql-assets bench-small clean

help:
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) $(GRAPHIQL_STAMP) ## Create the virtualenv, install the package with its dev tools and GraphiQL's assets

$(GRAPHIQL_STAMP): tools/graphiql-assets/package-lock.json | $(STAMP)
	@if command -v npm >/dev/null; then \
	  (cd tools/graphiql-assets && npm ci --no-audit --no-fund --silent --ignore-scripts) && \
	  $(BIN)/python -m api.web.graphiql tools/graphiql-assets/node_modules; \
	else echo "graphiql-assets: npm not found; /graphql will say GraphiQL's assets are not installed"; fi

graphiql-assets: $(GRAPHIQL_STAMP) ## Install GraphiQL's pinned assets from the npm registry (make setup does it)

neo4j-install: setup ## Fetch Neo4j Community + Browser from Maven Central into .neo4j/ (once)
	$(CLI) neo4j install

neo4j-start: neo4j-install ## Start the local Neo4j on 127.0.0.1
	$(CLI) neo4j start

load-sample: neo4j-start ## Load the bundled sample letters
	$(CLI) load $(SAMPLES) --no-progress

run: load-sample ## Set up, start Neo4j, load the samples and serve the GraphQL API
	@echo "Neo4j Browser: http://127.0.0.1:7474/browser/   credentials: $(CURDIR)/.env"
	$(CLI) serve --pid-file $(API_PID)

serve: setup ## Serve the GraphQL API against the configured Neo4j
	$(CLI) serve

bench-small: neo4j-install ## Headline benchmark on 10k synthetic letters -> bench/results/small.json
	$(BIN)/python -m bench.small

stop-api: ## Stop the API `make run` started (by its pid file; other imr-graph processes are left alone)
	@if [ -f $(API_PID) ]; then \
	  pid=$$(cat $(API_PID)); \
	  if ps -ww -p "$$pid" -o args= | grep -q "imr-graph serve"; then \
	    kill "$$pid"; \
	    for i in $$(seq 100); do ps -p "$$pid" -o stat= | grep -qv '^Z' || break; sleep 0.1; done; \
	    echo "API stopped (pid $$pid)"; \
	  fi; \
	  rm -f $(API_PID); \
	fi

stop: stop-api ## Stop what `make run` started: its API and the project's Neo4j (.neo4j/)
	@if [ -x $(CLI) ]; then $(CLI) neo4j stop; fi

lint: setup ## ruff check, ruff format --check, mypy --strict
	$(BIN)/ruff check graph_loader api tests bench
	$(BIN)/ruff format --check graph_loader api tests bench
	$(BIN)/mypy --strict graph_loader api bench

test: lint neo4j-install ## Lint, then every test: tests/unit (no server) and tests/integration (real Neo4j)
	$(BIN)/pytest -q

test-unit: setup ## The unit tier alone: no server, seconds
	$(BIN)/pytest -q tests/unit

http-audit: setup ## graphql-http's GraphQL-over-HTTP audit suite against `imr-graph serve` (no Neo4j needed)
	cd tools/graphql-http-audit && npm install --no-audit --no-fund --silent
	@port=$$($(BIN)/python -c "from graph_loader.server.local_neo4j import free_port; print(free_port())"); \
	NEO4J_URI=bolt://127.0.0.1:1 $(CLI) serve --no-check-graph --port $$port --pid-file $(RUN_DIR)/audit.pid > /dev/null 2>&1 & \
	for i in $$(seq 100); do curl -sf http://127.0.0.1:$$port/graphql -H 'content-type: application/json' -d '{"query":"{__typename}"}' > /dev/null && break; sleep 0.2; done; \
	node tools/graphql-http-audit/audit.mjs http://127.0.0.1:$$port/graphql; status=$$?; \
	kill $$(cat $(RUN_DIR)/audit.pid); rm -f $(RUN_DIR)/audit.pid; exit $$status

SHARED ?= ../shared
score: setup ## The scorers' figures on the shared real letters (extraction: seed, dev, dev PDFs; denial reasons; answers, all and held-out fold)
	@test -d $(SHARED)/letters || { echo "score: $(SHARED)/letters not found (the shared corpus sits beside the project)"; exit 2; }
	@mkdir -p reports
	@for corpus in seed:seed dev:dev dev-pdf:dev; do \
	  letters=$${corpus%%:*}; gold=$${corpus##*:}; \
	  $(CLI) parse $(SHARED)/letters/$$letters > reports/parse-$$letters.jsonl; \
	  echo "== extraction, $$letters"; \
	  $(BIN)/python $(SHARED)/tools/score_extraction.py $(SHARED)/gold/$$gold reports/parse-$$letters.jsonl; \
	done
	@echo "== denial reasons, dev"
	@$(BIN)/python $(SHARED)/tools/score_reasons.py $(SHARED)/gold/dev-reasons.jsonl reports/parse-dev.jsonl
	@$(MAKE) --no-print-directory neo4j-install
	@for set in all fold; do $(BIN)/python -m bench.answers --set $$set --shared $(SHARED) || exit 1; done

docs: setup ## Regenerate the graph tables in docs/graph-model.md from graph_loader/graph/declaration.py
	$(BIN)/python -m graph_loader.graph.docs --write docs/graph-model.md
	$(BIN)/python -m graph_loader.export.tables --write docs/exports.md

schema: setup ## Re-export schema.graphql after a deliberate API change
	$(BIN)/python -m api.graphql.print_schema > schema.graphql

browser-check: setup ## Headless Chromium runs the flagship from the guide in Neo4j Browser (needs `make run` serving)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	cd tools/browser-check && npm install --no-audit --no-fund --silent
	node tools/browser-check/check.mjs "$$(grep '^NEO4J_PASSWORD=' .env | cut -d= -f2-)" docs/browser-check.png

API_URL ?= http://127.0.0.1:8000
ui-check: setup ## Headless Chromium: landing page, a chart, GraphiQL running the flagship -> docs/*.png (needs `make run` serving)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	cd tools/browser-check && npm install --no-audit --no-fund --silent
	node tools/browser-check/ui-check.mjs $(API_URL) docs

COMPOSE_VERSION := v2.29.7
compose-check: ## Validate docker/compose.yaml with `docker compose config` (builds the compose plugin if missing)
	@if ! docker compose version >/dev/null 2>&1; then \
	  echo "docker compose plugin missing: building $(COMPOSE_VERSION) from the Go module proxy"; \
	  GOFLAGS=-mod=mod go install github.com/docker/compose/v2/cmd@$(COMPOSE_VERSION) && \
	  mkdir -p $$HOME/.docker/cli-plugins && cp "$$(go env GOPATH)/bin/cmd" $$HOME/.docker/cli-plugins/docker-compose; \
	fi
	NEO4J_PASSWORD=check docker compose -f docker/compose.yaml config --quiet && echo "docker/compose.yaml: valid"

clean: stop ## Remove the virtualenv and the local Neo4j (data included)
	rm -rf $(VENV) .neo4j
