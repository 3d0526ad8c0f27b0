//! The invitation a conversion sends (DOMAIN.md §2): what the admin chose, checked before any
//! request, and the exact requests built from it – the same text the confirmation shows, the
//! conversion sends and the journal keeps.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use crate::{cloud::CloudId, email, journal::EntryKind};

/// The organisation an invitation is sent in: its cloud decides the landing pages and the
/// PowerShell environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: String,
    pub cloud: CloudId,
}

impl Tenant {
    /// Teams on the web, opened in this organisation.
    pub fn teams_link(&self) -> String {
        format!("{}/?tenantId={}", self.cloud.teams(), self.id)
    }
}

/// Reports say long personal messages are sometimes dropped; above this the editor warns.
pub const MESSAGE_WARNING_CHARS: u32 = 3_000;
/// Rehome's own limit, refused before sending: Microsoft publishes none (DOMAIN.md §11.12), and
/// this is far beyond anything a person reads in an invitation.
pub const MESSAGE_MAX_CHARS: u32 = 10_000;

/// Rehome's list of the languages Microsoft localises invitation emails into (the editor's
/// picker). Microsoft publishes no list (DOMAIN.md §11.12).
pub const MESSAGE_LANGUAGES: &[&str] = &[
    "en-US", "sv-SE", "da-DK", "de-DE", "es-ES", "fi-FI", "fr-FR", "it-IT", "ja-JP", "ko-KR",
    "nb-NO", "nl-NL", "pl-PL", "pt-BR", "pt-PT", "ru-RU", "tr-TR", "zh-CN", "zh-TW", "cs-CZ",
    "hu-HU", "el-GR", "ar-SA", "he-IL", "th-TH", "uk-UA",
];

/// Where the person lands after accepting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind", rename_all_fields = "camelCase")]
pub enum Landing {
    /// My Apps of the cloud with `?tenantId=<tenant>` (the article's own sample).
    MyApps,
    /// Teams of the cloud with `?tenantId=<tenant>`: Teams shows the tenant at once.
    Teams,
    Custom {
        url: String,
    },
}

/// What the admin wrote in the message step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageSettings {
    /// Microsoft emails the invitation; off → the redemption link is shown once, in Rehome.
    pub send_email: bool,
    /// `messageLanguage`, e.g. `sv-SE`.
    pub language: String,
    /// Plain text; empty for none.
    pub personal_message: String,
    /// The one CC recipient the service supports.
    pub cc: Option<String>,
    pub landing: Landing,
}

/// Why the message settings cannot be sent as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MessageProblem {
    LanguageUnknown,
    MessageTooLong,
    CcNotAnAddress,
    LandingNotHttps,
}

impl MessageProblem {
    /// In English, for the error message and the log (the editor words each in the UI language).
    pub fn describe(self) -> String {
        match self {
            MessageProblem::LanguageUnknown => {
                "the invitation language is not one Microsoft offers".into()
            }
            MessageProblem::MessageTooLong => {
                format!("the personal message is longer than {MESSAGE_MAX_CHARS} characters")
            }
            MessageProblem::CcNotAnAddress => "the copy recipient is not an email address".into(),
            MessageProblem::LandingNotHttps => {
                "the landing page is not a full https:// address".into()
            }
        }
    }
}

impl MessageSettings {
    /// Every problem, so the editor can mark each field at once.
    pub fn problems(&self) -> Vec<MessageProblem> {
        let mut problems = Vec::new();
        if !MESSAGE_LANGUAGES.contains(&self.language.as_str()) {
            problems.push(MessageProblem::LanguageUnknown);
        }
        if self.personal_message.chars().count() > MESSAGE_MAX_CHARS as usize {
            problems.push(MessageProblem::MessageTooLong);
        }
        if let Some(cc) = self.cc.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            // The CC may be a colleague in the organisation: only its form matters.
            if email::problem(cc, &[]).is_some() {
                problems.push(MessageProblem::CcNotAnAddress);
            }
        }
        if let Landing::Custom { url } = &self.landing {
            let https = url::Url::parse(url.trim())
                .is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some());
            if !https {
                problems.push(MessageProblem::LandingNotHttps);
            }
        }
        problems
    }

    pub fn redirect_url(&self, tenant: &Tenant) -> String {
        match &self.landing {
            Landing::MyApps => format!("{}/?tenantId={}", tenant.cloud.my_apps(), tenant.id),
            Landing::Teams => tenant.teams_link(),
            Landing::Custom { url } => url.trim().to_owned(),
        }
    }
}

