//! A careful small batch (issue 17): the list (file, paste, template), the dry run and its
//! export, the run with Pause, Resume and Stop (its progress polled with `batch_status`), a
//! batch left unfinished (resume or discard), and the result's export.

use std::{path::PathBuf, sync::Arc};

use rehome_core::{
    batch::{self, BatchIntention, BatchStatus, DryRun, ImportedList, RunEnv, UnfinishedBatch},
    cloud::CloudId,
    convert::ConversionContext,
    eligibility::AdminFacts,
    graph::GraphClient,
    invitation::{MessageCheck, MessageSettings},
    journal::Journal,
    preferences::Preferences,
    profile::Profile,
    AppError,
};
use rehome_sandbox::{
    directory::{practice_batch_csv, Directory},
    SandboxConfig,
};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::Rehome;

/// What a run needs from the sign-in, held for the run's length.
struct SignedIn {
    graph: Arc<GraphClient>,
    profile: Profile,
    context: ConversionContext,
}

async fn signed_in(state: &Rehome) -> Result<SignedIn, AppError> {
    let profile = state.profile().await?;
    let keep = Preferences::load(&state.preferences_file).keep_message_bodies;
    let context = ConversionContext::of(&profile, keep);
    Ok(SignedIn { graph: state.sign_in.graph().await?, profile, context })
}

fn env<'a>(state: &'a Rehome, held: &'a SignedIn, journal: &'a Journal) -> RunEnv<'a> {
    RunEnv {
        graph: &held.graph,
        journal,
        reviews: &state.reviews,
        conversions: &state.conversions,
        context: &held.context,
        admin: AdminFacts::of(&held.profile),
    }
}

/// The file the admin picks in the system's open dialog (tests set `REHOME_IMPORT_PATH` in
/// debug builds: a native dialog cannot be driven through WebDriver).
async fn picked<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        if let Ok(path) = std::env::var("REHOME_IMPORT_PATH") {
            return Some(PathBuf::from(path));
        }
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog().file().add_filter("CSV", &["csv", "txt"]).pick_file(move |chosen| {
        let _ = sender.send(chosen.and_then(|p| p.into_path().ok()));
    });
    receiver.await.ok().flatten()
}

/// Where to save, from the system's save dialog (`REHOME_EXPORT_PATH` in debug builds).
async fn save_as<R: Runtime>(app: &AppHandle<R>, name: &str) -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        if let Ok(path) = std::env::var("REHOME_EXPORT_PATH") {
            return Some(PathBuf::from(path));
        }
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog().file().add_filter("CSV", &["csv"]).set_file_name(name).save_file(move |chosen| {
        let _ = sender.send(chosen.and_then(|p| p.into_path().ok()));
    });
    receiver.await.ok().flatten()
}

/// Writes `text` to the file the admin chose; the path written, or `None` when cancelled.
async fn export<R: Runtime>(
    app: &AppHandle<R>,
    name: &str,
    text: String,
) -> Result<Option<String>, AppError> {
    let Some(path) = save_as(app, name).await else { return Ok(None) };
    let shown = path.display().to_string();
    rehome_core::blocking::run("export", move || batch::save(&path, &text)).await?;
    Ok(Some(shown))
}

/// Opens the system's file dialog and checks the list chosen; `None` when cancelled.
#[tauri::command]
pub async fn import_batch_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Rehome>,
) -> Result<Option<ImportedList>, AppError> {
    let Some(path) = picked(&app).await else { return Ok(None) };
    let list = rehome_core::blocking::run("import", move || batch::read(&path)).await?;
    state.batches.keep_list(list).map(Some)
}

/// Checks a pasted list.
#[tauri::command]
pub async fn import_batch_text(
    state: State<'_, Rehome>,
    text: String,
) -> Result<ImportedList, AppError> {
    state.batches.keep_list(batch::parse(&text))
}

