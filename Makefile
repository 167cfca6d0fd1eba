# civicloop — two commands set everything up: `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PORT    ?= 8000
SCALE   ?= 0.02
SEED    ?= 1
export PORT

.PHONY: demo test lint bench cluster cluster-down cluster-test cluster-bench install install-test static fonts migrate serve clean messages messages-update

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installed when pyproject.toml changes (stamp files keep re-runs quick).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed static messages fonts
install-test: $(VENV)/.installed-test static messages fonts

static:
	@scripts/vendor-static.sh

# The CJK font the weekly report's PDF is set in (Debian's fonts-wqy-microhei; apt when missing).
fonts:
	@scripts/fonts.sh

messages: $(VENV)/.installed
	@$(BIN)/civicloop compilemessages -v0 --ignore '.venv/*' --ignore 'node_modules/*'

# Refresh the English catalogue from code and templates, compile, and list untranslated strings.
messages-update: $(VENV)/.installed-test
	@scripts/i18n-check.sh

migrate: install
	$(BIN)/civicloop migrate -v0

# Demo: a small Xuhui (ready in well under two minutes); full scale: `make demo SCALE=1`.
demo: migrate
	$(BIN)/civicloop demo --preset xuhui --scale $(SCALE) --seed $(SEED)
	$(BIN)/civicloop serve --port $(PORT)

serve: migrate
	$(BIN)/civicloop serve --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests

test: install-test
	@scripts/test.sh

bench: install-test
	@scripts/bench.sh

# Several app servers on loopback (issue 20): PostgreSQL + streaming replica, Redis, HAProxy, 3 gunicorns, RQ workers.
cluster: migrate
	$(BIN)/civicloop cluster up

cluster-down:
	$(BIN)/civicloop cluster down

# The failure tests (kill an app server, a worker; stop the replica; promote it): ~4 min, so not in `make test`.
cluster-test: install-test
	@scripts/cluster-test.sh

# 3 app servers vs 1, the dashboard on the replica vs the primary under writes, sizes (docs/scaling.md).
cluster-bench: install-test
	@scripts/cluster-bench.sh

clean:
	rm -rf var node_modules src/civicloop/static/vendor
