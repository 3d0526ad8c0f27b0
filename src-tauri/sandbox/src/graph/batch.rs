//! `POST /$batch` (DOMAIN.md §6): up to 20 requests, unique ids, `dependsOn` (424 when a
//! dependency failed), each item answered by the same handlers and envelope as a direct request
//! (so a throttled item gets its own 429 and `Retry-After`). Responses come back in reverse order:
//! clients must correlate by id, as with the real service.

use std::{collections::HashMap, sync::Arc};

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, Request, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};
use tower::ServiceExt;

use super::auth::Meta;
use crate::state::{graph_router, Shared, BATCH_ITEM_HEADER};

const MAX_REQUESTS: usize = 20;

pub async fn run(
    State(shared): State<Arc<Shared>>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: String,
) -> Response {
    let bad = |message: &str| meta.graph_error(StatusCode::BAD_REQUEST, "BadRequest", message);
    let Ok(payload) = serde_json::from_str::<Value>(&body) else {
        return bad("Invalid batch payload format.");
    };
    let Some(requests) = payload["requests"].as_array() else {
        return bad("Invalid batch payload format.");
    };
    if requests.is_empty() {
        return bad("The batch request must contain at least one request.");
    }
    if requests.len() > MAX_REQUESTS {
        return bad(&format!(
            "The number of requests in the batch ({}) exceeds the limit of {MAX_REQUESTS}.",
            requests.len()
        ));
    }
    let mut ids: Vec<String> = vec![];
    for request in requests {
        let Some(id) = request["id"].as_str().filter(|id| !id.is_empty()) else {
            return bad("Every request in a batch needs an id.");
        };
        if ids.iter().any(|seen| seen.eq_ignore_ascii_case(id)) {
            return bad(&format!(
                "Batch request ids must be unique: '{id}' is used more than once."
            ));
        }
        ids.push(id.to_owned());
    }
    for request in requests {
        for dependency in request["dependsOn"].as_array().into_iter().flatten() {
            if !dependency.as_str().is_some_and(|d| ids.iter().any(|id| id.eq_ignore_ascii_case(d)))
            {
                return bad(&format!(
                    "The dependsOn '{dependency}' does not name a request in this batch."
                ));
            }
        }
    }

    let authorization = headers.get(header::AUTHORIZATION).cloned();
    let mut statuses: HashMap<String, u16> = HashMap::new();
    let mut responses: Vec<Value> = vec![];
    let mut pending: Vec<&Value> = requests.iter().collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|request| {
            request["dependsOn"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|d| statuses.contains_key(&d.as_str().unwrap_or_default().to_lowercase()))
        });
        let Some(index) = ready else {
            return bad("The dependsOn chain in this batch is circular.");
        };
        let request = pending.remove(index);
        let id = request["id"].as_str().unwrap_or_default().to_owned();
        let failed_dependency = request["dependsOn"].as_array().into_iter().flatten().any(|d| {
            statuses.get(&d.as_str().unwrap_or_default().to_lowercase()).is_some_and(|s| *s >= 400)
        });
        let (status, item_headers, item_body) = if failed_dependency {
            (
                424,
                json!({ "Content-Type": "application/json" }),
                json!({ "error": { "code": "FailedDependency", "message": "A request this request depends on failed." } }),
            )
        } else {
            dispatch(&shared, request, authorization.as_ref()).await
        };
        statuses.insert(id.to_lowercase(), status);
        responses.push(
            json!({ "id": id, "status": status, "headers": item_headers, "body": item_body }),
        );
    }
    responses.reverse();
    Json(json!({ "responses": responses })).into_response()
}

async fn dispatch(
    shared: &Arc<Shared>,
    request: &Value,
    authorization: Option<&axum::http::HeaderValue>,
) -> (u16, Value, Value) {
    let method = request["method"].as_str().unwrap_or("GET").to_uppercase();
    let url = request["url"].as_str().unwrap_or_default();
    let path = encode_uri(if url.starts_with('/') { url.to_owned() } else { format!("/{url}") });
    let item_headers = request["headers"].as_object().cloned().unwrap_or_default();
    let has_body = !request["body"].is_null();
    if has_body && !item_headers.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
        return (
            400,
            json!({ "Content-Type": "application/json" }),
            json!({ "error": { "code": "BadRequest", "message": "A Content-Type header is required when a request in a batch has a body." } }),
        );
    }
    let mut builder = Request::builder()
        .method(method.as_str())
        .uri(format!("/v1.0{path}"))
        .header(BATCH_ITEM_HEADER, "1");
    if let Some(authorization) = authorization {
        builder = builder.header(header::AUTHORIZATION, authorization);
    }
    for (name, value) in &item_headers {
        if let Some(value) = value.as_str() {
            builder = builder.header(name.as_str(), value);
        }
    }
    let body = if has_body { Body::from(request["body"].to_string()) } else { Body::empty() };
    let Ok(inner) = builder.body(body) else {
        return (
            400,
            json!({}),
            json!({ "error": { "code": "BadRequest", "message": "The request in the batch is not valid." } }),
        );
    };
    let Ok(response) = graph_router(shared.clone()).oneshot(inner).await;
    let status = response.status().as_u16();
    let mut headers = Map::new();
    for name in ["content-type", "retry-after", "request-id", "client-request-id"] {
        if let Some(value) = response.headers().get(name).and_then(|v| v.to_str().ok()) {
            let display = match name {
                "content-type" => "Content-Type",
                "retry-after" => "Retry-After",
                other => other,
            };
            headers.insert(display.to_owned(), json!(value));
        }
    }
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)))
    };
    (status, Value::Object(headers), body)
}

/// Batch item URLs arrive as written (`$filter=domains/any(x:x/id eq 'a.b')`): escape what a URI
/// may not contain, keep what is already escaped.
fn encode_uri(url: String) -> String {
    const KEEP: &str = "-._~:/?#[]@!$&'()*+,;=%";
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || KEEP.contains(c) {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}
