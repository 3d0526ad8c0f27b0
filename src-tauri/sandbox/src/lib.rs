//! The sample directory ("sandbox"): a faithful local emulator of the parts of the Microsoft
//! identity platform and Microsoft Graph v1.0 that Rehome uses.
//!
//! It deliberately does not depend on `rehome-core`: its wire format is written from the
//! platform documentation, so a bug in the client's model cannot be mirrored here.
//! The emulator itself arrives with its own issue; this crate reserves its place in the workspace.
