# Rehome's two commands: `make run` (set up what is missing, build, open Rehome) and
# `make test` (the whole suite). Everything else here is what those two are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)

# Debian/Ubuntu packages: what building and running needs, and what the tests need on top.
RUN_PACKAGES := build-essential pkg-config curl wget file libssl-dev libxdo-dev \
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
TEST_PACKAGES := webkit2gtk-driver xvfb xauth x11-utils imagemagick dbus dbus-x11 gnome-keyring keyutils chromium python3-xlib
NODE_MIN := 20.19
TAURI := ui/node_modules/.bin/tauri
TAURI_DRIVER := .tools/bin/tauri-driver
CARGO_DENY := .tools/bin/cargo-deny

.PHONY: run dev test deps test-deps toolchain ui bindings lint test-rust test-ui test-a11y bench fuzz faults audit \
  screenshots deb sandbox clean

## run: set up what is missing, build and open Rehome
run: deps ui
	cargo run -p rehome

## dev: Rehome with the UI hot-reloading (Vite dev server)
dev: deps
	$(TAURI) dev

## test: lints, Rust tests (unit, IPC, bindings, end-to-end), UI unit tests, accessibility
test: deps test-deps ui lint test-ui test-a11y test-rust

deps: toolchain ui/node_modules/.installed
	@$(call install_packages,$(RUN_PACKAGES))

test-deps: $(TAURI_DRIVER)
	@$(call install_packages,$(TEST_PACKAGES))

# Installs the missing packages as root or with passwordless sudo; otherwise says exactly what to run.
define install_packages
missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
missing=$$(echo $$missing); \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo=sudo; else \
    echo "Rehome needs these system packages. Install them, then run make again:"; \
    echo "  sudo apt-get install -y --no-install-recommends $$missing"; exit 1; fi; \
  echo "Installing system packages: $$missing"; \
  ( $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null ) || { \
    echo "Could not install the system packages. Run this, then run make again:"; \
    echo "  sudo apt-get install -y --no-install-recommends $$missing"; exit 1; }; \
fi
endef

toolchain:
	@command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs, then run make again."; exit 1; }
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  echo "Node.js $(NODE_MIN) or newer is missing (with npm): install it, then run make again."; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number),[x,y]="$(NODE_MIN)".split(".").map(Number); process.exit(a>x||(a===x&&b>=y)?0:1)' || { \
	  echo "Node.js $$(node --version) is too old: Rehome's UI tools need $(NODE_MIN) or newer."; exit 1; }

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

$(TAURI_DRIVER):
	cargo install tauri-driver --version '^2' --locked --root .tools

$(CARGO_DENY):
	cargo install cargo-deny --version '^0.20' --locked --root .tools

## ui: build the web UI into ui/dist (the app embeds it)
ui: ui/node_modules/.installed
	cd ui && npm run build

## bindings: regenerate the TypeScript types of everything that crosses IPC
bindings:
	REHOME_WRITE_BINDINGS=1 cargo test -p rehome --lib bindings

# Dependencies: licences, banned crates and sources (deny.toml) need no network; known
# vulnerabilities need the advisory services, so they are `make audit`.
lint: $(CARGO_DENY)
	cargo fmt --all --check
	$(CARGO_DENY) check licenses bans sources
	cargo clippy --workspace --all-targets -- -D warnings
	@if cargo tree -p rehome-core -e normal,build | grep -q ' tauri'; then \
	  echo "rehome-core must not depend on Tauri:"; cargo tree -p rehome-core -i tauri; exit 1; fi
	@if cargo tree -p rehome -e normal,build -f '{p} [{f}]' | grep rehome-sandbox | grep -qE 'test-controls|cli'; then \
	  echo "The app must not enable the sample directory's test controls or command line:"; \
	  cargo tree -p rehome -e normal,build -f '{p} [{f}]' | grep rehome-sandbox; exit 1; fi
	cd ui && npm run typecheck && npm run lint

test-ui:
	cd ui && npm test

test-a11y:
	cd ui && npm run test:a11y

# A private D-Bus session with a throwaway, unlocked gnome-keyring: the OS keyring tests use a real
# Secret Service, and WebKitGTK gets the session bus a desktop has. Nothing touches your own keyring.
WITH_TEST_KEYRING = tmp=$$(mktemp -d) && mkdir -m 700 $$tmp/run && \
  XDG_DATA_HOME=$$tmp/data XDG_RUNTIME_DIR=$$tmp/run dbus-run-session -- bash -c \
  'echo -n rehome-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$$@"' keyring

