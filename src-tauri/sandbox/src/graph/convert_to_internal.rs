//! `POST /beta/users/{id}/convertExternalToInternalMemberUser` (DOMAIN.md §3.2): an account that
//! signs in externally becomes an internal member – a cloud user with a new UPN in a verified,
//! managed domain and a password; a synced user with neither (both stay on-premises). The refusal
//! texts are Microsoft's where its documentation gives them, the sample's own otherwise (the
//! README ledger says which).

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};

use super::{
    auth::{Caller, CONVERT_TO_INTERNAL},
    users::looks_like_address,
};
use crate::{
    directory::{Identity, User},
    state::{SandboxState, Shared},
};

pub const ALREADY_INTERNAL: &str =
    "The user authentication is already internal and is not eligible for conversion.";
pub const SYNCED_UPN_OR_PASSWORD: &str =
    "For users synchronized from on-premises, userPrincipalName and passwordProfile must be empty";
const UPN_EMPTY: &str = "The provided UPN cannot be empty.";
const NO_VALID_DOMAIN: &str = "The provided UPN does not have a valid domain.";
const MAIL_EMPTY: &str = "The mail provided cannot be empty.";
const PASSWORD_INVALID: &str = "The provided password is not valid.";
const UPN_TAKEN: &str =
    "Another object with the same value for property userPrincipalName already exists.";
const MAIL_TAKEN: &str =
    "Another object with the same value for property proxyAddresses already exists.";
const SYNCED_MAIL: &str = "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.";

/// Symbols Entra allows in a cloud password, besides letters, digits and the blank space
/// (concept-sspr-policy, "Microsoft Entra password policies").
const PASSWORD_SYMBOLS: &str = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<>";

/// The action's parameters, as sent; names compared without case (the 2023 article's own
/// example spells `userprincipalName`).
struct Parameters {
    user_principal_name: Option<Value>,
    password_profile: Option<Value>,
    mail: Option<Value>,
}

fn bad(caller: &Caller, message: &str) -> Response {
    caller.meta.graph_error(StatusCode::BAD_REQUEST, "badRequest", message)
}

fn parameters(caller: &Caller, body: &str) -> Result<Parameters, Response> {
    // The synced-user example sends no body at all.
    let parsed = if body.trim().is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_str(body).map_err(|_| {
            caller.meta.graph_error(StatusCode::BAD_REQUEST, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
        })?
    };
    let Value::Object(fields) = parsed else {
        return Err(bad(caller, "The request payload must be a JSON object."));
    };
    let mut found = Parameters { user_principal_name: None, password_profile: None, mail: None };
    for (key, value) in fields {
        // Instance annotations (`@odata.type`) are accepted and ignored, as on PATCH.
        if key.starts_with("@odata.") || value.is_null() {
            continue;
        }
        let slot = match key.to_ascii_lowercase().as_str() {
            "userprincipalname" => &mut found.user_principal_name,
            "passwordprofile" => &mut found.password_profile,
            "mail" => &mut found.mail,
            _ => {
                return Err(bad(caller, &format!("The parameter '{key}' in the request payload is not a valid parameter for the operation 'convertExternalToInternalMemberUser'.")))
            }
        };
        *slot = Some(value);
    }
    Ok(found)
}

/// Entra's rules for a cloud user's UPN (concept-sspr-policy, "Username policies").
fn valid_upn(upn: &str) -> bool {
    let Some((alias, domain)) = upn.split_once('@') else { return false };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "'.-_!#^~".contains(c);
    upn.len() <= 113
        && (1..=64).contains(&alias.len())
        && domain.len() <= 48
        && alias.chars().all(allowed)
        && !alias.ends_with('.')
        && !domain.contains('@')
        && looks_like_address(upn)
}

/// 8–256 characters from the allowed set, three of the four kinds (concept-sspr-policy).
fn valid_password(password: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == ' ' || PASSWORD_SYMBOLS.contains(c);
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| PASSWORD_SYMBOLS.contains(c) || c == ' '),
    ];
    (8..=256).contains(&password.chars().count())
        && password.chars().all(allowed)
        && kinds.iter().filter(|k| **k).count() >= 3
}