/// A PowerShell single-quoted string: every character PowerShell takes as a single quote (' and
/// the typographic ‘ ’ ‚ ‛ a word processor puts in a pasted message) is doubled, so nothing the
/// admin wrote can end the string and run as a command.
fn powershell_literal(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            quoted.push(c);
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

/// One conversion, decided: whom, to which address, whether `mail` is set first, and the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversionPlan {
    /// A conversion, a resend to a pending user, or a reset of redemption (DOMAIN.md §3.1).
    pub kind: EntryKind,
    pub user_id: String,
    pub user_principal_name: String,
    pub display_name: String,
    pub email: String,
    /// `PATCH /users/{id}` with `mail` first (a cloud-only user without a mailbox).
    pub set_mail: bool,
    pub message: MessageSettings,
}

/// One HTTP request exactly as it will be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRequest {
    pub method: String,
    /// Relative to the Graph endpoint of the cloud, e.g. `/v1.0/invitations`.
    pub path: String,
    /// Pretty-printed JSON.
    pub body: String,
}

/// What the confirmation shows: the exact requests, the same in PowerShell, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// What rehome-core decided from the review: whom, which address, whether `mail` is set.
    pub plan: ConversionPlan,
    pub requests: Vec<PlannedRequest>,
    pub powershell: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub message: MessageCheck,
}

/// What the message editor needs: what is wrong with the settings, the language picker and the
/// message length limits (a batch's message is checked without any one person's review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageCheck {
    pub problems: Vec<MessageProblem>,
    pub languages: Vec<String>,
    pub message_warning_chars: u32,
    pub message_max_chars: u32,
}

impl MessageSettings {
    pub fn check(&self) -> MessageCheck {
        MessageCheck {
            problems: self.problems(),
            languages: MESSAGE_LANGUAGES.iter().map(|l| (*l).to_owned()).collect(),
            message_warning_chars: MESSAGE_WARNING_CHARS,
            message_max_chars: MESSAGE_MAX_CHARS,
        }
    }
}

impl ConversionPlan {
    pub fn preview(&self, tenant: &Tenant) -> Preview {
        Preview {
            plan: self.clone(),
            requests: self.requests(tenant),
            powershell: self.powershell(tenant),
            message: self.message.check(),
        }
    }

    pub fn mail_patch(&self) -> Value {
        json!({ "mail": self.email })
    }

