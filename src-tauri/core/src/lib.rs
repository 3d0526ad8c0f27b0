//! rehome-core: everything Rehome knows, with no Tauri in it.
//!
//! The Tauri shell (`src-tauri/src`) only adapts these functions to commands; tests drive them
//! directly. See ARCHITECTURE.md at the repository root.

pub mod app_info;
pub mod app_registration;
pub mod auth;
pub mod batch;
pub mod blocking;
pub mod cloud;
pub mod config;
pub mod convert;
pub mod eligibility;
pub mod email;
pub mod error;
pub mod graph;
pub mod history;
pub mod http;
pub mod invitation;
pub mod journal;
pub mod links;
pub mod permissions;
pub mod preferences;
pub mod private_files;
pub mod profile;
pub mod redact;
pub mod refusal;
pub mod reverse;
pub mod reviews;
pub mod search;
pub mod sign_in;
pub mod templates;

pub use error::{AppError, ErrorCode, ErrorDetails};
