//! Writing the invitation, confirming and converting (steps 5–7).

use rehome_core::{
    convert::{ConversionContext, ConversionResult, Progress},
    invitation::{ConversionPlan, Preview},
    profile::Profile,
    AppError, ErrorCode,
};
use tauri::{ipc::Channel, State};

use crate::state::Rehome;

async fn profile(state: &Rehome) -> Result<Profile, AppError> {
    state.sign_in.profile().await.ok_or_else(|| {
        AppError::new(ErrorCode::SessionExpired, "Sign in again to convert this user.")
    })
}

/// The exact requests and PowerShell for the confirmation, and what the message settings lack.
#[tauri::command]
pub async fn preview_conversion(
    state: State<'_, Rehome>,
    plan: ConversionPlan,
) -> Result<Preview, AppError> {
    Ok(plan.preview(&profile(&state).await?.organisation.tenant_id))
}

/// Converts; each step streams to `progress`. The journal keeps message bodies (a setting to turn
/// that off arrives with the Settings screen).
#[tauri::command]
pub async fn convert_user(
    state: State<'_, Rehome>,
    plan: ConversionPlan,
    progress: Channel<Progress>,
) -> Result<ConversionResult, AppError> {
    let context = ConversionContext::of(&profile(&state).await?, true);
    let (graph, journal) = (state.sign_in.graph().await?, state.journal().await?);
    let report = |step| {
        let _ = progress.send(step);
    };
    state.conversions.convert(&graph, journal, &plan, &context, report).await
}
