//! TypeScript types for everything that crosses IPC, generated with ts-rs into
//! `ui/src/ipc/generated/` and checked in. The test below fails when a Rust type changed and the
//! generated files were not regenerated; `make bindings` regenerates them.
//! A new IPC type is added to `render_all`, nowhere else.

use std::path::PathBuf;

use rehome_core::{
    app_info::AppInfo,
    app_registration::{AppRegistration, Permission},
    batch::{
        BatchIntention, BatchRow, BatchStatus, DryRun, DryRunRow, ImportedList, ListProblem,
        ListRow, RejectedRow, RowProblem, RowState, RowVerdict, RunState, UnfinishedBatch,
    },
    cloud::CloudId,
    config::{ClientIdSetting, ConfigProblem, SettingSource, SignInSettings, SignInSetup},
    convert::{ConversionResult, Progress},
    eligibility::{Check, CheckId, Finding, Identity, Outcome, Report, ReviewedUser, Verdict},
    email::{EmailCandidate, EmailProblem, EmailSource},
    history::Redemption,
    invitation::{
        ConversionPlan, Landing, MessageCheck, MessageProblem, MessageSettings, PlannedRequest,
        Preview,
    },
    journal::{EntryKind, EntryOutcome, Intent, JournalEntry},
    permissions::{Feature, PermissionGap},
    preferences::Preferences,
    profile::{Admin, AdminRole, Capability, Organisation, Profile, RolesSource, SignInMethod},
    refusal::Refusal,
    reverse::{
        DomainSignIn, MailProblem, OneTimePassword, ReverseCheck, ReverseCheckId, ReverseFinding,
        ReverseIntention, ReverseOutcome, ReversePlan, ReversePreview, ReverseProgress,
        ReverseReport, ReverseResult, TenantDomain, UpnProblem,
    },
    reviews::Intention,
    search::{SearchPage, UserRow},
    sign_in::{SignInPrompt, SignInRequest},
    templates::Template,
    AppError, ErrorCode, ErrorDetails,
};
use ts_rs::{Config, ExportError, TS};

/// Where the generated files live, relative to the repository root.
pub const GENERATED_DIR: &str = "ui/src/ipc/generated";

/// Every generated file: its name inside `GENERATED_DIR` and its contents.
pub fn render_all() -> Result<Vec<(PathBuf, String)>, ExportError> {
    let config = Config::new();
    Ok(vec![
        render::<AppError>(&config)?,
        render::<ErrorCode>(&config)?,
        render::<ErrorDetails>(&config)?,
        render::<AppInfo>(&config)?,
        render::<CloudId>(&config)?,
        render::<SignInSettings>(&config)?,
        render::<SignInSetup>(&config)?,
        render::<ClientIdSetting>(&config)?,
        render::<SettingSource>(&config)?,
        render::<ConfigProblem>(&config)?,
        render::<AppRegistration>(&config)?,
        render::<Permission>(&config)?,
        render::<SignInRequest>(&config)?,
        render::<SignInPrompt>(&config)?,
        render::<SignInMethod>(&config)?,
        render::<Profile>(&config)?,
        render::<Admin>(&config)?,
        render::<Organisation>(&config)?,
        render::<AdminRole>(&config)?,
        render::<Capability>(&config)?,
        render::<RolesSource>(&config)?,
        render::<PermissionGap>(&config)?,
        render::<Feature>(&config)?,
        render::<UserRow>(&config)?,
        render::<SearchPage>(&config)?,
        render::<Report>(&config)?,
        render::<ReviewedUser>(&config)?,
        render::<Identity>(&config)?,
        render::<Outcome>(&config)?,
        render::<Check>(&config)?,
        render::<CheckId>(&config)?,
        render::<Verdict>(&config)?,
        render::<Finding>(&config)?,
        render::<EmailCandidate>(&config)?,
        render::<EmailSource>(&config)?,
        render::<EmailProblem>(&config)?,
        render::<ConversionPlan>(&config)?,
        render::<MessageSettings>(&config)?,
        render::<Landing>(&config)?,
        render::<MessageProblem>(&config)?,
        render::<Preview>(&config)?,
        render::<MessageCheck>(&config)?,
        render::<PlannedRequest>(&config)?,
        render::<Progress>(&config)?,
        render::<ConversionResult>(&config)?,
        render::<EntryOutcome>(&config)?,
        render::<Refusal>(&config)?,
        render::<Intention>(&config)?,
        render::<JournalEntry>(&config)?,
        render::<Intent>(&config)?,
        render::<EntryKind>(&config)?,
        render::<Template>(&config)?,
        render::<Redemption>(&config)?,
        render::<Preferences>(&config)?,
        render::<crate::commands::settings::SettingsOverview>(&config)?,
        render::<ReverseReport>(&config)?,
        render::<ReverseCheck>(&config)?,
        render::<ReverseCheckId>(&config)?,
        render::<ReverseFinding>(&config)?,
        render::<ReverseOutcome>(&config)?,
        render::<TenantDomain>(&config)?,
        render::<DomainSignIn>(&config)?,
        render::<UpnProblem>(&config)?,
        render::<MailProblem>(&config)?,
        render::<ReverseIntention>(&config)?,
        render::<ReversePlan>(&config)?,
        render::<ReversePreview>(&config)?,
        render::<ReverseProgress>(&config)?,
        render::<ReverseResult>(&config)?,
        render::<OneTimePassword>(&config)?,
        render::<ImportedList>(&config)?,
        render::<ListRow>(&config)?,
        render::<RejectedRow>(&config)?,
        render::<RowProblem>(&config)?,
        render::<ListProblem>(&config)?,
        render::<DryRun>(&config)?,
        render::<DryRunRow>(&config)?,
        render::<RowVerdict>(&config)?,
        render::<BatchIntention>(&config)?,
        render::<BatchStatus>(&config)?,
        render::<BatchRow>(&config)?,
        render::<RowState>(&config)?,
        render::<RunState>(&config)?,
        render::<UnfinishedBatch>(&config)?,
    ])
}

fn render<T: TS + 'static>(config: &Config) -> Result<(PathBuf, String), ExportError> {
    let file =
        T::output_path().unwrap_or_else(|| PathBuf::from(format!("{}.ts", T::ident(config))));
    Ok((file, T::export_to_string(config)?))
}

#[cfg(test)]
mod tests {
    use std::{collections::BTreeSet, fs, path::Path};

    use super::*;

    #[test]
    fn generated_typescript_matches_the_rust_types() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED_DIR);
        let rendered = render_all().unwrap();
        if std::env::var_os("REHOME_WRITE_BINDINGS").is_some() {
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            for (file, contents) in &rendered {
                fs::write(dir.join(file), contents).unwrap();
            }
            return;
        }
        let expected: BTreeSet<_> = rendered.iter().map(|(file, _)| file.clone()).collect();
        let mut stale: Vec<String> = rendered
            .iter()
            .filter(|(file, contents)| {
                fs::read_to_string(dir.join(file)).ok().as_ref() != Some(contents)
            })
            .map(|(file, _)| format!("{} (differs or missing)", file.display()))
            .collect();
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let file = PathBuf::from(entry.file_name());
            if !expected.contains(&file) {
                stale.push(format!("{} (no Rust type generates it)", file.display()));
            }
        }
        assert!(
            stale.is_empty(),
            "The TypeScript IPC types in {GENERATED_DIR} are out of date: {stale:?}.\n\
             Run `make bindings` and commit the result."
        );
    }
}
