# Two commands set up everything: `make lab` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: env lab test test-unit test-notebooks test-browser notebooks nav student bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

env: $(STAMP)  ## create .venv with bplib and everything the course needs

lab: $(STAMP)  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks 00_index.ipynb

test: test-unit test-notebooks test-browser  ## every test: library, notebooks (strict nbval), browser

test-unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 tests --ignore=tests/browser

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval \
		--nbval-sanitize-with tests/sanitize.cfg notebooks

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

notebooks: $(STAMP)  ## re-execute every notebook in place (regenerates stored outputs)
	$(BIN)/python tools/run_notebooks.py

nav: $(STAMP)  ## regenerate the navigation cells and the contents table
	$(BIN)/python tools/navigation.py

student: $(STAMP)  ## write student versions (solutions stubbed, outputs cleared) to build/student
	$(BIN)/python tools/make_student.py

bench: $(STAMP)  ## run the benchmarks (installs PyTorch for the comparison) and write benchmarks/RESULTS.md
	$(BIN)/python -m pip install --quiet torch==2.13.0 || echo "PyTorch not installed: its columns will be skipped"
	$(BIN)/python -m pip install --quiet threadpoolctl || echo "threadpoolctl not installed: the BLAS thread count is guessed"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build artifacts .pytest_cache
