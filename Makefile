# The two set-up commands of the README: `make run` and `make test`.
# Everything a fresh machine needs is installed from here (Python packages from PyPI,
# front-end libraries from the npm registry, Chromium and gettext from Debian).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BAKEN := $(BIN)/baken
VENDOR := src/baken/core/static/vendor

.PHONY: run test smoke dist lint assets messages browser icu pango clean

$(BIN)/.installed-dev: pyproject.toml | icu pango
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(BIN)/.installed

$(BIN)/.installed: pyproject.toml | icu pango
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The minified libraries name their source maps (`//# sourceMappingURL=…`); the maps are copied
# beside them, because collectstatic's manifest storage refuses a file whose map is missing.
$(VENDOR)/.installed: node_modules/.installed Makefile
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js
	mkdir -p $(VENDOR)/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	mkdir -p $(VENDOR)/cytoscape
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape/
	mkdir -p $(VENDOR)/leaflet.markercluster $(VENDOR)/leaflet.heat
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/leaflet.markercluster/
	cp node_modules/leaflet.heat/dist/leaflet-heat.js $(VENDOR)/leaflet.heat/
	mkdir -p $(VENDOR)/chart.js
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chart.js/
	touch $@

# The fonts the PDFs draw with (WeasyPrint), from Debian's fonts-dejavu-core, go into the
# package too, so that a PDF looks the same on any server (baken/core/pdf.py).
FONTS := src/baken/core/fonts
$(FONTS)/.installed: Makefile | pango
	mkdir -p $(FONTS)
	cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf $(FONTS)/
	cp /usr/share/doc/fonts-dejavu-core/copyright $(FONTS)/LICENSE.txt
	touch $@

assets: $(VENDOR)/.installed $(FONTS)/.installed

# Compiled catalogues are build output; the .po files are the source.
messages: | $(BIN)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	cd src/baken && ../../$(BAKEN) compilemessages --verbosity 0 --settings=baken.settings.test

# followthemoney (the FtM export) needs pyicu, which PyPI has only as source: it builds
# against ICU with pkg-config and a C++ compiler.
icu:
	@(command -v pkg-config >/dev/null && pkg-config --exists icu-i18n && command -v g++ >/dev/null) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null)

# WeasyPrint (PDFs) draws with Pango and needs a font.
pango:
	@(ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig >/dev/null)

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

run: export BAKEN_DEBUG ?= on
# The demo municipality, as the processing register names its controller.
run: export BAKEN_MUNICIPALITY_NAME ?= Gemeente Havenwaard
run: $(BIN)/.installed assets
	$(MAKE) --no-print-directory messages
	$(BAKEN) migrate --noinput --verbosity 0
	$(BAKEN) demo-setup
	@# The tasks worker and the scheduler run beside the web server and stop with it.
	$(BAKEN) db_worker --verbosity 0 & worker=$$!; $(BAKEN) scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BAKEN) runserver 127.0.0.1:8000

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/baken
	$(BIN)/lint-imports
	$(BAKEN) makemigrations --check --dry-run --settings=baken.settings.test

test: $(BIN)/.installed-dev assets browser
	$(MAKE) --no-print-directory messages
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest
	$(MAKE) --no-print-directory smoke

# The product: an sdist and, built from it, the wheel, with the front-end libraries and the
# compiled catalogues inside (docs/production.md).
DIST ?= dist
dist: $(BIN)/.installed-dev assets
	$(MAKE) --no-print-directory messages
	mkdir -p $(DIST)
	$(BIN)/python -m build --outdir $(DIST) . >$(DIST)/build.log 2>&1 || (cat $(DIST)/build.log; exit 1)
	@rm -f $(DIST)/build.log
	@ls $(DIST)

# The built wheel in a fresh venv outside the tree, with production settings (docs/production.md).
smoke: $(BIN)/.installed-dev assets
	.ci/production-smoke

clean:
	rm -rf $(VENV) node_modules $(VENDOR) $(FONTS) .pytest_cache .ruff_cache
