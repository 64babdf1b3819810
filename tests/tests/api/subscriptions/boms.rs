//! `bomChanged`: each change to a BOM reaches its watchers once committed, from GraphQL and
//! from both REST dialects, on this instance and another; never a change that rolled back,
//! and never to another team.
use serde_json::{json, Value};
use tests::builders::{app_with_admin, approve, bom, line, revise, substitute, update_line, Part};
use tests::ws::{WsClient, TRANSPORT_WS};
use tests::{TeamRole, TestApp};

const WATCH: &str = "subscription($b: ID!) { bomChanged(bomId: $b) {
    kind bomId bom { id name approved archived } bomLineId bomLine { id quantity } revision { id revision } } }";

/// A client watching `bom_id`, once its subscription is live: the protocol has no answer
/// to a subscribe, so it makes changes that change nothing (an empty update) until it
/// hears one.
async fn watch(app: &TestApp, addr: std::net::SocketAddr, token: &str, bom_id: &str) -> WsClient {
    let mut client = WsClient::ready(addr, TRANSPORT_WS, token).await;
    client.subscribe("b", WATCH, json!({"b": bom_id})).await;
    for _ in 0..20 {
        gql(app, token, TOUCH, json!({"id": bom_id})).await;
        if let Some(m) = client
            .message_within(std::time::Duration::from_secs(2))
            .await
        {
            assert_eq!(m["payload"]["data"]["bomChanged"]["kind"], "UPDATED", "{m}");
            return client;
        }
    }
    panic!("the subscription never heard a change");
}

const TOUCH: &str = "mutation($id: ID!) { updateBom(input: {id: $id}) { bom { id } } }";

async fn next_change(client: &mut WsClient) -> Value {
    client.next_data("b").await["bomChanged"].clone()
}

async fn gql(app: &TestApp, t: &str, query: &str, vars: Value) -> Value {
    app.data(t, query, vars).await
}

#[tokio::test]
async fn a_bom_s_life_is_seen_change_by_change() {
    let (app, t) = app_with_admin().await;
    let part = Part::named("Resistor").create(&app, &t).await;
    let spare = Part::named("Spare").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "Board"})).await;
    let addr = app.serve().await;
    let mut client = watch(&app, addr, &t, &b).await;

    let l = line(&app, &t, &b, json!({"partId": part, "quantity": "2"})).await;
    let added = next_change(&mut client).await;
    assert_eq!(added["kind"], "LINE_ADDED");
    assert_eq!(
        (&added["bomId"], &added["bomLineId"]),
        (&json!(b), &json!(l))
    );
    assert_eq!(added["bomLine"], json!({"id": l, "quantity": "2"}));

    update_line(&app, &t, &l, json!({"quantity": "5"})).await;
    let changed = next_change(&mut client).await;
    assert_eq!(changed["kind"], "LINE_CHANGED");
    assert_eq!(
        changed["bomLine"]["quantity"], "5",
        "the line as it is after the change"
    );

    substitute(&app, &t, &l, &spare).await;
    assert_eq!(next_change(&mut client).await["kind"], "LINE_CHANGED");

    gql(
        &app,
        &t,
        "mutation($id: ID!) { removeBomLine(input: {id: $id}) { deletedId } }",
        json!({"id": l}),
    )
    .await;
    let removed = next_change(&mut client).await;
    assert_eq!(removed["kind"], "LINE_REMOVED");
    assert_eq!(
        (&removed["bomLineId"], &removed["bomLine"]),
        (&json!(l), &Value::Null)
    );

    gql(
        &app,
        &t,
        "mutation($id: ID!) { updateBom(input: {id: $id, name: \"Board 2\"}) { bom { id } } }",
        json!({"id": b}),
    )
    .await;
    let updated = next_change(&mut client).await;
    assert_eq!(
        (updated["kind"].as_str(), updated["bom"]["name"].as_str()),
        (Some("UPDATED"), Some("Board 2"))
    );

    approve(&app, &t, &b).await;
    let approved = next_change(&mut client).await;
    assert_eq!(
        (approved["kind"].as_str(), &approved["bom"]["approved"]),
        (Some("APPROVED"), &json!(true))
    );

    let (rev, label) = revise(&app, &t, &b, None).await;
    let revised = next_change(&mut client).await;
    assert_eq!(revised["kind"], "REVISED");
    assert_eq!(revised["revision"], json!({"id": rev, "revision": label}));

    gql(
        &app,
        &t,
        "mutation($id: ID!) { deleteBom(input: {id: $id}) { outcome } }",
        json!({"id": b}),
    )
    .await;
    let archived = next_change(&mut client).await;
    assert_eq!(
        (archived["kind"].as_str(), &archived["bom"]["archived"]),
        (Some("ARCHIVED"), &json!(true))
    );
}

