//! Finding the user against the sample directory over real HTTP: the advanced-query header on
//! every page, paging, escaping, and at most one search in flight.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{sync::Arc, time::Duration};

use common::{signed_in, ANNA};
use rehome_core::{search::Searches, ErrorCode};
use rehome_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};

async fn setup() -> (Sandbox, Arc<rehome_core::graph::GraphClient>) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, _) = signed_in(&sandbox, ANNA).await;
    let graph = service.graph().await.unwrap();
    sandbox.control().clear_log();
    (sandbox, graph)
}

#[tokio::test]
async fn a_search_is_one_request_over_name_email_and_upn_with_a_count() {
    let (sandbox, graph) = setup().await;
    let searches = Searches::default();
    let page = searches.search(graph.clone(), "Åsa").await.unwrap();
    assert_eq!(page.rows[0].display_name, "Åsa Ödman");
    assert_eq!(page.count, Some(u32::try_from(page.rows.len()).unwrap()));
    // Email prefix, and a name token in the middle of the display name.
    let by_mail = searches.search(graph.clone(), "m.wojcik@wing").await.unwrap();
    assert_eq!(by_mail.rows[0].display_name, "Małgorzata Wójcik");
    let by_surname = searches.search(graph, "ödman").await.unwrap();
    assert_eq!(by_surname.rows[0].user_principal_name, "asa.odman@contoso-sample.se");
    let requests = sandbox.control().requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.status == 200 && r.path == "/v1.0/users"), "{requests:?}");
}

#[tokio::test]
async fn show_more_follows_the_next_link_with_the_header_resent_until_the_end() {
    let (sandbox, graph) = setup().await;
    let searches = Searches::default();
    let first = searches.search(graph.clone(), "a").await.unwrap();
    let total = first.count.unwrap();
    assert!(total > 25, "{total}");
    let mut seen = first.rows.len();
    let mut next = first.next_link;
    while let Some(link) = next {
        let page = searches.more(graph.clone(), link).await.unwrap();
        assert_eq!(page.count, None, "Graph counts on the first page only");
        seen += page.rows.len();
        next = page.next_link;
    }
    assert_eq!(seen, usize::try_from(total).unwrap());
    // The sandbox answers a $search page without ConsistencyLevel with 400: none did.
    assert!(sandbox.control().requests().iter().all(|r| r.status == 200));
}

#[tokio::test]
async fn quotes_and_backslashes_are_searched_for_not_parsed() {
    let (sandbox, graph) = setup().await;
    let page = Searches::default().search(graph, r#"o"brien \ (x) AND"#).await.unwrap();
    assert!(page.rows.is_empty());
    assert_eq!(sandbox.control().requests()[0].status, 200);
}

#[tokio::test]
async fn an_overlong_query_is_refused_without_asking_graph() {
    let (sandbox, graph) = setup().await;
    let pasted = "x".repeat(rehome_core::search::MAX_QUERY_CHARS + 1);
    let error = Searches::default().search(graph, &pasted).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(sandbox.control().round_trips(), 0);
}

#[tokio::test]
async fn an_empty_query_clears_without_asking_graph() {
    let (sandbox, graph) = setup().await;
    let page = Searches::default().search(graph, "   ").await.unwrap();
    assert!(page.rows.is_empty() && page.next_link.is_none());
    assert_eq!(sandbox.control().round_trips(), 0);
}

/// Starts a search whose answer the sandbox holds back, and returns once the request has arrived.
async fn slow_search(
    sandbox: &Sandbox,
    searches: &Arc<Searches>,
    graph: &Arc<rehome_core::graph::GraphClient>,
    query: &'static str,
) -> tokio::task::JoinHandle<Result<rehome_core::search::SearchPage, rehome_core::AppError>> {
    let slow = Fault::SlowBody { delay: Duration::from_secs(5) };
    sandbox.control().add_fault(FaultRule::new(Some("GET"), "/v1.0/users", slow).times(1));
    let arrived = sandbox.control().requests().len() + 1;
    let task = tokio::spawn({
        let (searches, graph) = (searches.clone(), graph.clone());
        async move { searches.search(graph, query).await }
    });
    while sandbox.control().requests().len() < arrived {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    task
}

#[tokio::test]
async fn a_newer_query_cancels_the_older_one_which_answers_superseded() {
    let (sandbox, graph) = setup().await;
    let searches = Arc::new(Searches::default());
    let older = slow_search(&sandbox, &searches, &graph, "ann").await;
    let newer = searches.search(graph.clone(), "anna").await.unwrap();
    assert_eq!(newer.rows[0].display_name, "Anna Lindqvist");
    assert_eq!(older.await.unwrap().unwrap_err().code, ErrorCode::Superseded);

    // An empty query also cancels what is in flight.
    let pending = slow_search(&sandbox, &searches, &graph, "oscar").await;
    searches.search(graph, "").await.unwrap();
    assert_eq!(pending.await.unwrap().unwrap_err().code, ErrorCode::Superseded);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let (sandbox, graph) = setup().await;
    let error = Searches::default()
        .more(graph, "https://attacker.example/v1.0/users?$skiptoken=x".into())
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::UnexpectedResponse);
    assert_eq!(sandbox.control().round_trips(), 0);
}
