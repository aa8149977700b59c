# Kessai Desk — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(shell go env GOPATH 2>/dev/null)/bin:$(PATH)
WAILS := wails
GOTEST_FLAGS ?= -race -count=1

.PHONY: run test deps deps-test build bindings frontend go-test go-vet frontend-test keyring-test e2e screenshot bench mutate windows clean

## run: install what is missing, build, and start the app on the demo shop
run: deps build
	./build/bin/kessaidesk

## test: install what is missing and run every test (what CI runs)
test: deps-test go-vet go-test frontend-test keyring-test e2e
	@echo "==> all tests passed"

deps:
	@build/scripts/deps.sh run

deps-test:
	@build/scripts/deps.sh test

bindings:
	$(WAILS) generate module

frontend: bindings
	cd frontend && npm run build

build:
	$(WAILS) build -clean -nosyncgomod -ldflags "-X main.version=$$(git describe --tags --always 2>/dev/null || echo dev)"

go-vet:
	go vet ./...

go-test:
	go test $(GOTEST_FLAGS) ./...

frontend-test: bindings
	cd frontend && npm test && npm run build

# The real keychain (Secret Service on Linux) through the app's own vault code.
keyring-test:
	@build/scripts/keyring-test.sh

# Real-browser end to end: the dev-tagged app under Xvfb, driven by Chromium.
e2e: frontend
	@build/scripts/e2e.sh

## screenshot: a PNG of the real window under Xvfb (build/bin/screenshot.png)
screenshot: deps-test frontend
	@build/scripts/screenshot.sh

## bench: benchmarks that print figures (search on 1,000,000 orders, bulk capture, sync)
bench:
	go test -run '^$$' -bench . -benchtime 1x -timeout 60m ./backend/...

## mutate: mutation testing of the payment rules (gremlins + build/mutants; about 20 minutes, not in `make test`)
mutate:
	@build/scripts/mutate.sh

## windows: the Windows installer (NSIS, per-user) cross-built from Linux
windows: deps
	@build/scripts/windows.sh

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html
