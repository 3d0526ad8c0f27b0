//! Invitation templates: saved message settings (language, personal message, CC, where the person
//! lands, whether Microsoft emails), kept on this workstation in `templates.json`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{config::write_json, invitation::MessageSettings, AppError, ErrorCode};

/// A name fits on one line of the picker.
pub const MAX_NAME_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub name: String,
    pub message: MessageSettings,
}

pub struct Templates {
    path: PathBuf,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn checked_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid_input(format!(
            "A template needs a name of 1 to {MAX_NAME_CHARS} characters."
        )));
    }
    Ok(name.to_owned())
}

impl Templates {
    pub fn new(path: &Path) -> Templates {
        Templates { path: path.to_owned() }
    }

    /// The saved templates, by name; none yet is an empty list.
    pub fn list(&self) -> Result<Vec<Template>, AppError> {
        match std::fs::read_to_string(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(vec![]),
            Err(e) => Err(AppError::internal(format!("{}: {e}", self.path.display()))),
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "{} is not a list of templates ({e}); it was left as it is.",
                        self.path.display()
                    ),
                )
            }),
        }
    }

    fn store(&self, mut templates: Vec<Template>) -> Result<Vec<Template>, AppError> {
        templates.sort_by_key(|t| t.name.to_lowercase());
        write_json(&self.path, &templates)?;
        Ok(templates)
    }

    /// Saves `template`, replacing one with the same name.
    pub fn save(&self, template: Template) -> Result<Vec<Template>, AppError> {
        let name = checked_name(&template.name)?;
        if let Some(problem) = template.message.problems().into_iter().next() {
            return Err(AppError::invalid_input(format!(
                "The template was not saved: {}.",
                problem.describe()
            )));
        }
        let mut templates = self.list()?;
        templates.retain(|t| !same(&t.name, &name));
        templates.push(Template { name, ..template });
        self.store(templates)
    }

    pub fn rename(&self, from: &str, to: &str) -> Result<Vec<Template>, AppError> {
        let to = checked_name(to)?;
        let mut templates = self.list()?;
        if !same(from, &to) && templates.iter().any(|t| same(&t.name, &to)) {
            return Err(AppError::invalid_input(format!(
                "A template called '{to}' already exists."
            )));
        }
        let template = templates.iter_mut().find(|t| same(&t.name, from)).ok_or_else(|| {
            AppError::new(ErrorCode::NotFound, format!("There is no template called '{from}'."))
        })?;
        template.name = to;
        self.store(templates)
    }

    pub fn delete(&self, name: &str) -> Result<Vec<Template>, AppError> {
        let mut templates = self.list()?;
        templates.retain(|t| !same(&t.name, name));
        self.store(templates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invitation::Landing;

    fn template(name: &str, body: &str) -> Template {
        Template {
            name: name.into(),
            message: MessageSettings {
                send_email: true,
                language: "sv-SE".into(),
                personal_message: body.into(),
                cc: Some("anna@contoso.se".into()),
                landing: Landing::Teams,
            },
        }
    }

    #[test]
    fn save_pick_rename_and_delete_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/templates.json");
        let templates = Templates::new(&path);
        assert_eq!(templates.list().unwrap(), []);
        templates.save(template("Partner – svenska", "Hej! Välkommen.")).unwrap();
        templates.save(template("alpha", "A")).unwrap();
        let saved = templates.save(template(" PARTNER – SVENSKA ", "Hej igen.")).unwrap();
        assert_eq!(
            saved.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["alpha", "PARTNER – SVENSKA"]
        );
        assert_eq!(saved[1].message.personal_message, "Hej igen.", "same name replaces");

        let restarted = Templates::new(&path);
        assert_eq!(restarted.list().unwrap(), saved);
        let renamed = restarted.rename("partner – svenska", "Konsulter").unwrap();
        assert_eq!(renamed[1].name, "Konsulter");
        assert_eq!(
            restarted.rename("alpha", "konsulter").unwrap_err().code,
            ErrorCode::InvalidInput
        );
        assert_eq!(restarted.rename("nobody", "x").unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(restarted.delete("ALPHA").unwrap().len(), 1);
    }

    #[test]
    fn bad_names_bad_messages_and_a_damaged_file_are_refused_without_losing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("templates.json");
        let templates = Templates::new(&path);
        assert!(templates.save(template("  ", "x")).is_err());
        assert!(templates.save(template(&"n".repeat(MAX_NAME_CHARS + 1), "x")).is_err());
        let mut bad_cc = template("cc", "x");
        bad_cc.message.cc = Some("nope".into());
        assert!(templates.save(bad_cc).is_err());
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(templates.list().unwrap_err().code, ErrorCode::InvalidInput);
        assert!(templates.save(template("new", "x")).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json", "left as it was");
    }
}
