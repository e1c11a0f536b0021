# samtale: `make demo` renders every product into output/, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := output

.PHONY: demo test bench syscheck install clean

demo: $(VENV)/.installed
	$(BIN)/samtale validate
	$(BIN)/samtale render --out $(OUT)
	@echo
	@echo "The materials are in $(abspath $(OUT))/"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n 2

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench.py

install: $(VENV)/.installed

# WeasyPrint draws text with Pango; without it nothing renders.
syscheck:
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(0 if all(u.find_library(n) for n in ('pango-1.0', 'pangoft2-1.0', 'harfbuzz')) else 1)" || { \
	  echo "samtale needs the Pango text libraries that WeasyPrint uses. Install them with:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core"; \
	  exit 1; }

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml | syscheck $(VENV)/.created
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | syscheck $(VENV)/.created
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) $(OUT)/*/ build dist