test-rust:
	$(WITH_TEST_KEYRING) cargo test --workspace

## audit: known vulnerabilities in the Rust and the UI's production dependencies (needs to reach
## the RustSec advisory database and npm's audit service; accepted advisories are in deny.toml)
audit: $(CARGO_DENY)
	$(CARGO_DENY) check advisories
	cd ui && npm audit --omit=dev --audit-level=high

## bench: what Rehome adds to the network when searching and reviewing, a batch's pace, and how
## Rehome's start-up compares with a bare Tauri window's (prints tables)
# Start-up: release builds of Rehome and benches/bare-window, started in turn under Xvfb with an
# empty data folder each time (benches/startup). BENCH_RUNS=… for more runs; BENCH_ARGS="--also
# 'Rehome before=/path/to/rehome'" puts another build in the table.
BENCH_RUNS ?= 15
BENCH_RELEASE = $(or $(CARGO_TARGET_DIR),target)/release
bench: deps test-deps ui
	cargo bench -p rehome-core --bench app_path
	cargo bench -p rehome-core --bench batch
	cargo build --release -p rehome -p bare-window -p startup-bench
	$(WITH_TEST_KEYRING) xvfb-run -a -s "-screen 0 1280x800x24" $(BENCH_RELEASE)/startup-bench \
	  --runs $(BENCH_RUNS) $(BENCH_ARGS) $(BENCH_RELEASE)/rehome $(BENCH_RELEASE)/bare-window

## fuzz: the property tests (proptest) with many more cases, at most 10 minutes (prints how long)
FUZZ_CASES ?= 4096
fuzz: toolchain
	@start=$$(date +%s); \
	PROPTEST_CASES=$(FUZZ_CASES) timeout 600 cargo test --no-fail-fast -p rehome-core -p rehome-sandbox --test properties; \
	status=$$?; echo "fuzz: $(FUZZ_CASES) cases per property, $$(( $$(date +%s) - start )) s"; exit $$status

## faults: the fault matrix: each fault at each step of a conversion, resend and reset (prints a table)
# The table is also written to target/fault-matrix.md; the README's Reliability section shows it.
faults: toolchain
	cargo test -p rehome-core --test faults -- --nocapture

## screenshots: run the end-to-end suite and refresh the README's screenshots
screenshots: deps test-deps ui
	REHOME_UPDATE_SCREENSHOTS=1 $(WITH_TEST_KEYRING) cargo test --test e2e

## sandbox: the sample directory on its own (flags: SANDBOX_ARGS="--latency-ms 80 …")
sandbox:
	cargo run -p rehome-sandbox --features cli -- $(SANDBOX_ARGS)

## deb: build a release .deb under target/release/bundle/deb/
deb: deps
	$(TAURI) build --bundles deb

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules .tools gen

# ----------------------------------------------------------------------------------------------
# Windows (x86_64), cross-built here: `make windows` (Rehome.exe and an MSI) and `make
# test-windows` (the core's and the sample directory's tests under Wine, and the MSI's checks).
# Built and tested under Wine, not on Windows. The scripts are in packaging/windows/.
# ----------------------------------------------------------------------------------------------
.PHONY: windows test-windows windows-deps windows-test-deps

WINDOWS_TARGET := x86_64-pc-windows-gnu
# build-essential: build scripts and proc macros still run here, built for Linux.
WINDOWS_PACKAGES := build-essential gcc-mingw-w64-x86-64 msitools wixl
WINDOWS_TEST_PACKAGES := wine64 xvfb x11-utils imagemagick
WINDOWS_CARGO_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)

windows-deps: toolchain
	@$(call install_packages,$(WINDOWS_PACKAGES))
	@command -v rustup >/dev/null || { echo "Building for Windows needs rustup (https://rustup.rs) for its Rust standard library."; exit 1; }
	@rustup target list --installed | grep -qx $(WINDOWS_TARGET) || rustup target add $(WINDOWS_TARGET)

windows-test-deps:
	@$(call install_packages,$(WINDOWS_TEST_PACKAGES))

## windows: Rehome.exe, WebView2Loader.dll and Rehome_<version>_x64.msi in target/windows/
windows: windows-deps ui
	cargo build --release --target $(WINDOWS_TARGET) -p rehome
	packaging/windows/msi.sh "$(WINDOWS_CARGO_TARGET_DIR)"

## test-windows: the core's and the sample directory's tests under Wine, and the MSI's checks
test-windows: windows windows-test-deps
	packaging/windows/test.sh "$(WINDOWS_CARGO_TARGET_DIR)"
# ---------------------------------------------------------------------------------- end Windows