/// The sample directory's own list to practise with (its staff and a few of its cases); only
/// while signed in to the sample directory.
#[tauri::command]
pub async fn practice_batch_list(state: State<'_, Rehome>) -> Result<ImportedList, AppError> {
    if state.profile().await?.cloud != CloudId::Sample {
        return Err(AppError::invalid_input("The practice list belongs to the sample directory."));
    }
    let directory = Directory::sample(SandboxConfig::default().seed);
    state.batches.keep_list(batch::parse(&practice_batch_csv(&directory)))
}

/// Saves an empty list to fill in (the save dialog); the path written, or `None`.
#[tauri::command]
pub async fn save_batch_template<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<String>, AppError> {
    export(&app, "rehome-batch.csv", batch::template()).await
}

/// Reviews every row of a checked list, twenty reads to a round trip; nothing is written.
#[tauri::command]
pub async fn dry_run_batch(state: State<'_, Rehome>, list_id: String) -> Result<DryRun, AppError> {
    let (graph, profile) = (state.sign_in.graph().await?, state.profile().await?);
    let (tenant, admin) = (profile.organisation.tenant_id.clone(), AdminFacts::of(&profile));
    state.batches.dry_run(&graph, &state.reviews, &list_id, &tenant, admin).await
}

#[tauri::command]
pub async fn export_batch_dry_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Rehome>,
    batch_id: String,
) -> Result<Option<String>, AppError> {
    let text = batch::dry_run_csv(&state.batches.dry_run_of(&batch_id)?);
    export(&app, "rehome-dry-run.csv", text).await
}

/// What is wrong with the batch's one message, and the editor's language list and limits.
#[tauri::command]
pub fn check_message(message: MessageSettings) -> MessageCheck {
    message.check()
}

/// Converts the ticked rows; resolves when the batch finished or stopped (poll `batch_status`
/// meanwhile).
#[tauri::command]
pub async fn run_batch(
    state: State<'_, Rehome>,
    intention: BatchIntention,
) -> Result<BatchStatus, AppError> {
    let (held, journal) = (signed_in(&state).await?, state.journal().await?);
    state.batches.run(&env(&state, &held, journal), &intention).await
}

#[tauri::command]
pub async fn batch_status(
    state: State<'_, Rehome>,
    batch_id: String,
) -> Result<BatchStatus, AppError> {
    state.batches.status(&batch_id)
}

#[tauri::command]
pub async fn pause_batch(
    state: State<'_, Rehome>,
    batch_id: String,
) -> Result<BatchStatus, AppError> {
    state.batches.pause(&batch_id)
}

#[tauri::command]
pub async fn resume_batch(
    state: State<'_, Rehome>,
    batch_id: String,
) -> Result<BatchStatus, AppError> {
    state.batches.resume(&batch_id)
}

#[tauri::command]
pub async fn stop_batch(
    state: State<'_, Rehome>,
    batch_id: String,
) -> Result<BatchStatus, AppError> {
    state.batches.stop(&batch_id, &state.conversions)
}

/// Batches the journal has accounts to do for (Rehome was closed mid-run, or one was stopped).
#[tauri::command]
pub async fn unfinished_batches(
    state: State<'_, Rehome>,
) -> Result<Vec<UnfinishedBatch>, AppError> {
    state.batches.unfinished(state.journal().await?).await
}

/// Goes on with an unfinished batch: settles what was cut short, reads the rest again, converts
/// those still ready. `message` when the journal did not keep the personal message.
#[tauri::command]
pub async fn continue_batch(
    state: State<'_, Rehome>,
    batch_id: String,
    message: Option<MessageSettings>,
) -> Result<BatchStatus, AppError> {
    let (held, journal) = (signed_in(&state).await?, state.journal().await?);
    state.batches.resume_unfinished(&env(&state, &held, journal), &batch_id, message).await
}

/// The admin does not want the rest of an unfinished batch.
#[tauri::command]
pub async fn discard_batch(state: State<'_, Rehome>, batch_id: String) -> Result<(), AppError> {
    state.batches.discard(state.journal().await?, &batch_id).await
}

#[tauri::command]
pub async fn export_batch_result<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Rehome>,
    batch_id: String,
) -> Result<Option<String>, AppError> {
    let text = batch::result_csv(&state.batches.status(&batch_id)?);
    export(&app, "rehome-batch-result.csv", text).await
}
