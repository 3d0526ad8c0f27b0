//! Where the sign-in settings come from: the cloud, the tenant and, per cloud, the application
//! (client) ID of the organisation's own app registration. Rehome ships no client ID.
//!
//! Highest first: environment variables (`REHOME_CLIENT_ID`, `REHOME_TENANT`, `REHOME_CLOUD`),
//! what the admin saved in Rehome (`settings.json`), then a `rehome.json` an IT department
//! deployed in the platform config directory or next to the executable. A file that cannot be
//! read is reported, not silently ignored.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    cloud::{checked_client_id, checked_tenant, CloudId},
    AppError,
};

/// The shape of `settings.json` and of a deployed `rehome.json`; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cloud: Option<CloudId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tenant: Option<String>,
    /// App registrations are per cloud: a Global client ID does not work in US Gov or China.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub client_ids: BTreeMap<CloudId, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SettingSource {
    Environment,
    Settings,
    DeployedFile,
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientIdSetting {
    pub cloud: CloudId,
    pub client_id: String,
    pub source: SettingSource,
    /// The file it came from, for `settings` and `deployedFile`.
    #[ts(optional)]
    pub path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfigProblem {
    pub path: String,
    pub message: String,
}

/// What the sign-in screen starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInSetup {
    pub cloud: CloudId,
    pub tenant: String,
    pub client_ids: Vec<ClientIdSetting>,
    /// Where `rehome.json` is looked for, so the setup page can tell IT where to put it.
    pub deployed_paths: Vec<String>,
    pub problems: Vec<ConfigProblem>,
}

/// Where to look; the shell fills this in from the platform's directories and environment.
#[derive(Debug, Clone, Default)]
pub struct ConfigSources {
    pub environment: SignInSettings,
    pub settings_file: PathBuf,
    /// In order of precedence: the platform config directory, then beside the executable.
    pub deployed_files: Vec<PathBuf>,
}

impl ConfigSources {
    /// `REHOME_CLIENT_ID` applies to every Microsoft cloud (one is used at a time).
    pub fn environment_from(get: impl Fn(&str) -> Option<String>) -> SignInSettings {
        let cloud = get("REHOME_CLOUD")
            .and_then(|c| serde_json::from_value(serde_json::Value::String(c)).ok());
        let client_ids = get("REHOME_CLIENT_ID")
            .map(|id| {
                [CloudId::Global, CloudId::UsGov, CloudId::UsGovDod, CloudId::China]
                    .into_iter()
                    .map(|cloud| (cloud, id.clone()))
                    .collect()
            })
            .unwrap_or_default();
        SignInSettings { cloud, tenant: get("REHOME_TENANT"), client_ids }
    }
}

pub fn resolve(sources: &ConfigSources) -> SignInSetup {
    let mut problems = Vec::new();
    let mut layers = vec![(SettingSource::Environment, None, sources.environment.clone())];
    let files = std::iter::once((SettingSource::Settings, &sources.settings_file))
        .chain(sources.deployed_files.iter().map(|path| (SettingSource::DeployedFile, path)));
    for (source, path) in files {
        match read(path) {
            Ok(Some(settings)) => layers.push((source, Some(path), settings)),
            Ok(None) => {}
            Err(message) => problems.push(ConfigProblem { path: shown(path), message }),
        }
    }
    let cloud = layers.iter().find_map(|(_, _, s)| s.cloud).unwrap_or(CloudId::Global);
    let tenant = layers
        .iter()
        .find_map(|(_, _, s)| s.tenant.as_deref().and_then(|t| checked_tenant(t).ok()))
        .unwrap_or_else(|| "organizations".to_owned());
    let mut client_ids: Vec<ClientIdSetting> = Vec::new();
    for (source, path, settings) in &layers {
        for (cloud, id) in &settings.client_ids {
            let Ok(client_id) = checked_client_id(id) else {
                if let Some(path) = path {
                    problems.push(ConfigProblem {
                        path: shown(path),
                        message: format!("'{id}' is not an application (client) ID."),
                    });
                }
                continue;
            };
            if *cloud != CloudId::Sample && !client_ids.iter().any(|c| c.cloud == *cloud) {
                client_ids.push(ClientIdSetting {
                    cloud: *cloud,
                    client_id,
                    source: *source,
                    path: path.map(|p| shown(p)),
                });
            }
        }
    }
    client_ids.sort_by_key(|c| c.cloud);
    SignInSetup {
        cloud,
        tenant,
        client_ids,
        deployed_paths: sources.deployed_files.iter().map(|p| shown(p)).collect(),
        problems,
    }
}

/// Saves what the admin chose (validated) to `settings.json`, replacing it in one step.
pub fn save(path: &Path, settings: &SignInSettings) -> Result<(), AppError> {
    let mut clean = settings.clone();
    if let Some(tenant) = &clean.tenant {
        clean.tenant = Some(checked_tenant(tenant)?);
    }
    for id in clean.client_ids.values_mut() {
        *id = checked_client_id(id)?;
    }
    write_json(path, &clean)
}

