//! Finding the user and reviewing their eligibility.

use rehome_core::{
    eligibility::{self, AdminFacts, Report},
    email::{self, EmailProblem},
    search::SearchPage,
    AppError,
};
use tauri::State;

use crate::state::Rehome;

/// The first page for `query`. A newer search (or "show more") makes this one answer
/// `superseded`, which the UI ignores.
#[tauri::command]
pub async fn search_users(state: State<'_, Rehome>, query: String) -> Result<SearchPage, AppError> {
    state.searches.search(state.sign_in.graph().await?, &query).await
}

#[tauri::command]
pub async fn more_users(
    state: State<'_, Rehome>,
    next_link: String,
) -> Result<SearchPage, AppError> {
    state.searches.more(state.sign_in.graph().await?, next_link).await
}

/// The eligibility report for one user, with `email` as the address under review; kept in Rust
/// under its `reviewId`, which is what a write is later asked for with.
#[tauri::command]
pub async fn review_user(
    state: State<'_, Rehome>,
    user_id: String,
    email: Option<String>,
) -> Result<Report, AppError> {
    let (graph, profile) = (state.sign_in.graph().await?, state.profile().await?);
    let report =
        eligibility::review(&graph, &user_id, email.as_deref(), AdminFacts::of(&profile)).await?;
    state.reviews.keep(report)
}

/// What is wrong with a typed address, as the admin types it (no request is made).
#[tauri::command]
pub fn email_problem(address: String, verified_domains: Vec<String>) -> Option<EmailProblem> {
    email::problem(&address, &verified_domains)
}
