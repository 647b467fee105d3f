# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make build   → .venv from pinned requirements, then the site into site/ (strict)
#   make test    → the same set-up, then every test
# ENGINE=properdocs does either on ProperDocs, the continuation of MkDocs 1.x, instead of
# MkDocs 1.6 (DEVELOPING.md#engines): its own .venv-properdocs from requirements-properdocs.txt.
PYTHON ?= python3
ENGINE ?= mkdocs
ifeq ($(ENGINE),mkdocs)
VENV := .venv
REQUIREMENTS := requirements.txt
else ifeq ($(ENGINE),properdocs)
VENV := .venv-properdocs
REQUIREMENTS := requirements-properdocs.txt
# every package is pinned; --no-deps keeps out the `mkdocs` that Material and mkdocs-macros declare
PIP_FLAGS := --no-deps
else
$(error ENGINE is mkdocs or properdocs, not "$(ENGINE)")
endif
BIN := $(VENV)/bin
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
# the engine the tests start as a command (macros/engine/mkdocs_adapter.py: ENGINE_COMMAND)
export QC_ENGINE := $(ENGINE)

.PHONY: build test test-fast serve check clean pdf docx bench

$(BIN)/.installed: $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check $(PIP_FLAGS) -r $(REQUIREMENTS)
	touch $@

build: $(BIN)/.installed
	$(BIN)/python -m macros check
	$(BIN)/$(ENGINE) build --strict --clean --site-dir site --config-file mkdocs.yml
	$(BIN)/python -m macros desk --site-dir site

# PYTEST_ARGS: more for pytest, e.g. -m "not output" (.ci/run's second engine; tests/conftest.py)
test: $(BIN)/.installed browser server-tools node_modules/.installed
	$(BIN)/python -m pytest -q $(PYTEST_ARGS) tests

# The in-process tests only (no build, browser or server; see tests/conftest.py): under a minute.
test-fast: $(BIN)/.installed
	QC_TEST_FAST=1 $(BIN)/python -m pytest -q -m "not build and not browser and not server" tests

check: $(BIN)/.installed
	$(BIN)/python -m macros check

serve: $(BIN)/.installed
	$(BIN)/$(ENGINE) serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT) --config-file mkdocs.yml

clean:
	rm -rf site .venv .venv-properdocs .cache/covers

# Each bulletin as a printed 简报 (A4 PDF, GB/T 9704 page set-up) and a Word file in pdf/, also put
# next to its page in site/ and linked from it (tools/pdf.py; needs `make browser`).
pdf: build browser
	$(BIN)/python tools/pdf.py site pdf --into-site

# The Word editions only, into pdf/ (no browser needed).
docx: build
	$(BIN)/python tools/pdf.py site pdf --only docx

.PHONY: browser audit

