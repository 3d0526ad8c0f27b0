//! Who is calling Graph: the bearer token is verified (signature, lifetime, audience) and its
//! scopes and the caller's directory roles decide what they may do.

use std::sync::Arc;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::Response,
};

use crate::{
    jwt::TokenProblem,
    state::{RequestMeta, Shared},
};

pub const READ_USERS: &[&str] =
    &["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
pub const WRITE_USERS: &[&str] = &["User.ReadWrite.All", "Directory.ReadWrite.All"];
/// `convertExternalToInternalMemberUser`: least privileged first (DOMAIN.md §3.2).
pub const CONVERT_TO_INTERNAL: &[&str] =
    &["User-ConvertToInternal.ReadWrite.All", "User.ReadWrite.All"];
pub const INVITE: &[&str] = &["User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
pub const READ_ME: &[&str] = &[
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
pub const READ_LICENSES: &[&str] = &[
    "LicenseAssignment.Read.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
pub const READ_DOMAINS: &[&str] =
    &["Domain.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];
pub const READ_FEDERATION: &[&str] = &["Domain.Read.All", "IdentityProvider.Read.All"];
/// Roles that may read the external IdP federation configurations (DOMAIN.md §11.5).
pub const FEDERATION_ROLES: &[&str] =
    &["External Identity Provider Administrator", "Global Administrator", "Global Reader"];
pub const READ_GROUPS: &[&str] =
    &["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];
pub const READ_CONTACTS: &[&str] =
    &["OrgContact.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];
/// Permissions that read directory roles; without one, roles come back as id and type only.
/// `Directory.AccessAsUser.All` is what the Azure CLI's own app holds.
pub const READ_ROLES: &[&str] = &[
    "RoleManagement.Read.Directory",
    "Directory.AccessAsUser.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// The request's meta data, for handlers that need no caller.
pub struct Meta(pub RequestMeta);

impl FromRequestParts<Arc<Shared>> for Meta {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &Arc<Shared>) -> Result<Self, Response> {
        Ok(Meta(meta(parts)))
    }
}

fn meta(parts: &Parts) -> RequestMeta {
    parts.extensions.get::<RequestMeta>().cloned().unwrap_or_else(|| RequestMeta {
        request_id: String::new(),
        client_request_id: String::new(),
        date: String::new(),
    })
}

pub struct Caller {
    pub meta: RequestMeta,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub roles: Vec<&'static str>,
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Response> {
        let meta = meta(parts);
        let unauthorized = |message: &str| {
            meta.graph_error(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message)
        };
        let Some(token) = bearer(&parts.headers) else {
            return Err(unauthorized("Access token is empty."));
        };
        let state = shared.lock();
        let claims = match shared.signer.verify(token, state.now()) {
            Ok(claims) => claims,
            Err(TokenProblem::Expired) => {
                return Err(unauthorized("Lifetime validation failed, the token is expired."))
            }
            Err(TokenProblem::BadSignature) => {
                return Err(unauthorized("Access token validation failure. Invalid signature."))
            }
            Err(TokenProblem::Malformed) => {
                return Err(unauthorized("IDX14100: JWT is not well formed."))
            }
        };
        if claims["aud"] != "https://graph.microsoft.com" {
            return Err(unauthorized("Access token validation failure. Invalid audience."));
        }
        let user = claims["oid"].as_str().and_then(|oid| state.directory.user(oid));
        let Some(user) = user else {
            return Err(unauthorized("The user of this token no longer exists."));
        };
        let scopes = claims["scp"]
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        // Roles held through a role-assignable group count as well.
        let roles = state.directory.active_roles(&user.id);
        Ok(Caller { meta, user_id: user.id.clone(), scopes, roles })
    }
}

impl Caller {
    /// 403 unless the token carries one of these delegated permissions.
    pub fn require(&self, any_of: &[&str]) -> Result<(), Response> {
        if self.scopes.iter().any(|s| any_of.iter().any(|a| a.eq_ignore_ascii_case(s))) {
            Ok(())
        } else {
            Err(self.denied())
        }
    }

    /// Whether the token carries one of these delegated permissions.
    pub fn has_scope(&self, any_of: &[&str]) -> bool {
        self.scopes.iter().any(|s| any_of.iter().any(|a| a.eq_ignore_ascii_case(s)))
    }

    pub fn has_role(&self, any_of: &[&str]) -> bool {
        self.roles.iter().any(|r| any_of.contains(r) || *r == "Global Administrator")
    }

    pub fn denied(&self) -> Response {
        self.meta.graph_error(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// For the request log: the calling app, when its token is one of ours.
pub fn client_name(shared: &Shared, headers: &HeaderMap) -> String {
    bearer(headers)
        .and_then(|token| shared.signer.verify(token, 0).ok())
        .and_then(|claims| claims["appid"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "anonymous".into())
}
