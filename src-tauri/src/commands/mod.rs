//! One file per feature; each command is a thin adapter over `rehome-core` (five lines at most).
//! Errors cross IPC as `rehome_core::AppError`, never as a bare string.

pub mod app;
pub mod convert;
pub mod history;
pub mod settings;
pub mod sign_in;
pub mod templates;
pub mod users;
