# wfkit: two commands a newcomer needs (see README.md):
#   make demo   set up .venv from nothing, run the model on the bundled data, print where results are
#   make test   set up .venv from nothing, lint (ruff) and run every test layer
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= outputs/demo
DEMO   ?= default
PYTEST_ARGS ?=
# exact versions of every package, the build backend's included (refresh on purpose: make lock)
LOCK   := requirements/lock.txt
UV     ?= uv==0.13.9
LOCK_ARGS ?= --upgrade

.PHONY: demo test lint unit integration notebooks benchmark benchmark-notebooks clean setup regen bytecode chromium lock

setup: $(STAMP)

# Installs the exact versions of the lock file (hash-checked), then wfkit itself with the
# build backend the lock installed (no download at build time, so it also works offline).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the lock file on purpose: the newest versions pyproject.toml allows, for Linux,
# macOS and Windows, Python 3.11 and later (LOCK_ARGS= keeps today's pins and only adds what
# pyproject.toml newly asks for). Review the diff and run make test before committing.
.PHONY: lock
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(UV)"
	$(BIN)/python -c "import tomllib; b = tomllib.load(open('pyproject.toml', 'rb'))['build-system']; print('\\n'.join(['pip', *b['requires']]))" \
	  | $(BIN)/uv pip compile pyproject.toml - --extra dev --extra training --universal --python-version 3.11 \
	    --generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK)

# wfkit is installed editable: byte-compile its source as a wheel install would, so each
# kernel and process reads .pyc files instead of compiling every module (about 0.1 s a
# kernel; PYTHONDONTWRITEBYTECODE=1 would otherwise stop Python writing them). A file
# edited later is recompiled by Python as usual (the .pyc records its source's mtime).
bytecode: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q wfkit

demo: bytecode
	$(BIN)/wfkit run $(DEMO) --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# the browser tests drive Debian's Chromium (Playwright's own download is not reachable)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# LibreOffice Calc, for the test that a workbook re-saved by it reads back the same (about
# 240 MB of packages: not part of `make test`, which skips that one test without it; .ci/run
# installs it)
.PHONY: libreoffice
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libreoffice-calc; }

test: lint bytecode chromium
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Refresh the pictures the README shows (docs/img/explorer.png, notebook.png, report.png)
# from the pages the browser tests check; review them before committing.
.PHONY: screenshots
screenshots: bytecode chromium
	WFKIT_SCREENSHOTS=docs/img $(BIN)/python -m pytest -p no:randomly tests/browser $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/python -m pytest -m unit $(PYTEST_ARGS)

integration: $(STAMP)
	$(BIN)/python -m pytest -m integration $(PYTEST_ARGS)

# Regenerate committed expected results on purpose; review the diff before committing.
regen: $(STAMP)
	$(BIN)/python -m tests.integration.regenerate

benchmark: bytecode
	$(BIN)/python benchmarks/run.py

# Each notebook under papermill beside a bare pandas + altair notebook (about 4 minutes).
benchmark-notebooks: bytecode
	$(BIN)/python benchmarks/notebooks.py 9

clean:
	rm -rf $(VENV) outputs .pytest_cache .ruff_cache .hypothesis

# Regenerate docs/backtest.md and its charts (docs/img/backtest-*.png) from the bundled data.
.PHONY: backtest-docs
backtest-docs: $(STAMP)
	$(BIN)/python docs/build_backtest.py --write docs/

# PACE-HRH's demo-sized work through wfkit, like against like: wfkit run as a whole process against
# PACE-HRH's whole process (issue 18's figure), compute inside a new process apart (benchmarks/README.md).
.PHONY: benchmark-pace
benchmark-pace: bytecode
	$(BIN)/python benchmarks/pace.py

# Monte Carlo at national scale: 1,000 draws for every network in chunks (time, peak RSS), and on 1 and 2 local Dask workers (issue 13).
.PHONY: benchmark-montecarlo
benchmark-montecarlo: bytecode
	$(BIN)/python -m benchmarks.montecarlo

# import wfkit and wfkit's front doors as whole processes beside import pandas (issue 18).
.PHONY: benchmark-import
benchmark-import: bytecode
	$(BIN)/python benchmarks/importtime.py

# Every practice in England through run_scenario and wfkit run (issue 13; a few minutes).
.PHONY: benchmark-path
benchmark-path: bytecode
	$(BIN)/python benchmarks/path.py

# The training pack to browse, project, print and hand out (training/build_site.py), made from
# its pages with no network into outputs/training/: site/ (mkdocs), print/, slides/, and
# cheatsheet.html with cheatsheet.pdf (printed by Chromium: make chromium).
.PHONY: training
training: $(STAMP) chromium
	$(BIN)/python training/build_site.py

# The trainer's offline installer (training/setup/README.md): every wheel of requirements/lock.txt
# for Python 3.11 on Windows, macOS and Linux, and a wfkit wheel, into wheelhouse/ (needs
# internet; checks every requirement has a wheel for every platform). Learners then run
# `python -m pip install --no-index --find-links wheelhouse wfkit`.
.PHONY: wheelhouse
wheelhouse: $(STAMP)
	$(BIN)/python training/wheelhouse.py

# Fit assumptions/flows.csv (joiner rates) to the committed staff-in-post series
# (data/workforce/role_trends.csv, made by wfkit data build); the leaver rates are kept.
.PHONY: flows
flows: $(STAMP)
	$(BIN)/python -c "from wfkit.data.trends import write_flows; print(write_flows())"

# after changing a setting's declaration (wfkit/settings.py): the scenario JSON Schema made
# from the declarations, and compiled to Python
.PHONY: regen-schema
regen-schema: $(STAMP)
	$(BIN)/python -m wfkit.scenario.schema