    /// The invitation body: `invitedUser` is only `{ "id" }` (an SDK sending the whole user
    /// object gets "The invited user already exists…"), `sendInvitationMessage` always explicit
    /// (Graph's default is false).
    pub fn invitation(&self, tenant: &Tenant) -> Value {
        let message = &self.message;
        let mut info = serde_json::Map::new();
        info.insert("messageLanguage".into(), json!(message.language));
        if !message.personal_message.trim().is_empty() {
            info.insert("customizedMessageBody".into(), json!(message.personal_message));
        }
        if let Some(cc) = message.cc.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            info.insert("ccRecipients".into(), json!([{ "emailAddress": { "address": cc } }]));
        }
        let mut body = json!({
            "invitedUserEmailAddress": self.email,
            "inviteRedirectUrl": message.redirect_url(tenant),
            "sendInvitationMessage": message.send_email,
            "invitedUserMessageInfo": info,
            "invitedUser": { "id": self.user_id },
        });
        if self.kind == EntryKind::ResetRedemption {
            body["resetRedemption"] = json!(true);
        }
        body
    }

    /// The requests in the order they are sent.
    pub fn requests(&self, tenant: &Tenant) -> Vec<PlannedRequest> {
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
        let mut requests = Vec::new();
        if self.set_mail {
            requests.push(PlannedRequest {
                method: "PATCH".into(),
                path: format!("/v1.0/users/{}", self.user_id),
                body: pretty(&self.mail_patch()),
            });
        }
        requests.push(PlannedRequest {
            method: "POST".into(),
            path: "/v1.0/invitations".into(),
            body: pretty(&self.invitation(tenant)),
        });
        requests
    }

    /// The same with Microsoft Graph PowerShell, for admins who keep a script trail.
    pub fn powershell(&self, tenant: &Tenant) -> String {
        let quote = powershell_literal;
        let message = &self.message;
        let environment = tenant
            .cloud
            .powershell_environment()
            .map(|e| format!(" -Environment {e}"))
            .unwrap_or_default();
        let mut lines = vec![
            format!("Connect-MgGraph{environment} -Scopes 'User.Invite.All','User.ReadWrite.All'"),
            format!("$user = Get-MgUser -UserId {}", quote(&self.user_id)),
        ];
        if self.set_mail {
            lines.push(format!("Update-MgUser -UserId $user.Id -Mail {}", quote(&self.email)));
        }
        let mut info = vec![format!("MessageLanguage = {}", quote(&message.language))];
        if !message.personal_message.trim().is_empty() {
            info.push(format!("CustomizedMessageBody = {}", quote(&message.personal_message)));
        }
        if let Some(cc) = message.cc.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            info.push(format!(
                "CcRecipients = @(@{{ EmailAddress = @{{ Address = {} }} }})",
                quote(cc)
            ));
        }
        lines.push(format!("$message = @{{ {} }}", info.join("; ")));
        lines.push(format!(
            "New-MgInvitation -InvitedUserEmailAddress {} -InviteRedirectUrl {} -SendInvitationMessage:${} -InvitedUserMessageInfo $message -InvitedUser @{{ Id = $user.Id }}{}",
            quote(&self.email),
            quote(&message.redirect_url(tenant)),
            message.send_email,
            if self.kind == EntryKind::ResetRedemption { " -ResetRedemption" } else { "" },
        ));
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> Tenant {
        Tenant { id: "t-1".into(), cloud: CloudId::Global }
    }

    fn plan() -> ConversionPlan {
        ConversionPlan {
            kind: EntryKind::Conversion,
            user_id: "5e1c6a8e-0000-4000-8000-000000000007".into(),
            user_principal_name: "astrid.berg@contoso.se".into(),
            display_name: "Astrid Berg".into(),
            email: "astrid.berg@northwind.example".into(),
            set_mail: true,
            message: MessageSettings {
                send_email: true,
                language: "sv-SE".into(),
                personal_message: "Hej Astrid!\nVälkommen – it's Anna.".into(),
                cc: Some(" anna@contoso.se ".into()),
                landing: Landing::MyApps,
            },
        }
    }

    #[test]
    fn the_invitation_names_the_user_by_id_only_and_says_whether_to_send_the_email() {
        let body = plan().invitation(&tenant());
        assert_eq!(
            body,
            json!({
                "invitedUserEmailAddress": "astrid.berg@northwind.example",
                "inviteRedirectUrl": "https://myapps.microsoft.com/?tenantId=t-1",
                "sendInvitationMessage": true,
                "invitedUserMessageInfo": {
                    "messageLanguage": "sv-SE",
                    "customizedMessageBody": "Hej Astrid!\nVälkommen – it's Anna.",
                    "ccRecipients": [{ "emailAddress": { "address": "anna@contoso.se" } }],
                },
                "invitedUser": { "id": "5e1c6a8e-0000-4000-8000-000000000007" },
            })
        );
        let mut quiet = plan();
        quiet.message.send_email = false;
        quiet.message.personal_message = "  ".into();
        quiet.message.cc = None;
        let body = quiet.invitation(&tenant());
        assert_eq!(body["sendInvitationMessage"], json!(false), "sent explicitly, not left out");
        assert_eq!(body["invitedUserMessageInfo"], json!({ "messageLanguage": "sv-SE" }));
    }

    #[test]
    fn the_requests_are_the_patch_then_the_invitation() {
        let requests = plan().requests(&tenant());
        let summary: Vec<_> =
            requests.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("PATCH", "/v1.0/users/5e1c6a8e-0000-4000-8000-000000000007"),
                ("POST", "/v1.0/invitations")
            ]
        );
        let posted: Value = serde_json::from_str(&requests[1].body).unwrap();
        assert_eq!(posted, plan().invitation(&tenant()), "the preview is what is sent");
        let mut no_patch = plan();
        no_patch.set_mail = false;
        assert_eq!(no_patch.requests(&tenant()).len(), 1);
    }

    #[test]
    fn a_reset_of_redemption_says_so_and_a_resend_is_a_plain_invitation() {
        let reset = ConversionPlan { kind: EntryKind::ResetRedemption, ..plan() };
        assert_eq!(reset.invitation(&tenant())["resetRedemption"], json!(true));
        assert!(reset.powershell(&tenant()).ends_with(" -ResetRedemption"));
        let resend = ConversionPlan { kind: EntryKind::Resend, ..plan() };
        assert!(resend.invitation(&tenant()).get("resetRedemption").is_none());
    }

    #[test]
    fn powershell_quotes_what_the_admin_wrote() {
        let script = plan().powershell(&tenant());
        assert!(
            script.contains("Update-MgUser -UserId $user.Id -Mail 'astrid.berg@northwind.example'")
        );
        assert!(script.contains("CustomizedMessageBody = 'Hej Astrid!\nVälkommen – it''s Anna.'"));
        assert!(script.contains("-SendInvitationMessage:$true"));
        assert!(script.contains("-InvitedUser @{ Id = $user.Id }"));
    }
    #[test]
    fn every_quote_character_powershell_honours_is_doubled() {
        let mut sneaky = plan();
        sneaky.message.personal_message =
            "It’s ‘fine’‚ ‛really'; Remove-MgUser -UserId x; '".into();
        sneaky.message.cc = None;
        let script = sneaky.powershell(&tenant());
        let body = script.lines().find(|l| l.contains("CustomizedMessageBody")).unwrap();
        assert!(
            body.contains("'It’’s ‘‘fine’’‚‚ ‛‛really''; Remove-MgUser -UserId x; '''"),
            "{body}"
        );
        // Inside the literal, quotes only ever come in pairs: the string never ends early.
        let literal = body.split("CustomizedMessageBody = '").nth(1).unwrap();
        let inner = literal.rsplit_once("' }").unwrap().0;
        let quotes = ['\'', '‘', '’', '‚', '‛'];
        let mut run = 0;
        for c in inner.chars().chain(std::iter::once('x')) {
            if quotes.contains(&c) {
                run += 1;
            } else {
                assert_eq!(run % 2, 0, "an odd run of quotes ends the string: {inner}");
                run = 0;
            }
        }
    }

    #[test]
    fn bad_settings_are_each_reported_before_anything_is_sent() {
        let mut settings = plan().message;
        assert_eq!(settings.problems(), []);
        settings.language = "xx-YY".into();
        settings.personal_message = "a".repeat(MESSAGE_MAX_CHARS as usize + 1);
        settings.cc = Some("anna@".into());
        settings.landing = Landing::Custom { url: "http://intranet.contoso.se".into() };
        assert_eq!(
            settings.problems(),
            [
                MessageProblem::LanguageUnknown,
                MessageProblem::MessageTooLong,
                MessageProblem::CcNotAnAddress,
                MessageProblem::LandingNotHttps
            ]
        );
        settings.landing = Landing::Custom { url: "not a url".into() };
        assert!(settings.problems().contains(&MessageProblem::LandingNotHttps));
        settings.landing = Landing::Custom { url: " https://portal.contoso.se/start ".into() };
        assert_eq!(settings.redirect_url(&tenant()), "https://portal.contoso.se/start");
        assert_eq!(
            MessageSettings { landing: Landing::Teams, ..plan().message }.redirect_url(&tenant()),
            "https://teams.microsoft.com/?tenantId=t-1"
        );
    }

    #[test]
    fn national_clouds_land_on_their_own_hosts_and_connect_to_their_environment() {
        let gcc_high = Tenant { id: "t-1".into(), cloud: CloudId::UsGov };
        let teams = MessageSettings { landing: Landing::Teams, ..plan().message };
        assert_eq!(teams.redirect_url(&gcc_high), "https://gov.teams.microsoft.us/?tenantId=t-1");
        let dod = Tenant { id: "t-1".into(), cloud: CloudId::UsGovDod };
        assert_eq!(teams.redirect_url(&dod), "https://dod.teams.microsoft.us/?tenantId=t-1");
        assert_eq!(
            plan().message.redirect_url(&gcc_high),
            "https://myapps.microsoft.us/?tenantId=t-1"
        );
        let china = Tenant { id: "t-1".into(), cloud: CloudId::China };
        assert!(plan().powershell(&china).starts_with("Connect-MgGraph -Environment China "));
        assert!(plan().powershell(&dod).starts_with("Connect-MgGraph -Environment USGovDoD "));
        assert!(plan().powershell(&tenant()).starts_with("Connect-MgGraph -Scopes "));
        assert_eq!(
            plan().invitation(&gcc_high)["inviteRedirectUrl"],
            "https://myapps.microsoft.us/?tenantId=t-1"
        );
    }
}
