//! `/users`, `/users/{id}`, `/users/{id}/licenseDetails` and `/me` (DOMAIN.md §4–§5).

use std::sync::Arc;

use axum::{
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use serde_json::{json, Map, Value};

use super::{
    auth::{Caller, READ_LICENSES, READ_ME, READ_USERS, WRITE_USERS},
    context,
};
use crate::{
    directory::{User, DEFAULT_USER_PROPERTIES, USER_PROPERTIES},
    odata::{self, Filter, Search},
    state::{query_options, RequestMeta, Shared},
};

pub const SEARCH_NEEDS_HEADER: &str = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";
const ADVANCED_NEEDS_PARAMS: &str = "Unsupported or invalid query filter clause specified for property 'mail' of resource 'User'. Required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header and retry the request.";
const DEFAULT_PAGE_SIZE: usize = 100;

fn bad_request(meta: &RequestMeta, message: &str) -> Response {
    meta.graph_error(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

fn not_found(meta: &RequestMeta, id: &str) -> Response {
    meta.graph_error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
    )
}

pub fn is_eventual(headers: &HeaderMap) -> bool {
    headers
        .get("consistencylevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("eventual"))
}

/// `$select`: exactly the named properties, or the documented default set.
fn selection(meta: &RequestMeta, select: Option<&String>) -> Result<Option<Vec<String>>, Response> {
    let Some(select) = select else { return Ok(None) };
    select
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|name| {
            USER_PROPERTIES.iter().find(|p| p.eq_ignore_ascii_case(name)).map(|p| (*p).to_owned()).ok_or_else(|| {
                bad_request(meta, &format!("Could not find a property named '{name}' on type 'microsoft.graph.user'."))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn project(user: &User, select: Option<&[String]>) -> Value {
    let all = user.to_graph();
    let mut out = Map::new();
    let names: Vec<&str> = match select {
        Some(names) => names.iter().map(String::as_str).collect(),
        None => DEFAULT_USER_PROPERTIES.to_vec(),
    };
    for name in names {
        out.insert(name.to_owned(), all.get(name).cloned().unwrap_or(Value::Null));
    }
    Value::Object(out)
}

fn users_context(shared: &Shared, select: Option<&[String]>, entity: bool) -> String {
    let mut what = match select {
        Some(names) => format!("users({})", names.join(",")),
        None => "users".to_owned(),
    };
    if entity {
        what.push_str("/$entity");
    }
    context(shared, &what)
}

pub async fn me(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(denied) = caller.require(READ_ME) {
        return denied;
    }
    let options = query_options(query.as_deref().unwrap_or_default());
    let select = match selection(&caller.meta, options.get("$select")) {
        Ok(select) => select,
        Err(error) => return error,
    };
    let state = shared.lock();
    match state.directory.user(&caller.user_id) {
        Some(user) => {
            let mut body = project(user, select.as_deref());
            body["@odata.context"] = json!(users_context(&shared, select.as_deref(), true));
            Json(body).into_response()
        }
        None => not_found(&caller.meta, &caller.user_id),
    }
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(denied) = caller.require(READ_USERS) {
        return denied;
    }
    let meta = &caller.meta;
    let raw_query = query.unwrap_or_default();
    let options = query_options(&raw_query);
    let eventual = is_eventual(&headers);
    let count = options.get("$count").is_some_and(|c| c.eq_ignore_ascii_case("true"));

    let search: Option<Search> = match options.get("$search") {
        None => None,
        Some(_) if !eventual => {
            return meta.graph_error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                SEARCH_NEEDS_HEADER,
            )
        }
        Some(text) => match odata::parse_search(text) {
            Ok(search) => Some(search),
            Err(message) => return bad_request(meta, &message),
        },
    };
    let filter: Option<Filter> =
        match options.get("$filter").map(|f| odata::parse_filter(f, USER_PROPERTIES)) {
            None => None,
            Some(Err(message)) => return bad_request(meta, &message),
            Some(Ok(filter)) if filter.is_advanced() && !(eventual && count) => {
                return meta.graph_error(
                    StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    ADVANCED_NEEDS_PARAMS,
                );
            }
            Some(Ok(filter)) => Some(filter),
        };
    let select = match selection(meta, options.get("$select")) {
        Ok(select) => select,
        Err(error) => return error,
    };
    let top = match options.get("$top") {
        None => DEFAULT_PAGE_SIZE,
        Some(value) => match value.parse::<usize>() {
            Ok(n) if (1..=999).contains(&n) => n,
            _ => {
                return bad_request(
                    meta,
                    &format!(
                    "Invalid page size specified: '{value}'. Must be between 1 and 999 inclusive."
                ),
                )
            }
        },
    };
    let order = match options.get("$orderby").map(|o| o.trim().to_owned()) {
        None => None,
        Some(order) => {
            let (property, direction) = order.split_once(' ').unwrap_or((order.as_str(), "asc"));
            let property = ["displayName", "userPrincipalName"]
                .into_iter()
                .find(|p| p.eq_ignore_ascii_case(property));
            match property {
                Some(property)
                    if direction.eq_ignore_ascii_case("asc")
                        && (filter.is_none() || (eventual && count)) =>
                {
                    Some(property)
                }
                _ => return bad_request(meta, "Sorting not supported for current query."),
            }
        }
    };
    let offset = match options.get("$skiptoken") {
        None => 0,
        Some(token) => match B64
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("offset:").and_then(|n| n.parse().ok()))
        {
            Some(offset) => offset,
            None => {
                return bad_request(
                    meta,
                    "The specified page token value has expired or is invalid.",
                )
            }
        },
    };

    let state = shared.lock();
    let mut matches: Vec<(&User, Value)> = state
        .directory
        .users
        .iter()
        .map(|user| (user, Value::Object(user.to_graph())))
        .filter(|(_, object)| {
            search.as_ref().is_none_or(|s| s.matches(object))
                && filter.as_ref().is_none_or(|f| f.matches(object))
        })
        .collect();
    if let Some(property) = order {
        matches.sort_by_key(|(_, object)| {
            object[property].as_str().unwrap_or_default().to_lowercase()
        });
    }
    let total = matches.len();
    let page: Vec<Value> = matches
        .iter()
        .skip(offset)
        .take(top)
        .map(|(user, _)| project(user, select.as_deref()))
        .collect();

    let mut body = json!({ "@odata.context": users_context(&shared, select.as_deref(), false) });
    // $count is answered only with the advanced-query header, and only on the first page.
    if count && eventual && offset == 0 {
        body["@odata.count"] = json!(total);
    }
    if offset + top < total {
        let mut next = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in url::form_urlencoded::parse(raw_query.as_bytes()) {
            if !key.eq_ignore_ascii_case("$skiptoken") {
                next.append_pair(&key, &value);
            }
        }
        next.append_pair("$skiptoken", &B64.encode(format!("offset:{}", offset + top)));
        body["@odata.nextLink"] =
            json!(format!("{}/v1.0/users?{}", shared.base_url, next.finish()));
    }
    body["value"] = Value::Array(page);
    Json(body).into_response()
}

pub async fn get_one(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(denied) = caller.require(READ_USERS) {
        return denied;
    }
    if id == "$count" {
        if !is_eventual(&headers) {
            return bad_request(&caller.meta, "$count is not currently supported.");
        }
        let total = shared.lock().directory.users.len();
        return (StatusCode::OK, [("content-type", "text/plain")], total.to_string())
            .into_response();
    }
    let options = query_options(query.as_deref().unwrap_or_default());
    let select = match selection(&caller.meta, options.get("$select")) {
        Ok(select) => select,
        Err(error) => return error,
    };
    let state = shared.lock();
    match state.directory.user(&id) {
        Some(user) => {
            let mut body = project(user, select.as_deref());
            body["@odata.context"] = json!(users_context(&shared, select.as_deref(), true));
            Json(body).into_response()
        }
        None => not_found(&caller.meta, &id),
    }
}

pub async fn license_details(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    if let Err(denied) = caller.require(READ_LICENSES) {
        return denied;
    }
    let state = shared.lock();
    let Some(user) = state.directory.user(&id) else {
        return not_found(&caller.meta, &id);
    };
    let value: Vec<Value> = user
        .licenses
        .iter()
        .map(|license| json!({
            "id": B64.encode(format!("{}:{}", user.id, license.sku_id)),
            "skuId": license.sku_id,
            "skuPartNumber": license.sku_part_number,
            "servicePlans": license.plans.iter().map(|p| json!({
                "servicePlanId": p.id, "servicePlanName": p.name, "provisioningStatus": p.status, "appliesTo": "User",
            })).collect::<Vec<_>>(),
        }))
        .collect();
    Json(json!({ "@odata.context": context(&shared, &format!("users('{}')/licenseDetails", user.id)), "value": value })).into_response()
}

/// What PATCH may change here, and the refusals the service gives (DOMAIN.md §1.3).
pub async fn update(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Response {
    let meta = &caller.meta;
    if let Err(denied) = caller.require(WRITE_USERS) {
        return denied;
    }
    if !caller.has_role(&["User Administrator"]) {
        return caller.denied();
    }
    let Ok(Value::Object(mut changes)) = serde_json::from_str::<Value>(&body) else {
        return meta.graph_error(StatusCode::BAD_REQUEST, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    };
    // Instance annotations (`@odata.type`, as Kiota sends) are accepted and ignored.
    changes.retain(|key, _| !key.starts_with("@odata."));
    let mut state = shared.lock();
    let Some(user) = state.directory.user(&id).cloned() else {
        return not_found(meta, &id);
    };
    const WRITABLE: &[&str] =
        &["mail", "userType", "otherMails", "jobTitle", "displayName", "preferredLanguage"];
    for key in changes.keys() {
        if !WRITABLE.contains(&key.as_str()) {
            return bad_request(meta, &format!("Property '{key}' is read-only or not supported by the sample directory and cannot be set."));
        }
    }
    if user.on_premises_sync_enabled == Some(true)
        && changes
            .keys()
            .any(|k| ["mail", "otherMails", "displayName", "userType"].contains(&k.as_str()))
    {
        return bad_request(meta, "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.");
    }
    let mut updated = user.clone();
    if let Some(mail) = changes.get("mail") {
        let mail = match mail {
            Value::Null => None,
            Value::String(mail) if looks_like_address(mail) && mail.is_ascii() => {
                Some(mail.clone())
            }
            _ => {
                return bad_request(
                    meta,
                    "Invalid value specified for property 'mail' of resource 'User'.",
                )
            }
        };
        if user.has_mailbox() && mail != user.mail {
            return bad_request(meta, "The 'mail' property of a user with an Exchange Online mailbox can't be changed here. Change the user's primary SMTP address in the Exchange admin center.");
        }
        if let Some(mail) = &mail {
            // Users, groups and contacts share one space of addresses.
            if state.directory.address_taken(mail, &user.id) {
                return bad_request(meta, "Another object with the same value for property proxyAddresses already exists.");
            }
        }
        updated.proxy_addresses.retain(|p| !p.starts_with("SMTP:"));
        if let Some(mail) = &mail {
            updated.proxy_addresses.insert(0, format!("SMTP:{mail}"));
        }
        if mail != user.mail && !state.mail_propagation.is_zero() {
            // The invitation service keeps seeing the old value for a while (DOMAIN.md §11.4).
            let until = state.now_precise() + state.mail_propagation;
            let seen = state.mail_seen_by_invitations(&user);
            state.stale_mail.insert(user.id.clone(), (seen, until));
        }
        updated.mail = mail;
    }
    if let Some(user_type) = changes.get("userType") {
        match user_type.as_str() {
            Some(t @ ("Member" | "Guest")) => updated.user_type = t.to_owned(),
            _ => {
                return bad_request(
                    meta,
                    "Invalid value specified for property 'userType' of resource 'User'.",
                )
            }
        }
    }
    if let Some(other) = changes.get("otherMails") {
        match serde_json::from_value::<Vec<String>>(other.clone()) {
            Ok(list) if list.iter().all(|m| looks_like_address(m) && m.is_ascii()) => {
                updated.other_mails = list
            }
            _ => {
                return bad_request(
                    meta,
                    "Invalid value specified for property 'otherMails' of resource 'User'.",
                )
            }
        }
    }
    for (key, field) in [
        ("jobTitle", &mut updated.job_title),
        ("preferredLanguage", &mut updated.preferred_language),
    ] {
        if let Some(value) = changes.get(key) {
            *field = value.as_str().map(str::to_owned);
        }
    }
    if let Some(name) = changes.get("displayName").and_then(Value::as_str) {
        updated.display_name = name.to_owned();
    }
    if let Some(slot) = state.directory.user_mut(&user.id) {
        *slot = updated;
    }
    StatusCode::NO_CONTENT.into_response()
}

pub fn looks_like_address(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}