/// `true`, `false`, or the strings the documentation's own example sends.
fn flag(value: Option<&Value>) -> Option<bool> {
    match value {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => None,
    }
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
}

/// What a cloud user's request must hold; `Err` is the refusal.
fn check_cloud(
    caller: &Caller,
    state: &SandboxState,
    user: &User,
    parameters: &Parameters,
) -> Result<String, Response> {
    let upn = match &parameters.user_principal_name {
        Some(Value::String(upn)) if !upn.trim().is_empty() => upn.trim().to_owned(),
        Some(Value::String(_)) | None => return Err(bad(caller, UPN_EMPTY)),
        Some(_) => {
            return Err(bad(
                caller,
                "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
            ))
        }
    };
    if !valid_upn(&upn) {
        return Err(bad(
            caller,
            "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
        ));
    }
    let directory = &state.directory;
    if !directory.is_verified_domain(domain_of(&upn)) {
        return Err(bad(caller, NO_VALID_DOMAIN));
    }
    if directory.is_federated_domain(domain_of(&upn)) {
        return Err(bad(
            caller,
            "The provided UPN's domain is federated: a cloud user needs a UPN in a managed domain.",
        ));
    }
    if directory.address_taken(&upn, &user.id) {
        return Err(caller.meta.graph_error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            UPN_TAKEN,
        ));
    }
    let Some(profile) = &parameters.password_profile else {
        return Err(bad(
            caller,
            "A passwordProfile is required for users whose authentication is managed in the cloud.",
        ));
    };
    let password = profile
        .as_object()
        .and_then(|p| p.iter().find(|(k, _)| k.eq_ignore_ascii_case("password")))
        .and_then(|(_, v)| v.as_str());
    if !password.is_some_and(valid_password) {
        return Err(bad(caller, PASSWORD_INVALID));
    }
    let force = profile.get("forceChangePasswordNextSignIn");
    if flag(force).is_none() {
        return Err(bad(caller, "Invalid value specified for property 'forceChangePasswordNextSignIn' of resource 'PasswordProfile'."));
    }
    Ok(upn)
}

/// The optional new `mail` of a cloud user: in one of the organisation's verified domains (the
/// article's error table) and not used by another object.
fn check_mail(
    caller: &Caller,
    state: &SandboxState,
    user: &User,
    mail: Option<&Value>,
) -> Result<Option<String>, Response> {
    let mail = match mail {
        None => return Ok(None),
        Some(Value::String(mail)) if mail.trim().is_empty() => return Err(bad(caller, MAIL_EMPTY)),
        Some(Value::String(mail)) if looks_like_address(mail.trim()) && mail.is_ascii() => {
            mail.trim().to_owned()
        }
        Some(_) => {
            return Err(bad(
                caller,
                "Invalid value specified for property 'mail' of resource 'User'.",
            ))
        }
    };
    if !state.directory.is_verified_domain(domain_of(&mail)) {
        return Err(bad(caller, NO_VALID_DOMAIN));
    }
    if state.directory.address_taken(&mail, &user.id) {
        return Err(caller.meta.graph_error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            MAIL_TAKEN,
        ));
    }
    Ok(Some(mail))
}

/// `2024-02-05T20:16:37.5012924Z`, as the documented answer writes it.
fn timestamp(state: &SandboxState) -> String {
    let now = state.now_precise();
    let seconds = humantime::format_rfc3339_seconds(
        std::time::UNIX_EPOCH + Duration::from_secs(now.as_secs()),
    )
    .to_string();
    format!("{}.{:07}Z", seconds.trim_end_matches('Z'), now.subsec_nanos() / 100)
}

