//! Writes are asked for by review, never by request: rehome-core builds the plan from the review
//! it kept and refuses what that review does not allow – a blocked user, an unknown (forged)
//! review, an address that fails – with nothing sent; an old review is read again first.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{signed_in, ANNA};
use rehome_core::{
    eligibility::{review, AdminFacts},
    invitation::{Landing, MessageSettings},
    journal::EntryKind,
    reviews::{plan_for, Intention, Reviews, REVIEW_MAX_AGE},
    ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig};

fn message() -> MessageSettings {
    MessageSettings {
        send_email: true,
        language: "en-US".into(),
        personal_message: String::new(),
        cc: None,
        landing: Landing::MyApps,
    }
}

fn intention(review_id: &str, kind: EntryKind) -> Intention {
    Intention { review_id: review_id.into(), kind, message: message() }
}

#[tokio::test]
async fn the_plan_comes_from_the_kept_review_and_what_it_does_not_allow_is_refused_unsent() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, profile) = signed_in(&sandbox, ANNA).await;
    let (graph, admin) = (service.graph().await.unwrap(), AdminFacts::of(&profile));
    let reviews = Reviews::default();
    let id = |upn: &str| sandbox.control().user_id(upn).unwrap();

    // Astrid, with her other email chosen: Rust decides that mail is set first.
    let astrid = review(
        &graph,
        &id("astrid.berg@contoso-sample.se"),
        Some("astrid.berg@northwind.example"),
        admin,
    )
    .await
    .unwrap();
    let astrid = reviews.keep(astrid).unwrap();
    sandbox.control().clear_log();
    let plan = reviews
        .plan(&graph, &intention(&astrid.review_id, EntryKind::Conversion), admin, REVIEW_MAX_AGE)
        .await
        .unwrap();
    assert_eq!((plan.email.as_str(), plan.set_mail), ("astrid.berg@northwind.example", true));
    assert_eq!(plan.user_principal_name, "astrid.berg@contoso-sample.se");
    assert_eq!(sandbox.control().round_trips(), 0, "a fresh review is not read again");

    // Ingrid is blocked (Entra Connect), and Oscar cannot be "reset": refused, nothing sent.
    let ingrid = reviews
        .keep(review(&graph, &id("ingrid.falk@contoso-sample.se"), None, admin).await.unwrap())
        .unwrap();
    let oscar = reviews
        .keep(
            review(
                &graph,
                &id("oscar.ward@contoso-sample.se"),
                Some("oscar.ward@fabrikam.com"),
                admin,
            )
            .await
            .unwrap(),
        )
        .unwrap();
    sandbox.control().clear_log();
    for (review_id, kind) in [
        (&ingrid.review_id, EntryKind::Conversion),
        (&oscar.review_id, EntryKind::ResetRedemption),
        (&oscar.review_id, EntryKind::Resend),
    ] {
        let refused =
            reviews.plan(&graph, &intention(review_id, kind), admin, REVIEW_MAX_AGE).await;
        assert_eq!(refused.unwrap_err().code, ErrorCode::InvalidInput, "{kind:?}");
    }
    // A review id Rust never gave out.
    let forged = reviews
        .plan(&graph, &intention("forged", EntryKind::Conversion), admin, REVIEW_MAX_AGE)
        .await;
    assert_eq!(forged.unwrap_err().code, ErrorCode::ReviewExpired);
    assert_eq!(sandbox.control().round_trips(), 0, "nothing was sent for any of them");

    // A review older than allowed is read again (one round trip) and judged on what is true now:
    // Oscar was converted meanwhile, so converting him again is refused.
    let mut now_converted = plan_for(&oscar, EntryKind::Conversion, message()).unwrap();
    now_converted.message.send_email = false;
    graph
        .write(
            reqwest::Method::POST,
            "/invitations",
            &now_converted.invitation(&profile.tenant()),
            drop,
        )
        .await
        .unwrap();
    sandbox.control().clear_log();
    let stale = reviews
        .plan(&graph, &intention(&oscar.review_id, EntryKind::Conversion), admin, Duration::ZERO)
        .await;
    assert_eq!(stale.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(sandbox.control().round_trips(), 1, "the one re-read, and no write");
    assert!(sandbox
        .control()
        .requests()
        .iter()
        .all(|r| r.method == "GET" || r.path == "/v1.0/$batch"));

    // A write tried on a review makes the next plan read the user again first.
    reviews.written(&astrid.review_id);
    sandbox.control().clear_log();
    reviews
        .plan(&graph, &intention(&astrid.review_id, EntryKind::Conversion), admin, REVIEW_MAX_AGE)
        .await
        .unwrap();
    assert_eq!(sandbox.control().round_trips(), 1, "read again after a write was tried");

    // Signing in again forgets every review.
    reviews.forget_all();
    let gone = reviews
        .plan(&graph, &intention(&astrid.review_id, EntryKind::Conversion), admin, REVIEW_MAX_AGE)
        .await;
    assert_eq!(gone.unwrap_err().code, ErrorCode::ReviewExpired);
}
