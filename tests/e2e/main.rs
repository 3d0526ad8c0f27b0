//! End-to-end tests: the real app window, driven like a person would (see harness.rs).
//! Run by `make test` (or `cargo test --test e2e`) with Xvfb, WebKitWebDriver and tauri-driver
//! installed (`make deps` installs them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod batch;
mod convert;
mod harness;
mod history;
mod keyboard;
mod reverse;
mod review;
mod settings;
mod sign_in;
mod start_screen;
mod themes;
mod window;
