# samtale: `make demo` renders every product into output/, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := output

.PHONY: demo test test-slow test-wheel lint bench syscheck install clean messages

demo: $(VENV)/.installed
	$(BIN)/samtale validate
	$(BIN)/samtale render --out $(OUT)
	@echo
	@echo "The materials are in $(abspath $(OUT))/"

# One test file: .venv/bin/python -m pytest tests/test_geometry.py
# Two workers that steal each other's remaining tests: files stay together (their fixtures are made once) until the end.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n 2 --dist worksteal -m "not wheel and not slow"

# The tests that start real processes and wait on them: Ctrl-C and kill, two runs at once, spawned workers, --watch,
# and the browser (Debian's Chromium: apt-get install chromium chromium-driver; skipped, saying so, without it).
test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n 2 --dist worksteal -m slow

# The wheel as pipx installs it, into a fresh environment outside the repository (slow: CI runs it).
test-wheel: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m wheel tests/test_wheel.py

# What CI checks before the tests: lint, types and the import layers (stages import only downwards).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check cli tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# samtale's messages: extract them from the code (samtale.pot), bring the Danish catalogue up to date (da/…/samtale.po:
# translate what is new or marked fuzzy there), and compile it (samtale.mo, shipped in the wheel; commit all three).
LOCALE := cli/samtale/locale
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k n_:1,2 -k N_ --no-location --no-wrap --sort-output --omit-header \
	  --project samtale --msgid-bugs-address "" -o $(LOCALE)/samtale.pot .
	$(BIN)/pybabel update -i $(LOCALE)/samtale.pot -d $(LOCALE) -D samtale -l da --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALE) -D samtale -l da --statistics

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench.py

install: $(VENV)/.installed

APT_LINE := sudo apt-get update && sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core

# WeasyPrint draws text with Pango; without it nothing renders. Without HarfBuzz's subsetter it
# renders at half speed (fonts subset with fontTools): say so, but go on.
syscheck:
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(0 if all(u.find_library(n) for n in ('pango-1.0', 'pangoft2-1.0', 'harfbuzz')) else 1)" || { \
	  echo "samtale needs the Pango text libraries that WeasyPrint uses. Install them with:"; \
	  echo "  $(APT_LINE)"; \
	  exit 1; }
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(0 if u.find_library('harfbuzz-subset') else 1)" || { \
	  echo "Note: HarfBuzz's font subsetter (libharfbuzz-subset0) is missing, so every PDF takes about twice as long. Install it with:"; \
	  echo "  $(APT_LINE)"; }

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml | syscheck $(VENV)/.created
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | syscheck $(VENV)/.created
	$(BIN)/python -m pip install -q -e '.[test,lint]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) $(OUT)/*/ build dist
