# Briefing: `make serve` and `make test` each build .venv on first use.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
DATA ?= $(CURDIR)/.briefing
HOST ?= 127.0.0.1
PORT ?= 7860
# make bench BENCH_ARGS=--quick runs smaller sizes.
# llama-cpp-python compiles from source once per machine (about 10 minutes); LOCAL_LLM=0 skips it.
LOCAL_LLM ?= 1
EXTRAS := $(if $(filter 1,$(LOCAL_LLM)),local,)
# LOCAL_LLM=0 must win even where an earlier install already has the local model.
ifneq ($(LOCAL_LLM),1)
export BRIEFING_GENERATOR := extractive
endif

export BRIEFING_DATA_DIR ?= $(DATA)
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: serve test lint bench clean install dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# torch first, pinned: a bare torch requirement would pull a multi-GB CUDA build. Everything else
# within constraints.txt, the versions the documented figures were measured with.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e ".[$(EXTRAS)]" torch==2.13.0
	touch $@

# The browser tests drive Debian's chromium through Playwright (`playwright install` cannot
# download browsers here); order-only, so an upgraded chromium does not force a reinstall.
CHROMIUM ?= /usr/bin/chromium

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

$(VENV)/.dev: $(VENV)/.installed | $(CHROMIUM)
	$(PIP) install --quiet -c constraints.txt -e ".[$(EXTRAS),dev,bench,multilingual]" torch==2.13.0
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

serve: $(VENV)/.installed
	$(BIN)/briefing serve --host $(HOST) --port $(PORT) --seed corpus/

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python -m bench.run_all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .briefing .pytest_cache .mypy_cache .ruff_cache
