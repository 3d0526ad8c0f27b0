//! Writing the invitation, confirming and converting (steps 5–7).

use rehome_core::{
    convert::{reconcile, ConversionContext, ConversionResult, Progress},
    eligibility::AdminFacts,
    invitation::{ConversionPlan, Preview},
    journal::{EntryOutcome, Journal, JournalEntry},
    preferences::Preferences,
    reviews::{Intention, REVIEW_MAX_AGE},
    AppError,
};
use tauri::{ipc::Channel, State};

use crate::state::Rehome;

/// The plan rehome-core builds for this intention, after checking its review again.
async fn plan_for(state: &Rehome, intention: &Intention) -> Result<ConversionPlan, AppError> {
    let (graph, profile) = (state.sign_in.graph().await?, state.profile().await?);
    let admin = AdminFacts::of(&profile);
    state.reviews.plan(&graph, intention, admin, REVIEW_MAX_AGE).await
}

/// The plan, its exact requests and PowerShell for the confirmation, and what the message
/// settings lack.
#[tauri::command]
pub async fn preview_conversion(
    state: State<'_, Rehome>,
    intention: Intention,
) -> Result<Preview, AppError> {
    let plan = plan_for(&state, &intention).await?;
    Ok(plan.preview(&state.profile().await?.tenant()))
}

/// Converts; each step streams to `progress`. The journal keeps message bodies unless Settings
/// say not to.
#[tauri::command]
pub async fn convert_user(
    state: State<'_, Rehome>,
    intention: Intention,
    progress: Channel<Progress>,
) -> Result<ConversionResult, AppError> {
    let plan = plan_for(&state, &intention).await?;
    state.reviews.written(&intention.review_id);
    let profile = state.profile().await?;
    let keep = Preferences::load(&state.preferences_file).keep_message_bodies;
    let context = ConversionContext::of(&profile, keep);
    let (graph, journal) = (state.sign_in.graph().await?, state.journal().await?);
    let report = |step| {
        let _ = progress.send(step);
    };
    state.conversions.convert(&graph, journal, &plan, &context, report).await
}

/// Stops the running conversion of this user while it waits for Microsoft to see the new email.
#[tauri::command]
pub fn stop_waiting(state: State<'_, Rehome>, user_id: String) -> bool {
    state.conversions.stop_waiting(&user_id)
}

/// Conversions started on this workstation that never finished (the app closed or crashed),
/// but for those of a batch the home screen offers to continue.
#[tauri::command]
pub async fn unfinished_conversions(
    state: State<'_, Rehome>,
) -> Result<Vec<JournalEntry>, AppError> {
    state.journal().await?.off_thread(Journal::unfinished_outside_open_batches).await
}

/// Reads the user of an unfinished entry and records what actually happened.
#[tauri::command]
pub async fn reconcile_conversion(
    state: State<'_, Rehome>,
    journal_id: u32,
) -> Result<EntryOutcome, AppError> {
    let tenant_id = state.profile().await?.organisation.tenant_id;
    let (graph, journal) = (state.sign_in.graph().await?, state.journal().await?);
    reconcile(&graph, journal, journal_id, &tenant_id).await
}
