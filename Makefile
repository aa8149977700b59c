# Kessai Desk — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(shell go env GOPATH 2>/dev/null)/bin:$(PATH)
WAILS := wails
GOTEST_FLAGS ?= -race -count=1
# go-sqlite3 compiles SQLite's FTS5 (the order search's index) in only with this tag:
# every go build, vet and test of the module needs it (wails.json's build:tags too).
GO_TAGS := sqlite_fts5

.PHONY: run test deps deps-test deps-screens build bindings frontend licenses go-test go-vet frontend-test keyring-test e2e screenshot screenshots bench mutate windows clean

# The app's binary and what it is built from: `make run` rebuilds only when one of these
# is newer than the binary (Go sources, go.mod/go.sum, wails.json, the frontend's sources
# and lock file); otherwise it starts the binary that is there.
BIN := build/bin/kessaidesk
GO_SRC := $(shell find . -name '*.go' ! -name '*_test.go' -not -path './frontend/*' -not -path './build/bin/*' -not -path './hostile/*' 2>/dev/null) \
	go.mod go.sum wails.json $(wildcard backend/*/presets/*.json backend/sqlite/migrations/*.sql)
FRONT_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/package.json frontend/package-lock.json frontend/vite.config.* frontend/tsconfig*.json)

## run: install what is missing, build when a source changed, and start the app
run: deps $(BIN)
	./$(BIN)

$(BIN): $(GO_SRC) $(FRONT_SRC)
	@$(MAKE) --no-print-directory build

## test: install what is missing and run every test (what CI runs)
test: deps-test go-vet go-test frontend-test keyring-test e2e
	@echo "==> all tests passed"

deps:
	@build/scripts/deps.sh run

deps-test:
	@build/scripts/deps.sh test

deps-screens:
	@build/scripts/deps.sh screens

bindings:
	$(WAILS) generate module

frontend: bindings
	cd frontend && npm run build

# build: always builds. The frontend is built here rather than by the CLI, which would
# run npm ci (deps.sh already keeps node_modules as locked).
build: licenses frontend
	$(WAILS) build -s -skipbindings -nosyncgomod \
		-ldflags "-X main.version=$$(git describe --tags --always 2>/dev/null || echo dev) -X main.buildDate=$$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	@touch $(BIN)

## licenses: the licences of the shipped Go modules and npm packages, for About (backend/licenses/licenses.json)
licenses:
	go run ./build/licenses

go-vet:
	go vet -tags $(GO_TAGS) ./...

# The tests run beside a throwaway PostgreSQL server (build/scripts/pg.sh: Debian's package,
# a cluster in a temp dir, KESSAIDESK_TEST_PG set), so the PostgreSQL store's tests run too;
# without the variable (plain `go test ./...`) they skip.
go-test:
	build/scripts/pg.sh run go test -tags $(GO_TAGS) $(GOTEST_FLAGS) ./...

frontend-test: bindings
	cd frontend && npm test && npm run build

# The real keychain (Secret Service on Linux) through the app's own vault code.
keyring-test:
	@build/scripts/keyring-test.sh

# Real-browser end to end: the dev-tagged app under Xvfb, driven by Chromium (beside a
# throwaway PostgreSQL server for the shared-database scripts).
e2e: frontend
	@build/scripts/pg.sh run build/scripts/e2e.sh

## screenshot: a PNG of the real window under Xvfb (build/bin/screenshot.png)
screenshot: deps-test frontend
	@build/scripts/screenshot.sh

## screenshots: every screen of the real window at 1366×768 and 1920×1080, in Japanese and
## English, light and dark (build/bin/screens/<lang>-<theme>-<size>-<screen>.png; several
## minutes, not in `make test`)
screenshots: deps-screens frontend
	@build/scripts/screenshots.sh

## bench: benchmarks that print figures beside their goals (search on 1,000,000 orders,
## on SQLite and beside it on PostgreSQL, export of 1,000,000 orders, import and re-import,
## bulk capture, sync, the move to the server) and the real window on 1,000,000 orders
## (cold start, memory: build/bench/window.sh). Beside a throwaway PostgreSQL server
## (pg.sh), so the PostgreSQL store's benchmarks run too.
bench:
	KESSAIDESK_EXPORT_ORDERS=1000000 build/scripts/pg.sh run go test -tags $(GO_TAGS),sqlite_dbstat -run '^$$' -bench . -benchtime 1x -timeout 90m ./backend/...
	@build/bench/window.sh

## mutate: mutation testing of the payment rules (gremlins + build/mutants; about 20 minutes, not in `make test`)
mutate:
	@build/scripts/mutate.sh

## windows: the Windows installer (NSIS, per-user) cross-built from Linux
windows: deps
	@build/scripts/windows.sh

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html