/// Writes `value` as JSON to `path` in one step (a temporary file renamed over it), so a crash
/// mid-write leaves the old file, never half a file.
pub(crate) fn write_json(path: &Path, value: &impl Serialize) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| AppError::internal(format!("{}: {e}", shown(path))))?;
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            crate::private_files::create_dir(dir)?;
        }
        let temporary = path.with_extension("json.tmp");
        std::io::Write::write_all(
            &mut crate::private_files::create_file(&temporary)?,
            text.as_bytes(),
        )?;
        std::fs::rename(&temporary, path)
    };
    write().map_err(|e| AppError::internal(format!("cannot save {}: {e}", shown(path))))
}

/// Remembers what the admin chose on top of what was saved: the other clouds' IDs stay.
pub fn remember(path: &Path, chosen: SignInSettings) -> Result<(), AppError> {
    let mut saved = read(path).ok().flatten().unwrap_or_default();
    saved.cloud = chosen.cloud.or(saved.cloud);
    saved.tenant = chosen.tenant.or(saved.tenant);
    saved.client_ids.extend(chosen.client_ids);
    save(path, &saved)
}

fn read(path: &Path) -> Result<Option<SignInSettings>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("This file is not valid Rehome configuration: {e}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("This file cannot be read: {e}")),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const IT: &str = "11111111-1111-4111-8111-111111111111";
    const MINE: &str = "22222222-2222-4222-8222-222222222222";
    const ENV: &str = "33333333-3333-4333-8333-333333333333";

    fn sources(dir: &Path) -> ConfigSources {
        ConfigSources {
            environment: SignInSettings::default(),
            settings_file: dir.join("settings.json"),
            deployed_files: vec![dir.join("config/rehome.json"), dir.join("exe/rehome.json")],
        }
    }

    #[test]
    fn nothing_configured_means_global_organizations_and_no_client_id() {
        let dir = tempfile::tempdir().unwrap();
        let setup = resolve(&sources(dir.path()));
        assert_eq!((setup.cloud, setup.tenant.as_str()), (CloudId::Global, "organizations"));
        assert!(setup.client_ids.is_empty() && setup.problems.is_empty());
    }

    #[test]
    fn environment_beats_saved_settings_beats_deployed_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut sources = sources(dir.path());
        std::fs::create_dir_all(dir.path().join("exe")).unwrap();
        std::fs::write(
            dir.path().join("exe/rehome.json"),
            format!(r#"{{"cloud":"usGov","tenant":"contoso.onmicrosoft.us","clientIds":{{"usGov":"{IT}","global":"{IT}"}}}}"#),
        )
        .unwrap();
        let deployed = resolve(&sources);
        assert_eq!(deployed.cloud, CloudId::UsGov);
        assert_eq!(deployed.tenant, "contoso.onmicrosoft.us");
        assert_eq!(deployed.client_ids[0].source, SettingSource::DeployedFile);
        assert!(deployed.client_ids[0].path.as_deref().unwrap().ends_with("exe/rehome.json"));

        let mine = SignInSettings {
            cloud: Some(CloudId::Global),
            tenant: None,
            client_ids: [(CloudId::Global, MINE.to_uppercase())].into(),
        };
        save(&sources.settings_file, &mine).unwrap();
        let saved = resolve(&sources);
        assert_eq!(saved.cloud, CloudId::Global);
        let global = saved.client_ids.iter().find(|c| c.cloud == CloudId::Global).unwrap();
        assert_eq!((global.client_id.as_str(), global.source), (MINE, SettingSource::Settings));
        let gov = saved.client_ids.iter().find(|c| c.cloud == CloudId::UsGov).unwrap();
        assert_eq!(gov.source, SettingSource::DeployedFile, "other clouds still come from IT");

        sources.environment = ConfigSources::environment_from(|name| {
            (name == "REHOME_CLIENT_ID").then(|| ENV.into())
        });
        let env = resolve(&sources);
        assert!(env.client_ids.iter().all(|c| c.client_id == ENV));
        assert!(env.client_ids.iter().all(|c| c.source == SettingSource::Environment));
    }

    #[test]
    fn remembering_a_choice_keeps_the_other_clouds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let gov = SignInSettings {
            cloud: Some(CloudId::UsGov),
            client_ids: [(CloudId::UsGov, IT.into())].into(),
            ..Default::default()
        };
        remember(&path, gov).unwrap();
        let global = SignInSettings {
            cloud: Some(CloudId::Global),
            client_ids: [(CloudId::Global, MINE.into())].into(),
            ..Default::default()
        };
        remember(&path, global).unwrap();
        let saved = read(&path).unwrap().unwrap();
        assert_eq!(saved.cloud, Some(CloudId::Global));
        assert_eq!(saved.client_ids.len(), 2);
    }

    #[test]
    fn broken_files_and_bad_values_are_reported_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let sources = sources(dir.path());
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/rehome.json"), "{ not json").unwrap();
        std::fs::write(
            &sources.settings_file,
            r#"{"tenant":"not a tenant","clientIds":{"global":"nope"}}"#,
        )
        .unwrap();
        let setup = resolve(&sources);
        assert_eq!(setup.tenant, "organizations");
        assert!(setup.client_ids.is_empty());
        assert_eq!(setup.problems.len(), 2, "{:?}", setup.problems);
        assert!(save(
            &sources.settings_file,
            &SignInSettings { tenant: Some("bad tenant".into()), ..Default::default() }
        )
        .is_err());
    }
}
