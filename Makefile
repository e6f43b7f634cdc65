# AppJudge: `make demo` evaluates the bundled todo-list sample; `make test` runs the test suite.
# Both install the Debian packages AppJudge needs when they are missing.

SWIFT ?= swift
# Runtime: private display, browser, sandbox (bubblewrap; slirp4netns and util-linux for the
# install network), the stacks' runtimes (Python with venv and Tk; Node), OCR; build: C
# libraries; bench: the baselines.
PACKAGES := xvfb chromium bubblewrap slirp4netns util-linux python3 python3-venv python3-tk \
            tesseract-ocr tesseract-ocr-eng fonts-dejavu-core \
            libx11-dev libxres-dev libxdo-dev libpng-dev libtesseract-dev libcurl4-openssl-dev pkg-config imagemagick x11-apps
# deploy/: the container image's build and run tools (runc: Debian 12's crun cannot run on a
# hybrid cgroup host), and the validators of the Kubernetes, GitHub and GitLab files, pinned, in
# a virtual environment of their own (Debian 12's pip refuses to install into the system Python).
IMAGE_PACKAGES := mmdebstrap podman runc uidmap
DEPLOY_VENV := .build/deploy-venv
DEPLOY_PIP := check-jsonschema==0.39.0 kubernetes-validate==1.37.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tesseract's OpenMP threads spin on small machines; appjudge sets this itself, tests need it here.
export OMP_THREAD_LIMIT := 1

.PHONY: all deps build release test check demo bench image format clean

all: build

deps:
	@missing=""; for p in $(PACKAGES) $(IMAGE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@for tool in check-jsonschema kubernetes-validate; do [ -x $(DEPLOY_VENV)/bin/$$tool ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing into $(DEPLOY_VENV): $(DEPLOY_PIP)"; \
	  python3 -m venv $(DEPLOY_VENV) && $(DEPLOY_VENV)/bin/pip install -q $(DEPLOY_PIP); \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The end-to-end tests drive the release binary; suites run one at a time because they share
# the machine's two cores and check that no process of theirs is left running.
test: release
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# The inner loop: unit and in-process tests (fakes, real Xvfb and xdo, no browser and no
# evaluation end to end), at most a few minutes. `make test` stays the full gate.
check: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel --skip EndToEndTests --skip BrowserTests --skip ContainerImageTests

demo: release
	@bin=$$($(SWIFT) build -c release --show-bin-path)/appjudge; run=demo-$$(date -u +%Y%m%d-%H%M%S); \
	echo "== Evaluating the correct reference implementation"; \
	$$bin run --task tasks/todo-list --repo tasks/todo-list/reference --run-id $$run --out results/$$run/reference; ref=$$?; \
	echo; echo "== Evaluating a broken variant (tasks do not survive a reload)"; \
	$$bin run --task tasks/todo-list --repo tasks/todo-list/broken/no-persist --run-id $$run --out results/$$run/broken; broken=$$?; \
	echo; echo "== Evaluating a desktop app: the tkinter calculator reference"; \
	$$bin run --task tasks/calculator --repo tasks/calculator/reference --run-id $$run --out results/$$run/desktop; desk=$$?; \
	echo; echo "HTML reports:"; \
	echo "  reference: results/$$run/reference/todo-list/report.html (exit $$ref)"; \
	echo "  broken:    results/$$run/broken/todo-list/report.html (exit $$broken)"; \
	echo "  desktop:   results/$$run/desktop/calculator/report.html (exit $$desk)"; \
	[ $$ref -eq 0 ] && [ $$broken -eq 1 ] && [ $$desk -eq 0 ]

bench: release
	bench/run.sh

# The container image localhost/appjudge:<version> and :latest (deploy/README.md).
image: deps
	deploy/image/build.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build