#[tokio::test]
async fn deleting_the_bom_ends_its_subscription() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Short-lived"})).await;
    let addr = app.serve().await;
    let mut client = watch(&app, addr, &t, &b).await;
    gql(
        &app,
        &t,
        "mutation($id: ID!) { deleteBom(input: {id: $id}) { outcome } }",
        json!({"id": b}),
    )
    .await;
    let deleted = next_change(&mut client).await;
    assert_eq!(
        (deleted["kind"].as_str(), &deleted["bom"]),
        (Some("DELETED"), &Value::Null)
    );
    assert_eq!(
        client.message().await,
        json!({"type": "complete", "id": "b"})
    );
}

#[tokio::test]
async fn a_write_that_fails_announces_nothing() {
    let (app, t) = app_with_admin().await;
    let part = Part::named("Cap").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "Strict"})).await;
    let addr = app.serve().await;
    let mut client = watch(&app, addr, &t, &b).await;
    // a line refused by the rules, and a whole BOM with a bad line: nothing is committed
    tests::fails(
        &app,
        &t,
        tests::builders::ADD_LINE,
        json!({"i": {"bomId": b, "partId": part, "quantity": "-1"}}),
    )
    .await;
    client
        .silent_for(std::time::Duration::from_millis(300))
        .await;
    let l = line(&app, &t, &b, json!({"partId": part, "quantity": "1"})).await;
    let first = next_change(&mut client).await;
    assert_eq!(
        (first["kind"].as_str(), &first["bomLineId"]),
        (Some("LINE_ADDED"), &json!(l))
    );
}

#[tokio::test]
async fn rest_writes_are_announced_as_graphql_writes_are() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Mixed"})).await;
    let addr = app.serve().await;
    let mut client = watch(&app, addr, &t, &b).await;
    let bom_row = app.row_id(&t, &b).await;

    // Cofactr's raw line, then InvenTree's PATCH of it
    app.with_api_key(&t)
        .post(
            &format!("/v1/boms/{bom_row}/lines/raw/"),
            json!({"mpn": "1N4148", "quantity": 3}),
        )
        .await
        .expect(axum::http::StatusCode::CREATED);
    let added = next_change(&mut client).await;
    assert_eq!(added["kind"], "LINE_ADDED");
    let line_row = app.row_id(&t, &added["bomLineId"]).await;
    app.with_token(&t)
        .patch(&format!("/api/bom/{line_row}/"), json!({"quantity": 4}))
        .await
        .expect(axum::http::StatusCode::OK);
    let changed = next_change(&mut client).await;
    assert_eq!(
        (
            changed["kind"].as_str(),
            changed["bomLine"]["quantity"].as_str()
        ),
        (Some("LINE_CHANGED"), Some("4"))
    );
}

#[tokio::test]
async fn another_team_can_neither_watch_a_bom_nor_hear_of_it() {
    let (app, t) = app_with_admin().await;
    let eve = app.user("eve", "elsewhere", TeamRole::Admin).await;
    let b = bom(&app, &t, json!({"name": "Secret"})).await;
    let theirs = bom(&app, &eve, json!({"name": "Eve's"})).await;
    let addr = app.serve().await;

    let mut spy = WsClient::ready(addr, TRANSPORT_WS, &eve).await;
    spy.subscribe("b", WATCH, json!({"b": b})).await;
    let refused = spy.message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "NOT_FOUND");

    // eve watching her own BOM hears nothing of alice's
    let mut own = watch(&app, addr, &eve, &theirs).await;
    gql(
        &app,
        &t,
        "mutation($id: ID!) { updateBom(input: {id: $id, name: \"Secret 2\"}) { bom { id } } }",
        json!({"id": b}),
    )
    .await;
    own.silent_for(std::time::Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_change_made_on_one_instance_reaches_a_subscriber_of_another() {
    let (app, t) = app_with_admin().await;
    let part = Part::named("Crystal").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "Shared"})).await;
    // the subscriber is on a second instance, with its own pool (and, on PostgreSQL, its
    // own listening connection); the write is made through the first
    let second = app.second_instance().await;
    let addr = tests::serve(api::router(second)).await;
    let mut client = watch(&app, addr, &t, &b).await;
    let l = line(&app, &t, &b, json!({"partId": part, "quantity": "1"})).await;
    let heard = next_change(&mut client).await;
    assert_eq!(
        (heard["kind"].as_str(), &heard["bomLineId"]),
        (Some("LINE_ADDED"), &json!(l))
    );
}
