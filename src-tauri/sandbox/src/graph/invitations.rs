//! `POST /invitations` (DOMAIN.md §1.3–§2, §3.1, §7.3): converting an internal user with
//! `invitedUser.id`, resending, resetting redemption and inviting a new guest, with the rules and
//! the (often unhelpful) messages the service gives. Redemption happens through the link, or
//! through the control panel.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{
    auth::{Caller, Meta, INVITE, WRITE_USERS},
    context,
};
use crate::{
    directory::{Identity, User, INITIAL_DOMAIN},
    state::{throttled, SandboxState, Shared},
};

#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: String,
    pub user_id: String,
    pub redeem_token: String,
    pub accept_at: Option<u64>,
    pub redeemed: bool,
}

/// Characters the service rejects in an address (DOMAIN.md §2.2; `+` included).
const DISALLOWED: &[char] = &[
    '~', '!', '#', '$', '%', '^', '&', '*', '(', ')', '+', '=', '[', ']', '{', '}', '\\', '/', '|',
    ';', ':', '"', '<', '>', '?', ',', ' ',
];

/// The invitation service's refusal when `mail` does not hold the address (DOMAIN.md §11.4).
pub const MAIL_DOES_NOT_MATCH: &str =
    "The invited user's email address doesn't match any emails on the user object.";
const ALREADY_EXISTS: &str =
    "Non-external user already exists with the given mail address and can't be invited.";

/// 412 for an account converted from external to internal: it cannot be made external again
/// (DOMAIN.md §3.2; the status is documented, the words are the sample's).
fn converted_to_internal(caller: &Caller) -> Response {
    caller.meta.graph_error(
        StatusCode::PRECONDITION_FAILED,
        "PreconditionFailed",
        "This account was converted from external to internal and cannot be invited to B2B collaboration again.",
    )
}

/// Microsoft's limit on `/invitations`: any request, per tenant for all apps (throttling-limits,
/// "Invitation manager service limits").
pub const LIMIT: usize = 150;
pub const WINDOW: Duration = Duration::from_secs(5);

/// Counts this request against the limit; over it, the seconds to wait. Requests refused for
/// being over it count too ("all requests accrue against your usage limits"), so a client that
/// retries before `Retry-After` only waits longer.
fn over_the_limit(state: &mut SandboxState) -> Option<f64> {
    let now = state.now_precise();
    while state.invitation_requests.front().is_some_and(|at| now.saturating_sub(*at) >= WINDOW) {
        state.invitation_requests.pop_front();
    }
    let full = state.invitation_requests.len() >= LIMIT;
    let wait =
        state.invitation_requests.front().map(|oldest| (*oldest + WINDOW).saturating_sub(now));
    state.invitation_requests.push_back(now);
    // Whole seconds, rounded up: by then the window has room.
    full.then(|| wait.unwrap_or(WINDOW).as_secs_f64().ceil().max(1.0))
}

/// Abuse protection: Microsoft blocks a directory's invitations when it sees bulk inviting as
/// suspicious; the block stays until support lifts it (Learn Q&A 2026, DOMAIN.md §2.6).
const SUSPICIOUS_ACTIVITY: &str =
    "Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support for help.";

/// Roles that may send an invitation to a new guest or resend one (invitation-post).
const INVITER_ROLES: &[&str] = &["User Administrator", "Guest Inviter", "Directory Writers"];

pub fn valid_invitation_address(address: &str) -> bool {
    // Internationalised addresses are refused, as for `mail` (DOMAIN.md §11.3).
    if !address.is_ascii() {
        return false;
    }
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let edge = |c: Option<char>| matches!(c, Some('.' | '-'));
    !local.is_empty()
        && !local.contains(DISALLOWED)
        && !local.contains('@')
        && !edge(local.chars().next())
        && !edge(local.chars().last())
        && domain.contains('.')
        && !domain.contains(DISALLOWED)
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
}

