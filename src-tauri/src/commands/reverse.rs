//! The way back: an external account converted to an internal member (issue 16). Thin adapters
//! over `rehome_core::reverse`; the report, the plan and the run are all there.

use rehome_core::{
    reverse::{
        mail_problem, upn_problem, MailProblem, ReverseAdmin, ReverseContext, ReverseIntention,
        ReversePlan, ReversePreview, ReverseProgress, ReverseReport, ReverseResult, TenantDomain,
        UpnProblem,
    },
    reviews::REVIEW_MAX_AGE,
    AppError,
};
use tauri::{ipc::Channel, State};

use crate::state::Rehome;

/// The report of the way back for one account, from one round trip; kept under its `reviewId`.
#[tauri::command]
pub async fn review_reverse(
    state: State<'_, Rehome>,
    user_id: String,
) -> Result<ReverseReport, AppError> {
    let (graph, profile) = (state.sign_in.graph().await?, state.profile().await?);
    state.reversals.review(&graph, &user_id, ReverseAdmin::of(&profile)).await
}

/// What is wrong with a typed UPN, as the admin types it (no request is made).
#[tauri::command]
pub fn reverse_upn_problem(upn: String, domains: Vec<TenantDomain>) -> Option<UpnProblem> {
    upn_problem(&upn, &domains)
}

/// What is wrong with a typed email, as the admin types it (no request is made).
#[tauri::command]
pub fn reverse_mail_problem(mail: String, domains: Vec<TenantDomain>) -> Option<MailProblem> {
    mail_problem(&mail, &domains)
}

async fn plan_for(state: &Rehome, intention: &ReverseIntention) -> Result<ReversePlan, AppError> {
    let (graph, profile) = (state.sign_in.graph().await?, state.profile().await?);
    state.reversals.plan(&graph, intention, ReverseAdmin::of(&profile), REVIEW_MAX_AGE).await
}

/// The plan, the exact request (password hidden) on this cloud's Graph host, and PowerShell.
#[tauri::command]
pub async fn preview_reverse(
    state: State<'_, Rehome>,
    intention: ReverseIntention,
) -> Result<ReversePreview, AppError> {
    let plan = plan_for(&state, &intention).await?;
    let profile = state.profile().await?;
    let cloud = state.cloud(profile.cloud).await?;
    Ok(plan.preview(&cloud.graph_host, &profile.tenant()))
}

/// Converts; each step streams to `progress`. The result carries the one-time password once.
#[tauri::command]
pub async fn convert_to_internal(
    state: State<'_, Rehome>,
    intention: ReverseIntention,
    progress: Channel<ReverseProgress>,
) -> Result<ReverseResult, AppError> {
    let plan = plan_for(&state, &intention).await?;
    state.reversals.written(&intention.review_id);
    let context = ReverseContext::of(&state.profile().await?);
    let (graph, journal) = (state.sign_in.graph().await?, state.journal().await?);
    let report = |step| {
        let _ = progress.send(step);
    };
    state.reversals.convert(&graph, journal, &plan, &context, report).await
}
