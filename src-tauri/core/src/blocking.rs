//! Blocking work – SQLite, the OS keyring, files – runs on a thread where blocking is fine, never
//! on the async runtime's workers (nor, through them, the window).

use crate::AppError;

/// Runs `work` on tokio's blocking pool; `what` names it if the task itself is lost.
pub async fn run<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("the {what} task ended: {e}")))?
}