fn bad(caller: &Caller, message: &str) -> Response {
    caller.meta.graph_error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

pub async fn create(State(shared): State<Arc<Shared>>, caller: Caller, body: String) -> Response {
    let over = over_the_limit(&mut shared.lock());
    if let Some(retry_after) = over {
        return throttled(&caller.meta, retry_after);
    }
    if let Err(denied) = caller.require(INVITE) {
        return denied;
    }
    let Ok(request) = serde_json::from_str::<Value>(&body) else {
        return bad(&caller, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    };
    let Some(email) =
        request["invitedUserEmailAddress"].as_str().map(str::trim).filter(|e| !e.is_empty())
    else {
        return bad(&caller, "The invitedUserEmailAddress property is required.");
    };
    let Some(redirect) = request["inviteRedirectUrl"].as_str().filter(|u| {
        url::Url::parse(u).is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http")
    }) else {
        return bad(
            &caller,
            "The inviteRedirectUrl property is required and must be an absolute URL.",
        );
    };
    if !valid_invitation_address(email) {
        return bad(&caller, &format!("The email address '{email}' is not valid."));
    }
    let message_info = &request["invitedUserMessageInfo"];
    let cc: Vec<&Value> = message_info["ccRecipients"]
        .as_array()
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    if cc.len() > 1 {
        return bad(&caller, "Only one additional recipient (ccRecipients) is supported.");
    }
    if cc
        .iter()
        .any(|r| !r["emailAddress"]["address"].as_str().is_some_and(valid_invitation_address))
    {
        return bad(&caller, "The ccRecipients address is not valid.");
    }
    let reset = request["resetRedemption"].as_bool().unwrap_or(false);
    let target_id = request["invitedUser"]["id"].as_str();
    if reset && target_id.is_none() {
        return bad(&caller, "resetRedemption requires invitedUser.id.");
    }

    let mut state = shared.lock();
    match state.invitations_blocked_after.as_mut() {
        Some(0) => {
            return caller.meta.graph_error(StatusCode::FORBIDDEN, "Forbidden", SUSPICIOUS_ACTIVITY)
        }
        Some(left) => *left -= 1,
        None => {}
    }
    let user = match target_id {
        Some(id) => match existing_user(&caller, &mut state, id, email, reset) {
            Ok(user) => user,
            Err(response) => return response,
        },
        None => {
            match new_guest(&caller, &mut state, email, request["invitedUserDisplayName"].as_str())
            {
                Ok(user) => user,
                Err(response) => return response,
            }
        }
    };

    let now = state.now();
    let since = state.now_rfc3339();
    let invitation = Invitation {
        id: state.ids.uuid(),
        user_id: user.id.clone(),
        redeem_token: state.ids.token(32),
        accept_at: state.auto_redeem_after_secs.map(|after| now + after),
        redeemed: false,
    };
    if let Some(stored) = state.directory.user_mut(&user.id) {
        stored.external_user_state = Some("PendingAcceptance".into());
        stored.external_user_state_change_date_time = Some(since);
        if reset {
            stored.identities = vec![Identity {
                sign_in_type: "userPrincipalName".into(),
                issuer: INITIAL_DOMAIN.into(),
                issuer_assigned_id: Some(stored.user_principal_name.clone()),
            }];
        }
    }
    state.invitations.retain(|i| i.user_id != user.id || i.redeemed);
    state.invitations.push(invitation.clone());

    let echo = |v: &Value| if v.is_null() { Value::Null } else { v.clone() };
    let cc_echo = if cc.is_empty() {
        json!([{ "emailAddress": { "name": null, "address": null } }])
    } else {
        message_info["ccRecipients"].clone()
    };
    let body = json!({
        "@odata.context": context(&shared, "invitations/$entity"),
        "id": invitation.id,
        "inviteRedeemUrl": format!("{}/redeem?rd={}", shared.base_url, invitation.redeem_token),
        "invitedUserDisplayName": echo(&request["invitedUserDisplayName"]),
        "invitedUserType": user.user_type,
        "invitedUserEmailAddress": email,
        "sendInvitationMessage": request["sendInvitationMessage"].as_bool().unwrap_or(false),
        "resetRedemption": reset,
        "inviteRedirectUrl": redirect,
        "status": "PendingAcceptance",
        "invitedUserMessageInfo": {
            "messageLanguage": echo(&message_info["messageLanguage"]),
            "customizedMessageBody": echo(&message_info["customizedMessageBody"]),
            "ccRecipients": cc_echo,
        },
        "invitedUser": { "id": user.id, "userPrincipalName": user.user_principal_name },
    });
    (StatusCode::CREATED, Json(body)).into_response()
}

/// Conversion of an internal user, resend to a pending one, or reset of redemption.
fn existing_user(
    caller: &Caller,
    state: &mut SandboxState,
    id: &str,
    email: &str,
    reset: bool,
) -> Result<User, Response> {
    let Some(user) = state.directory.user(id).cloned() else {
        return Err(caller.meta.graph_error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
        ));
    };
    if user.converted_to_internal_at.is_some() {
        return Err(converted_to_internal(caller));
    }
    // Users, groups and contacts share one space of addresses (DOMAIN.md §11.6).
    let used_elsewhere = state.directory.address_taken(email, &user.id);
    if reset {
        if caller.require(WRITE_USERS).is_err()
            || !caller.has_role(&["Helpdesk Administrator", "User Administrator"])
        {
            return Err(caller.denied());
        }
        if used_elsewhere {
            return Err(bad(caller, ALREADY_EXISTS));
        }
        return Ok(user);
    }
    match user.external_user_state.as_deref() {
        Some("PendingAcceptance") => {
            // A resend: same rules on who may send it as for the first invitation.
            if !caller.has_role(INVITER_ROLES) {
                return Err(caller.denied());
            }
            return Ok(user);
        }
        Some(_) => {
            return Err(bad(caller, &format!(
                "The invited user already exists in the directory as objectID: {}. They can use that account to sign in to shared apps and resources.",
                user.id
            )));
        }
        None => {}
    }
    // Converting an internal user (DOMAIN.md §1.3).
    if !caller.has_role(&["User Administrator"]) {
        return Err(caller.denied());
    }
    if user.on_premises_user_principal_name.is_some() {
        return Err(bad(caller, "Invalid request input."));
    }
    // The invitation service judges the `mail` it sees, which may lag a PATCH (§11.4).
    let mail = state.mail_seen_by_invitations(&user).unwrap_or_default();
    if !mail.eq_ignore_ascii_case(email) {
        return Err(bad(caller, MAIL_DOES_NOT_MATCH));
    }
    let domain = mail.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if state.directory.is_verified_domain(domain) {
        return Err(bad(caller, "User's email address cannot be in a verified domain. Please change the user's email to enable conversion to a B2B user."));
    }
    if used_elsewhere {
        return Err(bad(caller, ALREADY_EXISTS));
    }
    Ok(user)
}

fn new_guest(
    caller: &Caller,
    state: &mut SandboxState,
    email: &str,
    display_name: Option<&str>,
) -> Result<User, Response> {
    if !caller.has_role(INVITER_ROLES) {
        return Err(caller.denied());
    }
    let existing = state
        .directory
        .users
        .iter()
        .find(|u| u.addresses().contains(&email.to_lowercase()))
        .cloned();
    match existing {
        Some(user) if user.converted_to_internal_at.is_some() => Err(converted_to_internal(caller)),
        Some(user) if user.creation_type.as_deref() == Some("Invitation") => Ok(user),
        Some(_) => Err(bad(caller, ALREADY_EXISTS)),
        // A group or a contact holds the address.
        None if state.directory.address_taken(email, "") => Err(bad(caller, ALREADY_EXISTS)),
        None => {
            let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
            let upn = format!("{local}_{domain}#EXT#@{INITIAL_DOMAIN}");
            let id = state.ids.uuid();
            let mut user = User::blank(id, display_name.unwrap_or(local), &upn, INITIAL_DOMAIN);
            user.mail = Some(email.to_owned());
            user.proxy_addresses = vec![format!("SMTP:{email}")];
            user.user_type = "Guest".into();
            user.creation_type = Some("Invitation".into());
            state.directory.users.push(user.clone());
            Ok(user)
        }
    }
}

/// There is no GET of invitations in Graph (DOMAIN.md §2.1).
pub async fn not_listable(Meta(meta): Meta) -> Response {
    meta.graph_error(StatusCode::NOT_FOUND, "UnknownError", "")
}

/// The person redeems: the account now signs in with its external identity.
pub fn accept(state: &mut SandboxState, user_id: &str) -> bool {
    let since = state.now_rfc3339();
    let Some(user) = state.directory.user_mut(user_id) else { return false };
    if user.external_user_state.as_deref() != Some("PendingAcceptance") {
        return false;
    }
    user.external_user_state = Some("Accepted".into());
    user.external_user_state_change_date_time = Some(since);
    user.identities = vec![Identity {
        sign_in_type: "federated".into(),
        issuer: "ExternalAzureAD".into(),
        issuer_assigned_id: None,
    }];
    let id = user.id.clone();
    for invitation in state.invitations.iter_mut().filter(|i| i.user_id == id) {
        invitation.redeemed = true;
    }
    true
}

/// Redeems what `Control::accept_invitations_after` scheduled, once its time has come.
pub fn apply_due_redemptions(state: &mut SandboxState) {
    let now = state.now();
    let due: Vec<String> = state
        .invitations
        .iter()
        .filter(|i| !i.redeemed && i.accept_at.is_some_and(|at| at <= now))
        .map(|i| i.user_id.clone())
        .collect();
    for user_id in due {
        accept(state, &user_id);
    }
}

/// The link in the invitation email: opening it is accepting.
pub async fn redeem_page(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let mut state = shared.lock();
    let user_id = query
        .get("rd")
        .and_then(|token| {
            state.invitations.iter().find(|i| &i.redeem_token == token && !i.redeemed)
        })
        .map(|i| i.user_id.clone());
    let text = match user_id {
        Some(user_id) if accept(&mut state, &user_id) => "Invitation accepted. In the sample directory this account now signs in with its own organisation's identity.",
        _ => "This invitation link is not valid any more: it was used already or replaced by a newer one.",
    };
    Html(format!("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Contoso (sample)</title><p>{text}</p></html>")).into_response()
}
