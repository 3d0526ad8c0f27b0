//! The Microsoft Graph v1.0 subset Rehome uses (DOMAIN.md §2–§8).

pub mod auth;
mod batch;
mod convert_to_internal;
pub mod invitations;
mod objects;
mod users;

use std::sync::Arc;

use axum::{
    extract::{RawQuery, State},
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::{json, Value};

use self::auth::{Caller, Meta, FEDERATION_ROLES, READ_DOMAINS, READ_FEDERATION, READ_ME};
use crate::{
    odata,
    state::{query_options, Shared},
};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/me", get(users::me))
        .route("/me/memberOf", get(objects::member_of))
        .route("/me/memberOf/{cast}", get(objects::member_of))
        .route("/me/transitiveMemberOf", get(objects::transitive_member_of))
        .route("/me/transitiveMemberOf/{cast}", get(objects::transitive_member_of))
        .route("/groups", get(objects::groups))
        .route("/contacts", get(objects::contacts))
        .route("/users", get(users::list))
        .route("/users/{id}", get(users::get_one).patch(users::update))
        .route("/users/{id}/licenseDetails", get(users::license_details))
        .route("/users/{id}/memberOf", get(objects::user_member_of))
        .route("/users/{id}/memberOf/{cast}", get(objects::user_member_of_cast))
        .route("/users/{id}/transitiveMemberOf", get(objects::user_transitive_member_of))
        .route(
            "/users/{id}/transitiveMemberOf/{cast}",
            get(objects::user_transitive_member_of_cast),
        )
        .route("/organization", get(organization))
        .route("/domains", get(domains))
        .route("/directory/federationConfigurations/{kind}", get(federations))
        .route("/invitations", post(invitations::create).get(invitations::not_listable))
        .route("/$batch", post(batch::run))
        .fallback(unknown_segment)
}

/// The beta endpoint: only the action Rehome uses there (DOMAIN.md §3.2 – no v1.0 exists).
pub fn beta_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/users/{id}/convertExternalToInternalMemberUser",
            post(convert_to_internal::convert),
        )
        .fallback(unknown_segment)
}

pub fn context(shared: &Shared, what: &str) -> String {
    format!("{}/v1.0/$metadata#{what}", shared.base_url)
}

async fn organization(State(shared): State<Arc<Shared>>, caller: Caller) -> Response {
    if let Err(denied) = caller.require(READ_ME) {
        return denied;
    }
    let state = shared.lock();
    let verified: Vec<Value> = state
        .directory
        .domains
        .iter()
        .filter(|d| d.is_verified)
        .map(|d| json!({ "capabilities": "Email, OfficeCommunicationsOnline", "isDefault": d.is_default, "isInitial": d.is_initial, "name": d.id, "type": d.authentication }))
        .collect();
    Json(json!({
        "@odata.context": context(&shared, "organization"),
        "value": [{
            "id": state.directory.tenant_id,
            "displayName": crate::directory::TENANT_NAME,
            "tenantType": "AAD",
            "countryLetterCode": "SE",
            "preferredLanguage": "sv",
            "verifiedDomains": verified,
            // Some of the sample's users are synced from on-premises (Entra Connect).
            "onPremisesSyncEnabled": true,
            "onPremisesLastSyncDateTime": state.now_rfc3339(),
        }]
    }))
    .into_response()
}

async fn domains(State(shared): State<Arc<Shared>>, caller: Caller) -> Response {
    if let Err(denied) = caller.require(READ_DOMAINS) {
        return denied;
    }
    let state = shared.lock();
    let value: Vec<Value> = state
        .directory
        .domains
        .iter()
        .map(|d| json!({
            "id": d.id, "authenticationType": d.authentication, "isAdminManaged": true, "isDefault": d.is_default,
            "isInitial": d.is_initial, "isRoot": true, "isVerified": d.is_verified,
            "supportedServices": if d.is_verified { json!(["Email"]) } else { json!([]) },
        }))
        .collect();
    Json(json!({ "@odata.context": context(&shared, "domains"), "value": value })).into_response()
}

const FEDERATION_KINDS: &[&str] = &[
    "graph.samlOrWsFedExternalDomainFederation",
    "microsoft.graph.samlOrWsFedExternalDomainFederation",
];

async fn federations(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    axum::extract::Path(kind): axum::extract::Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if !FEDERATION_KINDS.contains(&kind.as_str()) {
        return caller.meta.graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("Resource not found for the segment '{kind}'."),
        );
    }
    if let Err(denied) = caller.require(READ_FEDERATION) {
        return denied;
    }
    // The scope is not enough: the caller also needs a role that reads IdP configurations.
    if !caller.has_role(FEDERATION_ROLES) {
        return caller.denied();
    }
    let options = query_options(query.as_deref().unwrap_or_default());
    let filter = match options
        .get("$filter")
        .map(|f| odata::parse_filter(f, &["domains", "displayName", "issuerUri"]))
    {
        None => None,
        Some(Ok(filter)) => Some(filter),
        Some(Err(message)) => {
            return caller.meta.graph_error(StatusCode::BAD_REQUEST, "BadRequest", &message)
        }
    };
    let state = shared.lock();
    let value: Vec<Value> = state
        .directory
        .federations
        .iter()
        .map(|f| json!({
            "id": f.id, "displayName": f.display_name, "issuerUri": f.issuer_uri, "metadataExchangeUri": null,
            "signingCertificate": "MIIC8DCCAdigAwIBAgIQSampleSandboxCertificate", "passiveSignInUri": f.passive_sign_in_uri,
            "preferredAuthenticationProtocol": f.protocol, "domains": [{ "id": f.domain }],
        }))
        .filter(|f| filter.as_ref().is_none_or(|filter| filter.matches(f)))
        .collect();
    Json(json!({ "@odata.context": context(&shared, "directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation"), "value": value })).into_response()
}

async fn unknown_segment(Meta(meta): Meta, uri: Uri) -> Response {
    let segment = uri
        .path()
        .trim_start_matches("/v1.0")
        .trim_start_matches("/beta")
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    meta.graph_error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!("Resource not found for the segment '{segment}'."),
    )
}
