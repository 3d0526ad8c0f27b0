//! Sign-in: the setup the screen starts from, the three methods, resume, cancel, sign out.
//! No command returns a token; a signed-in command returns the admin's `Profile`.

use rehome_core::{
    app_registration::{app_registration as registration, AppRegistration},
    config::{self, SignInSettings, SignInSetup},
    profile::{Profile, SignInMethod},
    sign_in::{SignInPrompt, SignInRequest},
    AppError,
};
use tauri::{ipc::Channel, AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::Rehome;

// Files: never on the window's thread.
#[tauri::command(async)]
pub fn sign_in_setup(state: State<'_, Rehome>) -> SignInSetup {
    config::resolve(&state.config_sources())
}

#[tauri::command]
pub fn app_registration() -> AppRegistration {
    registration()
}

/// Saves the cloud, tenant and client ID the admin chose, keeping the other clouds' IDs.
// Files: never on the window's thread.
#[tauri::command(async)]
pub fn save_sign_in_settings(
    state: State<'_, Rehome>,
    settings: SignInSettings,
) -> Result<SignInSetup, AppError> {
    config::remember(&state.settings_file, settings)?;
    Ok(config::resolve(&state.config_sources()))
}

/// On start: the remembered sign-in, refreshed silently; `None` when there is none.
#[tauri::command]
pub async fn resume_sign_in(state: State<'_, Rehome>) -> Result<Option<Profile>, AppError> {
    state.sign_in.resume(|cloud| state.cloud(cloud)).await
}

#[tauri::command]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Rehome>,
    request: SignInRequest,
    prompts: Channel<SignInPrompt>,
) -> Result<Profile, AppError> {
    state.reviews.forget_all();
    state.reversals.forget_all();
    let show = |prompt| {
        let _ = prompts.send(prompt);
    };
    let SignInRequest { method, cloud, tenant, client_id, language } = request;
    match method {
        SignInMethod::AzureCli => {
            state.sign_in.with_azure_cli(state.cloud(cloud).await?, &tenant).await
        }
        SignInMethod::DeviceCode => {
            let target = state.target(cloud, &tenant, client_id.as_deref()).await?;
            state.sign_in.with_device_code(target, show).await
        }
        SignInMethod::Browser => {
            let target = state.target(cloud, &tenant, client_id.as_deref()).await?;
            let open = |url: &str| app.opener().open_url(url, None::<&str>).is_ok();
            state.sign_in.with_browser(target, &language, open, show).await
        }
    }
}

#[tauri::command]
pub fn cancel_sign_in(state: State<'_, Rehome>) {
    state.sign_in.cancel();
}

#[tauri::command]
pub async fn sign_out(state: State<'_, Rehome>) -> Result<(), AppError> {
    state.reviews.forget_all();
    state.reversals.forget_all();
    state.sign_in.sign_out().await
}

/// The keyring cannot be used: stay signed in until Rehome closes (never a file).
#[tauri::command]
pub fn keep_sign_in_for_this_run(state: State<'_, Rehome>) {
    state.sign_in.keep_sign_in_for_this_run();
}
