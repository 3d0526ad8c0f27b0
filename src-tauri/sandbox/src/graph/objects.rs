//! Directory objects other than users: `/me/memberOf`, `/me/transitiveMemberOf` and the same of
//! any user under `/users/{id}/…` (with the
//! `microsoft.graph.directoryRole` and `microsoft.graph.group` casts), `/groups` and `/contacts`
//! (DOMAIN.md §11.1, §11.6).

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
    auth::{Caller, READ_CONTACTS, READ_GROUPS, READ_ME, READ_ROLES, READ_USERS},
    context,
    users::{is_eventual, SEARCH_NEEDS_HEADER},
};
use crate::{
    directory::{Group, Role, CONTACT_PROPERTIES, GROUP_PROPERTIES},
    odata,
    state::{query_options, RequestMeta, Shared},
};

const DEFAULT_PAGE_SIZE: usize = 100;
/// transitiveMemberOf takes $select, $filter, $count and $search only as advanced queries
/// (user-list-transitivememberof, "Optional query parameters").
const TRANSITIVE_NEEDS_HEADER: &str = "Unsupported query. Query parameters on transitiveMemberOf are supported only as advanced queries: add the ConsistencyLevel:eventual header and retry the request.";
const DIRECTORY_OBJECT_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "description",
    "roleTemplateId",
    "deletedDateTime",
    "mail",
    "mailEnabled",
    "securityEnabled",
    "isAssignableToRole",
    "proxyAddresses",
];