# Debian's Chromium and CJK fonts, for the browser tests and the audit: installed (quietly)
# when missing and run as root; otherwise it says what to install and stops.
browser:
	@bash tools/install-browser.sh

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make audit and the desk need Node.js and npm: run \`sudo apt-get install nodejs npm\`" >&2; exit 1; }
	npm ci --loglevel=error --no-audit --no-fund
	touch $@

.PHONY: desk desk-assets

# The editors' desk (/admin/, Sveltia CMS pinned in package.json): `make build` adds it to site/
# when node_modules/ holds the CMS and says so when it does not; this installs it first.
desk-assets: $(BIN)/.installed node_modules/.installed
	$(BIN)/python -m macros desk --site-dir site

# The desk on this computer, for a school without a Git server: open the address in Chrome or
# Edge, press 使用本地仓库 and choose this folder; the desk writes the files here (OPERATIONS.md).
# Its 预览 links open `make serve`'s preview (run it in a second terminal), which shows content
# with problems as the list of them, in Chinese.
DESK_PORT ?= 8001
desk: build desk-assets
	$(BIN)/python -m macros desk --site-dir site --site-url http://127.0.0.1:$(PORT)/
	@echo "编辑台：http://127.0.0.1:$(DESK_PORT)/admin/ （用 Chrome 或 Edge 打开；按 Ctrl+C 结束）"
	@echo "预览：另开一个终端运行 make serve，编辑台的「预览」链接打开 http://127.0.0.1:$(PORT)/"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory site $(DESK_PORT)

# Lighthouse (mobile, default throttling) on every page type: a table of scores and weights.
# A report: low scores do not fail it; Lighthouse failing to run does.
audit: $(BIN)/.installed browser node_modules/.installed
	$(BIN)/python tools/audit.py

# Build speed: a synthetic school of N = 1,000, 2,000 and 5,000 news items (Chinese from a Markov
# chain of real reports, a distinct photo on every other item) built cold, warm and with search,
# beside a bare Material build of the same pages; whole-process-tree peak memory; then the
# preview's reload time. The first run generates 2,500 photos into bench/.photos/ (kept).
bench: $(BIN)/.installed browser
	cd bench && ../$(BIN)/python run.py 1000 2000 5000
	cd bench && ../$(BIN)/python serve_reload.py 5000
	cd bench && ../$(BIN)/python search_recall.py 5000

.PHONY: server-tools nginx deploy rollback

# Debian's nginx, rsync, openssl and ssh, for the nginx and deploy tests, `make nginx` and
# `make deploy`: installed (quietly) when missing and run as root, like the browser.
server-tools:
	@bash tools/install-server-tools.sh

# The real nginx over site/ with deploy/nginx/'s configuration, in the foreground (Ctrl-C):
#   make build && make nginx [PORT=8080]      (no PORT: a free port, printed)
#   make nginx SITE=/srv/qcdx/current         (a symlink is followed at each request: a rollback shows at once)
SITE ?= site
nginx: $(BIN)/.installed server-tools
	$(BIN)/python tools/nginx.py --site $(SITE) $(if $(filter command line environment,$(origin PORT)),--port $(PORT))

# Upload site/ as a new release and switch `current` to it; list, switch, roll back, pin, take down
# (OPERATIONS.md#deploy, #releases, #takedown). TARGET is deploy@host (the deploy key's forced
# command, deploy/receive.sh, decides the folder) or a local folder:
#   make deploy TARGET=deploy@qcdx.example.cn          (DEPLOY_SSH_PORT=2222 for another port;
#                                                       KEEP=10 builds kept in a local folder)
#   make releases TARGET=…    make switch TARGET=… RELEASE=20261201T161500Z-1a2b3c4d5e
#   make rollback TARGET=…    make pin TARGET=… REASON=…    make unpin TARGET=…
#   make takedown TARGET=… PAGE=/news/2026/xxx/            make takedown-clear TARGET=… PAGE=…|all
#   make pack OUT=release     (a tarball the server pulls: deploy/pull.sh)
.PHONY: releases switch pin unpin takedown takedown-clear takedowns pack
need_target = @test -n "$(TARGET)" || { echo "usage: make $@ TARGET=deploy@host (or a local folder)$(1)" >&2; exit 2; }

deploy: build
	$(call need_target)
	$(if $(KEEP),DEPLOY_KEEP=$(KEEP) )bash deploy/deploy.sh deploy site "$(TARGET)"

rollback releases unpin takedowns:
	$(call need_target)
	@bash deploy/deploy.sh $@ "$(TARGET)"

switch:
	$(call need_target, RELEASE=name)
	@test -n "$(RELEASE)" || { echo "usage: make switch TARGET=… RELEASE=name (make releases TARGET=… lists them)" >&2; exit 2; }
	@bash deploy/deploy.sh switch "$(TARGET)" "$(RELEASE)"

pin:
	$(call need_target, [REASON=…])
	@bash deploy/deploy.sh pin "$(TARGET)" $(REASON)

takedown takedown-clear:
	$(call need_target, PAGE=/news/2026/xxx/)
	@test -n "$(PAGE)" || { echo "usage: make $@ TARGET=… PAGE=/news/2026/xxx/" >&2; exit 2; }
	@bash deploy/deploy.sh $@ "$(TARGET)" "$(PAGE)"

OUT ?= release
pack: build
	bash deploy/pack.sh site "$(OUT)"
