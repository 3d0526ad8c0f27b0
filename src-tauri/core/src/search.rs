//! Finding the user: a typeahead search over display name (tokenised), email and UPN (prefix),
//! one page at a time (DOMAIN.md §5). At most one search is in flight: a newer query aborts the
//! older one here, because a Tauri `invoke` cannot be aborted from the webview.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::task::AbortHandle;
use ts_rs::TS;

use crate::{
    graph::{encode_query_value, GraphClient},
    AppError, ErrorCode,
};

/// Rows per page: a screenful and a little more; "Show more" follows the next link.
pub const PAGE_SIZE: u32 = 25;

/// Longer than any name, email or UPN; a longer query is a paste gone wrong, not a search.
pub const MAX_QUERY_CHARS: usize = 256;

/// Exactly what a row shows, and nothing more.
const ROW_PROPERTIES: &str = "id,displayName,userPrincipalName,mail,userType,accountEnabled,\
creationType,externalUserState,onPremisesSyncEnabled";

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub id: String,
    pub display_name: String,
    pub user_principal_name: String,
    pub mail: Option<String>,
    pub user_type: Option<String>,
    /// `true` synced from on-premises, `false` once synced, `null` cloud-only.
    pub on_premises_sync_enabled: Option<bool>,
    /// `PendingAcceptance`, `Accepted` or null (never invited).
    pub external_user_state: Option<String>,
    /// `Invitation` for a guest created by an invitation.
    pub creation_type: Option<String>,
    pub account_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    pub rows: Vec<UserRow>,
    /// How many match in all, when Graph says (first page only).
    pub count: Option<u32>,
    /// Where "Show more" continues; Graph's own link, followed as given.
    pub next_link: Option<String>,
}

impl SearchPage {
    pub fn empty() -> SearchPage {
        SearchPage { rows: vec![], count: None, next_link: None }
    }
}

/// One `$search` clause: the text quoted, with `"` and `\` escaped as the service requires.
fn clause(property: &str, text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{property}:{escaped}\"")
}

/// The request path for `query`: display name, email or UPN, ordered by name, one page.
pub fn search_path(query: &str) -> String {
    let query = query.trim();
    let search = ["displayName", "mail", "userPrincipalName"]
        .map(|property| clause(property, query))
        .join(" OR ");
    format!(
        "/users?$search={}&$select={ROW_PROPERTIES}&$orderby=displayName&$top={PAGE_SIZE}&$count=true",
        encode_query_value(&search)
    )
}

fn page(body: Value) -> Result<SearchPage, AppError> {
    let rows = serde_json::from_value(body["value"].clone()).map_err(|e| {
        AppError::new(
            ErrorCode::UnexpectedResponse,
            format!("Microsoft Graph's list of users could not be read: {e}"),
        )
    })?;
    Ok(SearchPage {
        rows,
        count: body["@odata.count"].as_u64().and_then(|n| u32::try_from(n).ok()),
        next_link: body["@odata.nextLink"].as_str().map(str::to_owned),
    })
}

/// The search box's one request slot.
#[derive(Debug, Default)]
pub struct Searches {
    in_flight: Mutex<Option<AbortHandle>>,
}

impl Searches {
    /// The first page for `query`; an empty query clears without asking Graph. Whatever was in
    /// flight is aborted and answers `Superseded`.
    pub async fn search(
        &self,
        graph: Arc<GraphClient>,
        query: &str,
    ) -> Result<SearchPage, AppError> {
        if query.trim().is_empty() {
            self.replace(None);
            return Ok(SearchPage::empty());
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            self.replace(None);
            return Err(AppError::invalid_input(format!(
                "A search can be at most {MAX_QUERY_CHARS} characters long."
            )));
        }
        let path = search_path(query);
        self.run(async move { graph.get_advanced(&path).await }).await
    }

    /// The page after `next_link`, in the same slot (typing again cancels it).
    pub async fn more(
        &self,
        graph: Arc<GraphClient>,
        next_link: String,
    ) -> Result<SearchPage, AppError> {
        self.run(async move { graph.get_next_page(&next_link).await }).await
    }

    async fn run(
        &self,
        request: impl std::future::Future<Output = Result<Value, AppError>> + Send + 'static,
    ) -> Result<SearchPage, AppError> {
        let task = tokio::spawn(request);
        self.replace(Some(task.abort_handle()));
        match task.await {
            Ok(body) => page(body?),
            Err(error) if error.is_cancelled() => Err(superseded()),
            Err(error) => Err(AppError::internal(format!("The search stopped: {error}"))),
        }
    }

    fn replace(&self, next: Option<AbortHandle>) {
        let previous = match self.in_flight.lock() {
            Ok(mut slot) => std::mem::replace(&mut *slot, next),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), next),
        };
        if let Some(previous) = previous {
            previous.abort();
        }
    }
}

fn superseded() -> AppError {
    AppError::new(ErrorCode::Superseded, "A newer search replaced this one.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded_search(path: &str) -> String {
        let query = path.split_once('?').unwrap().1;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "$search")
            .unwrap()
            .1
            .into_owned()
    }

    #[test]
    fn searches_name_email_and_upn_ordered_by_name_with_a_count() {
        let path = search_path("  anna ");
        assert_eq!(
            decoded_search(&path),
            r#""displayName:anna" OR "mail:anna" OR "userPrincipalName:anna""#
        );
        assert!(path.contains("&$orderby=displayName&$top=25&$count=true"), "{path}");
        assert!(path.contains("$select=id,displayName,userPrincipalName,mail,"), "{path}");
    }

    #[test]
    fn quotes_and_backslashes_are_escaped_and_the_rest_is_url_encoded() {
        let path = search_path(r#"o"brien\x & co+1 #2"#);
        assert_eq!(
            decoded_search(&path),
            r#""displayName:o\"brien\\x & co+1 #2" OR "mail:o\"brien\\x & co+1 #2" OR "userPrincipalName:o\"brien\\x & co+1 #2""#
        );
        let raw = path.split("$search=").nth(1).unwrap().split('&').next().unwrap();
        assert!(!raw.contains(['"', ' ', '#', '+', '\\']), "{raw}");
    }

    #[test]
    fn a_page_keeps_count_and_next_link_and_refuses_rows_that_are_not_users() {
        let body = serde_json::json!({
            "@odata.count": 321, "@odata.nextLink": "https://graph/v1.0/users?$skiptoken=x",
            "value": [{ "id": "1", "displayName": "Åsa Ödman", "userPrincipalName": "asa@x.se" }]
        });
        let page = page(body).unwrap();
        assert_eq!((page.rows.len(), page.count), (1, Some(321)));
        assert_eq!(page.rows[0].display_name, "Åsa Ödman");
        assert!(page.next_link.is_some());
        let wrong = serde_json::json!({ "value": [{ "id": 5 }] });
        assert_eq!(super::page(wrong).unwrap_err().code, ErrorCode::UnexpectedResponse);
    }
}