fn bad_request(meta: &RequestMeta, message: &str) -> Response {
    meta.graph_error(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

/// A directoryRole as memberOf lists it; without a permission that reads roles only
/// `@odata.type` and `id` are set ("Limited information returned for inaccessible member objects").
fn role_object(role: &Role, readable: bool) -> Value {
    let shown = |value: Value| if readable { value } else { Value::Null };
    json!({
        "@odata.type": "#microsoft.graph.directoryRole",
        "id": role.id,
        "deletedDateTime": null,
        "description": shown(json!(role.description)),
        "displayName": shown(json!(role.name)),
        "roleTemplateId": shown(json!(role.template_id)),
    })
}

fn group_object(group: &Group, readable: bool) -> Value {
    let mut object = group.to_graph();
    if !readable {
        if let Value::Object(map) = &mut object {
            for (key, value) in map.iter_mut() {
                if key != "id" {
                    *value = Value::Null;
                }
            }
        }
    }
    object["@odata.type"] = json!("#microsoft.graph.group");
    object
}

/// What a list request asked for, checked.
struct ListQuery {
    select: Option<Vec<String>>,
    filter: Option<odata::Filter>,
    search: Option<odata::Search>,
    count: bool,
    top: usize,
    offset: usize,
    raw: String,
}

fn list_query(
    meta: &RequestMeta,
    raw: Option<String>,
    properties: &[&str],
    type_name: &str,
) -> Result<ListQuery, Response> {
    let raw = raw.unwrap_or_default();
    let options = query_options(&raw);
    let select = match options.get("$select") {
        None => None,
        Some(select) => Some(
            select
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|name| {
                    properties
                        .iter()
                        .find(|p| p.eq_ignore_ascii_case(name))
                        .map(|p| (*p).to_owned())
                        .ok_or_else(|| bad_request(meta, &format!("Could not find a property named '{name}' on type '{type_name}'.")))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let filter = match options.get("$filter") {
        None => None,
        Some(filter) => Some(
            odata::parse_filter(filter, properties)
                .map_err(|m| bad_request(meta, &m.replace("microsoft.graph.user", type_name)))?,
        ),
    };
    let search = match options.get("$search") {
        None => None,
        Some(text) => Some(odata::parse_search(text).map_err(|m| bad_request(meta, &m))?),
    };
    let top = match options.get("$top") {
        None => DEFAULT_PAGE_SIZE,
        Some(value) => match value.parse::<usize>() {
            Ok(n) if (1..=999).contains(&n) => n,
            _ => {
                return Err(bad_request(
                    meta,
                    &format!(
                    "Invalid page size specified: '{value}'. Must be between 1 and 999 inclusive."
                ),
                ))
            }
        },
    };
    let offset = match options.get("$skiptoken") {
        None => 0,
        Some(token) => B64
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("offset:").and_then(|n| n.parse().ok()))
            .ok_or_else(|| {
                bad_request(meta, "The specified page token value has expired or is invalid.")
            })?,
    };
    let count = options.get("$count").is_some_and(|c| c.eq_ignore_ascii_case("true"));
    Ok(ListQuery { select, filter, search, count, top, offset, raw })
}

/// Filters, pages and projects `objects`; `@odata.nextLink` carries the whole query again.
fn page(
    shared: &Shared,
    path: &str,
    what: &str,
    query: &ListQuery,
    objects: Vec<Value>,
    count_allowed: bool,
) -> Response {
    let matching: Vec<Value> = objects
        .into_iter()
        .filter(|o| query.filter.as_ref().is_none_or(|f| f.matches(o)))
        .filter(|o| query.search.as_ref().is_none_or(|s| s.matches(o)))
        .collect();
    let total = matching.len();
    let value: Vec<Value> = matching
        .into_iter()
        .skip(query.offset)
        .take(query.top)
        .map(|object| match &query.select {
            None => object,
            Some(names) => {
                let mut out = Map::new();
                if let Some(kind) = object.get("@odata.type") {
                    out.insert("@odata.type".into(), kind.clone());
                }
                for name in names {
                    out.insert(name.clone(), object.get(name).cloned().unwrap_or(Value::Null));
                }
                Value::Object(out)
            }
        })
        .collect();
    let mut body = json!({ "@odata.context": context(shared, what) });
    if query.count && count_allowed && query.offset == 0 {
        body["@odata.count"] = json!(total);
    }
    if query.offset + query.top < total {
        let mut next = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in url::form_urlencoded::parse(query.raw.as_bytes()) {
            if !key.eq_ignore_ascii_case("$skiptoken") {
                next.append_pair(&key, &value);
            }
        }
        next.append_pair("$skiptoken", &B64.encode(format!("offset:{}", query.offset + query.top)));
        body["@odata.nextLink"] =
            json!(format!("{}/v1.0{path}?{}", shared.base_url, next.finish()));
    }
    body["value"] = Value::Array(value);
    Json(body).into_response()
}

/// `/me/memberOf` and `/me/memberOf/{cast}`.
pub async fn member_of(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    cast: Option<Path<String>>,
    RawQuery(query): RawQuery,
) -> Response {
    memberships(&shared, &caller, &headers, query, false, cast.map(|Path(c)| c), None)
}

/// `/me/transitiveMemberOf` and `/me/transitiveMemberOf/{cast}`.
pub async fn transitive_member_of(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    cast: Option<Path<String>>,
    RawQuery(query): RawQuery,
) -> Response {
    memberships(&shared, &caller, &headers, query, true, cast.map(|Path(c)| c), None)
}

/// `/users/{id}/memberOf`: another user's direct memberships (reading users is enough).
pub async fn user_member_of(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    memberships(&shared, &caller, &headers, query, false, None, Some(id))
}

pub async fn user_member_of_cast(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, cast)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    memberships(&shared, &caller, &headers, query, false, Some(cast), Some(id))
}

/// `/users/{id}/transitiveMemberOf`: also the roles held through role-assignable groups.
pub async fn user_transitive_member_of(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    memberships(&shared, &caller, &headers, query, true, None, Some(id))
}

pub async fn user_transitive_member_of_cast(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, cast)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    memberships(&shared, &caller, &headers, query, true, Some(cast), Some(id))
}

/// memberOf is direct only; transitiveMemberOf adds the roles held through groups. `subject` is
/// another user's id or UPN (`/users/{id}/…`), `None` the caller (`/me/…`).
fn memberships(
    shared: &Shared,
    caller: &Caller,
    headers: &HeaderMap,
    raw: Option<String>,
    transitive: bool,
    cast: Option<String>,
    subject: Option<String>,
) -> Response {
    let needed = if subject.is_some() { READ_USERS } else { READ_ME };
    if let Err(denied) = caller.require(needed) {
        return denied;
    }
    let meta = &caller.meta;
    let kind = match cast.as_deref() {
        None => None,
        Some("microsoft.graph.directoryRole" | "graph.directoryRole") => Some("role"),
        Some("microsoft.graph.group" | "graph.group") => Some("group"),
        Some(other) => {
            return meta.graph_error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                &format!("Resource not found for the segment '{other}'."),
            )
        }
    };
    let options = query_options(raw.as_deref().unwrap_or_default());
    let eventual = is_eventual(headers);
    if !eventual {
        if options.contains_key("$search") {
            return meta.graph_error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                SEARCH_NEEDS_HEADER,
            );
        }
        let advanced: &[&str] =
            if transitive { &["$select", "$filter", "$count"] } else { &["$filter", "$count"] };
        if advanced.iter().any(|o| options.contains_key(*o)) {
            return meta.graph_error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                TRANSITIVE_NEEDS_HEADER,
            );
        }
    }
    let query =
        match list_query(meta, raw, DIRECTORY_OBJECT_PROPERTIES, "microsoft.graph.directoryObject")
        {
            Ok(query) => query,
            Err(error) => return error,
        };
    let state = shared.lock();
    let directory = &state.directory;
    let Some(user) = directory.user(subject.as_deref().unwrap_or(&caller.user_id)) else {
        return match &subject {
            Some(id) => meta.graph_error(
                StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
            ),
            None => caller.denied(),
        };
    };
    let roles_readable = caller.has_scope(READ_ROLES);
    let groups_readable = caller.has_scope(READ_GROUPS);
    let held = if transitive { directory.active_roles(&user.id) } else { user.roles.clone() };
    let mut objects = vec![];
    if kind != Some("group") {
        objects.extend(
            directory
                .roles
                .iter()
                .filter(|r| held.contains(&r.name))
                .map(|r| role_object(r, roles_readable)),
        );
    }
    if kind != Some("role") {
        objects.extend(
            directory
                .groups
                .iter()
                .filter(|g| g.members.contains(&user.id))
                .map(|g| group_object(g, groups_readable)),
        );
    }
    let segment = if transitive { "transitiveMemberOf" } else { "memberOf" };
    let owner = match &subject {
        Some(id) => format!("/users/{id}"),
        None => "/me".to_owned(),
    };
    let path = match cast {
        Some(cast) => format!("{owner}/{segment}/{cast}"),
        None => format!("{owner}/{segment}"),
    };
    page(shared, &path, "directoryObjects", &query, objects, eventual)
}