pub async fn convert(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Response {
    if let Err(denied) = caller.require(CONVERT_TO_INTERNAL) {
        return denied;
    }
    // "User Administrator is the least privileged role supported for this operation."
    if !caller.has_role(&["User Administrator"]) {
        return caller.denied();
    }
    let parameters = match parameters(&caller, &body) {
        Ok(parameters) => parameters,
        Err(refused) => return refused,
    };
    let mut state = shared.lock();
    let Some(user) = state.directory.user(&id).cloned() else {
        return caller.meta.graph_error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
        );
    };
    if !user.signs_in_externally() {
        return bad(&caller, ALREADY_INTERNAL);
    }
    // A known issue of the feature: role holders cannot be converted (no documented text).
    if !state.directory.active_roles(&user.id).is_empty() {
        return bad(&caller, "The sample directory does not convert a user who holds a directory role (a known limitation of the feature).");
    }
    let synced = user.on_premises_sync_enabled == Some(true);
    let (upn, mail) = if synced {
        if parameters.user_principal_name.is_some() || parameters.password_profile.is_some() {
            return bad(&caller, SYNCED_UPN_OR_PASSWORD);
        }
        // `mail` is for cloud users; a synced user's is mastered on-premises.
        if parameters.mail.is_some() {
            return caller.meta.graph_error(
                StatusCode::BAD_REQUEST,
                "Request_BadRequest",
                SYNCED_MAIL,
            );
        }
        (user.user_principal_name.clone(), None)
    } else {
        let upn = match check_cloud(&caller, &state, &user, &parameters) {
            Ok(upn) => upn,
            Err(refused) => return refused,
        };
        match check_mail(&caller, &state, &user, parameters.mail.as_ref()) {
            Ok(mail) => (upn, mail),
            Err(refused) => return refused,
        }
    };

    let converted_at = timestamp(&state);
    let Some(stored) = state.directory.user_mut(&user.id) else {
        return caller.denied();
    };
    // The account now signs in with the organisation (the sample's model of Microsoft's
    // "internal property"; externalUserState is no longer that of an invited user).
    stored.user_principal_name.clone_from(&upn);
    stored.identities = vec![Identity {
        sign_in_type: "userPrincipalName".into(),
        issuer: domain_of(&upn).to_owned(),
        issuer_assigned_id: Some(upn.clone()),
    }];
    stored.user_type = "Member".into();
    stored.external_user_state = None;
    stored.external_user_state_change_date_time = None;
    stored.creation_type = None;
    stored.converted_to_internal_at = Some(converted_at.clone());
    if let Some(mail) = &mail {
        stored.proxy_addresses.retain(|p| !p.starts_with("SMTP:"));
        stored.proxy_addresses.insert(0, format!("SMTP:{mail}"));
        stored.mail = Some(mail.clone());
    }
    let answer = json!({
        "@odata.context": format!("{}/beta/$metadata#microsoft.graph.conversionUserDetails", shared.base_url),
        "displayName": stored.display_name,
        "userPrincipalName": stored.user_principal_name,
        "convertedToInternalUserDateTime": converted_at,
        "mail": stored.mail,
    });
    // A pending invitation link stops working: there is nothing external left to redeem.
    state.invitations.retain(|i| i.user_id != user.id);
    state.stale_mail.remove(&user.id);
    (StatusCode::OK, Json(answer)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_entras_policy() {
        assert!(valid_password("Zdi087#2jhkahf"), "the documentation's own example");
        assert!(valid_password("te$tPassw0rd"));
        assert!(valid_password("lower UPPER 123"), "a blank counts as a symbol");
        assert!(!valid_password("Sh0rt!"), "eight at least");
        assert!(!valid_password("alllowercase1"), "two kinds only");
        assert!(!valid_password("Lösenord123!"), "no characters outside the allowed set");
        assert!(!valid_password(&"Aa1!".repeat(65)), "256 at most");
    }

    #[test]
    fn upns_follow_entras_username_policy() {
        assert!(valid_upn("dora.lindberg@contoso-sample.se"));
        assert!(valid_upn("o'neil_x!#^~@contoso-sample.se"));
        assert!(!valid_upn("dora.@contoso-sample.se"), "no period before the @");
        assert!(!valid_upn("dora lindberg@contoso-sample.se"));
        assert!(!valid_upn("åsa@contoso-sample.se"));
        assert!(!valid_upn(&format!("{}@contoso-sample.se", "a".repeat(65))));
        assert!(!valid_upn("dora@contoso@sample.se"));
    }
}
