//! `partStockChanged`: the stock of a set of parts, as it changes.
use serde_json::{json, Value};
use tests::builders::{app_with_admin, Part};
use tests::ws::{WsClient, TRANSPORT_WS};
use tests::{TeamRole, TestApp};

const WATCH: &str =
    "subscription($p: [ID!]!) { partStockChanged(partIds: $p) { id name inStock allocated } }";
const UPDATE: &str = "mutation($i: UpdatePartInput!) { updatePart(input: $i) { part { id } } }";

async fn update(app: &TestApp, t: &str, id: &str, mut input: Value) {
    input["id"] = json!(id);
    app.data(t, UPDATE, json!({ "i": input })).await;
}

#[tokio::test]
async fn stock_changes_of_the_watched_parts_are_seen_and_nothing_else() {
    let (app, t) = app_with_admin().await;
    let a = Part::named("Resistor").create(&app, &t).await;
    let b = Part::named("Capacitor").create(&app, &t).await;
    let other = Part::named("Unwatched").create(&app, &t).await;
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    client.subscribe("s", WATCH, json!({"p": [a, b]})).await;
    // a subscribe has no answer: it is live once it hears a change
    let mut stock = 0;
    let first = loop {
        stock += 1;
        assert!(stock < 20, "the subscription never heard a change");
        update(&app, &t, &a, json!({"inStock": stock.to_string()})).await;
        if let Some(m) = client
            .message_within(std::time::Duration::from_secs(2))
            .await
        {
            break m;
        }
    };
    assert_eq!(first["payload"]["data"]["partStockChanged"]["id"], a);

    // a change that is not of stock, and a part not watched: nothing
    update(&app, &t, &b, json!({"name": "Capacitor 2"})).await;
    update(&app, &t, &other, json!({"inStock": "7"})).await;
    client
        .silent_for(std::time::Duration::from_millis(300))
        .await;

    update(&app, &t, &b, json!({"allocated": "3"})).await;
    let seen = client.next_data("s").await["partStockChanged"].clone();
    assert_eq!(
        seen,
        json!({"id": b, "name": "Capacitor 2", "inStock": "0", "allocated": "3"}),
        "the part as it is after the change"
    );
}

#[tokio::test]
async fn another_teams_part_cannot_be_watched_and_the_set_is_bounded() {
    let (app, t) = app_with_admin().await;
    let eve = app.user("eve", "elsewhere", TeamRole::Admin).await;
    let mine = Part::named("Mine").create(&app, &t).await;
    let theirs = Part::named("Theirs").create(&app, &eve).await;
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    client
        .subscribe("s", WATCH, json!({"p": [mine, theirs]}))
        .await;
    let refused = client.message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "NOT_FOUND");

    let many: Vec<String> = (1..=101).map(|n| tests::global_id("Part", n)).collect();
    client.subscribe("many", WATCH, json!({"p": many})).await;
    let refused = client.message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "VALIDATION");
}