pub async fn groups(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(denied) = caller.require(READ_GROUPS) {
        return denied;
    }
    let query = match list_query(&caller.meta, query, GROUP_PROPERTIES, "microsoft.graph.group") {
        Ok(query) => query,
        Err(error) => return error,
    };
    if query.search.is_some() && !is_eventual(&headers) {
        return caller.meta.graph_error(
            StatusCode::BAD_REQUEST,
            "Request_UnsupportedQuery",
            SEARCH_NEEDS_HEADER,
        );
    }
    let objects = shared.lock().directory.groups.iter().map(Group::to_graph).collect();
    page(&shared, "/groups", "groups", &query, objects, is_eventual(&headers))
}

pub async fn contacts(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(denied) = caller.require(READ_CONTACTS) {
        return denied;
    }
    let query =
        match list_query(&caller.meta, query, CONTACT_PROPERTIES, "microsoft.graph.orgContact") {
            Ok(query) => query,
            Err(error) => return error,
        };
    if query.search.is_some() && !is_eventual(&headers) {
        return caller.meta.graph_error(
            StatusCode::BAD_REQUEST,
            "Request_UnsupportedQuery",
            SEARCH_NEEDS_HEADER,
        );
    }
    let objects = shared.lock().directory.contacts.iter().map(|c| c.to_graph()).collect();
    page(&shared, "/contacts", "contacts", &query, objects, is_eventual(&headers))
}
