//! `jobUpdated`: a job's status and progress from the moment of subscribing to its end.
use serde_json::{json, Value};
use tests::builders::app_with_admin;
use tests::ws::{WsClient, LEGACY_WS, TRANSPORT_WS};
use tests::TeamRole;

const UPSERT: &str =
    "mutation($i: UpsertBomAsyncInput!) { upsertBomAsync(input: $i) { job { id status } } }";
const FOLLOW: &str = "subscription($id: ID!) { jobUpdated(id: $id) { id status progress result } }";

fn upsert_body() -> Value {
    let lines: Vec<Value> = (0..120)
        .map(|n| json!({"mpn": format!("MPN-{n}"), "quantity": "1"}))
        .collect();
    json!({"name": "Followed", "version": "A", "lines": lines})
}

/// Follows a job queued while the worker is stopped, then started: every state is seen in
/// order, and the subscription completes after the last.
async fn follow_to_the_end(protocol: &str) {
    let (mut app, t) = app_with_admin().await;
    app.stop_worker().await;
    let queued =
        app.data(&t, UPSERT, json!({"i": upsert_body()})).await["upsertBomAsync"]["job"].clone();
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, protocol, &t).await;
    client
        .subscribe("job", FOLLOW, json!({"id": queued["id"]}))
        .await;
    let first = client.next_data("job").await["jobUpdated"].clone();
    assert_eq!(
        (first["status"].as_str(), first["progress"].as_i64()),
        (Some("QUEUED"), Some(0))
    );

    app.start_worker();
    let mut seen = vec![];
    let last = loop {
        let m = client.message().await;
        if m["type"] == "complete" {
            break seen.last().cloned().expect("states before the end");
        }
        let job = m["payload"]["data"]["jobUpdated"].clone();
        assert_eq!(job["id"], queued["id"]);
        seen.push(job);
    };
    assert_eq!(last["status"], "SUCCEEDED", "{seen:?}");
    assert_eq!(last["progress"], 100);
    assert!(last["result"]["bom_id"].is_number(), "{last}");
    let progress: Vec<i64> = seen
        .iter()
        .map(|j| j["progress"].as_i64().unwrap())
        .collect();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress only grows: {progress:?}"
    );
    assert!(
        seen.iter().any(|j| j["status"] == "RUNNING"),
        "the running job is seen: {seen:?}"
    );
}

#[tokio::test]
async fn a_job_is_followed_to_its_end_over_graphql_transport_ws() {
    follow_to_the_end(TRANSPORT_WS).await;
}

#[tokio::test]
async fn a_job_is_followed_to_its_end_over_the_legacy_protocol() {
    follow_to_the_end(LEGACY_WS).await;
}

#[tokio::test]
async fn a_finished_job_answers_once_and_completes() {
    let (app, t) = app_with_admin().await;
    let queued =
        app.data(&t, UPSERT, json!({"i": upsert_body()})).await["upsertBomAsync"]["job"].clone();
    app.wait_job(&t, &queued["id"]).await;
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    client
        .subscribe("job", FOLLOW, json!({"id": queued["id"]}))
        .await;
    assert_eq!(
        client.next_data("job").await["jobUpdated"]["status"],
        "SUCCEEDED"
    );
    assert_eq!(
        client.message().await,
        json!({"type": "complete", "id": "job"})
    );
}

#[tokio::test]
async fn another_teams_job_cannot_be_followed() {
    let (mut app, t) = app_with_admin().await;
    app.stop_worker().await;
    let eve = app.user("eve", "elsewhere", TeamRole::Admin).await;
    let queued =
        app.data(&t, UPSERT, json!({"i": upsert_body()})).await["upsertBomAsync"]["job"].clone();
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &eve).await;
    client
        .subscribe("job", FOLLOW, json!({"id": queued["id"]}))
        .await;
    let refused = client.message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "NOT_FOUND");
}
