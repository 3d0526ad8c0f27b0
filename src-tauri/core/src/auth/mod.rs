//! Signing in to Microsoft Entra ID (DOMAIN.md §9) as a public client: authorization code with
//! PKCE in the system browser through a one-shot loopback redirect (RFC 8252), and refresh.
//! Tokens stay in `Secret`s: they cannot be printed, logged or serialised.

mod aadsts;
pub mod credential;
mod device_code;
mod loopback;
mod oauth;
mod pkce;
mod saved_marker;
mod secret;
mod session;
mod store;

pub use aadsts::translate_aad_error;
pub use device_code::DeviceCode;
pub use loopback::LoopbackListener;
pub use oauth::{default_scopes, Account, BrowserSignIn, OAuthClient, SignInTarget, TokenSet};
pub use pkce::random_token;
pub use saved_marker::SavedMarker;
pub use secret::Secret;
pub use session::Session;
pub use store::{off_thread, KeyringStore, MemoryStore, StoredSignIn, TokenStore};
