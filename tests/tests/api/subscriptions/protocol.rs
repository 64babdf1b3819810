//! The WebSocket protocols: subprotocol choice, authentication from `connection_init`, the
//! close codes of graphql-transport-ws, the legacy protocol's answers, and the bounds.
use serde_json::json;
use tests::builders::{app_with_admin, bom};
use tests::ws::{Received, WsClient, LEGACY_WS, TRANSPORT_WS};
use tokio_tungstenite::tungstenite::Message;

const WATCH: &str = "subscription($b: ID!) { bomChanged(bomId: $b) { kind } }";

#[tokio::test]
async fn the_server_speaks_the_subprotocol_the_client_asks_for() {
    let (app, _) = app_with_admin().await;
    let addr = app.serve().await;
    for protocol in [TRANSPORT_WS, LEGACY_WS] {
        let client = WsClient::connect(addr, protocol).await;
        assert_eq!(client.protocol.as_deref(), Some(protocol));
    }
}

#[tokio::test]
async fn missing_or_wrong_credentials_close_the_connection_as_forbidden() {
    let (app, t) = app_with_admin().await;
    let addr = app.serve().await;
    for payload in [json!({}), json!({"Authorization": "Bearer not-a-token"})] {
        let mut client = WsClient::connect(addr, TRANSPORT_WS).await;
        client.init(payload).await;
        assert_eq!(client.closed().await.0, 4403);
    }
    // the legacy protocol says why before it closes
    let mut legacy = WsClient::connect(addr, LEGACY_WS).await;
    legacy.init(json!({"Authorization": "Token wrong"})).await;
    let refusal = legacy.message().await;
    assert_eq!(refusal["type"], "connection_error");
    assert_eq!(refusal["payload"]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(legacy.closed().await.0, 4403);
    // every scheme HTTP accepts, also under `headers`
    for payload in [
        json!({"Authorization": format!("Token {t}")}),
        json!({"headers": {"authorization": format!("Bearer {t}")}}),
    ] {
        let mut client = WsClient::connect(addr, TRANSPORT_WS).await;
        client.init(payload).await;
        assert_eq!(client.message().await["type"], "connection_ack");
    }
}

#[tokio::test]
async fn protocol_violations_close_with_their_codes() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Watched"})).await;
    let addr = app.serve().await;

    let mut early = WsClient::connect(addr, TRANSPORT_WS).await;
    early.subscribe("1", WATCH, json!({"b": b})).await;
    assert_eq!(early.closed().await.0, 4401, "subscribe before the ack");

    let mut twice = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    twice.subscribe("1", WATCH, json!({"b": b})).await;
    twice.subscribe("1", WATCH, json!({"b": b})).await;
    assert_eq!(twice.closed().await.0, 4409, "an id in use");

    let mut again = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    again
        .init(json!({"Authorization": format!("Bearer {t}")}))
        .await;
    assert_eq!(again.closed().await.0, 4429, "a second init");

    let mut garbled = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    garbled.send(json!({"type": "launch"})).await;
    assert_eq!(
        garbled.closed().await.0,
        4400,
        "not a message of the protocol"
    );

    let mut huge = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    let query = format!("{{ __typename }}#{}", "x".repeat(2 * 1024 * 1024));
    huge.send_raw(Message::Text(
        json!({"type": "subscribe", "id": "1", "payload": {"query": query}})
            .to_string()
            .into(),
    ))
    .await;
    assert!(
        matches!(huge.receive().await, Received::Closed(..)),
        "a message over the limit ends the connection"
    );
}

#[tokio::test]
async fn a_connection_that_never_initialises_is_closed() {
    let (app, _) = app_with_admin().await;
    let addr = app.serve().await;
    let mut idle = WsClient::connect(addr, TRANSPORT_WS).await;
    let (code, _) = tokio::time::timeout(std::time::Duration::from_secs(15), idle.closed())
        .await
        .expect("closed within the init timeout");
    assert_eq!(code, 4408);
}

#[tokio::test]
async fn ping_is_answered_and_bad_operations_are_errors_of_their_own() {
    let (app, t) = app_with_admin().await;
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    client
        .send(json!({"type": "ping", "payload": {"n": 1}}))
        .await;
    assert_eq!(
        client.message().await,
        json!({"type": "pong", "payload": {"n": 1}})
    );
    // a document that does not validate is an `error` for its id; the connection stays
    client
        .subscribe("bad", "subscription { bomChanged { kind } }", json!({}))
        .await;
    let error = client.message().await;
    assert_eq!(
        (error["type"].as_str(), error["id"].as_str()),
        (Some("error"), Some("bad"))
    );
    assert!(
        error["payload"][0]["extensions"]["code"].is_string(),
        "{error}"
    );
    // queries run over the socket too, answered once and completed
    client
        .subscribe("q", "{ me { username } }", json!({}))
        .await;
    assert_eq!(
        client.next_data("q").await,
        json!({"me": {"username": "alice"}})
    );
    assert_eq!(
        client.message().await,
        json!({"type": "complete", "id": "q"})
    );
}

#[tokio::test]
async fn a_connection_runs_a_bounded_number_of_operations() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Popular"})).await;
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    let max = api::graphql::ws::MAX_OPERATIONS;
    for n in 0..max {
        client
            .subscribe(&n.to_string(), WATCH, json!({"b": b}))
            .await;
    }
    client.subscribe("one-more", WATCH, json!({"b": b})).await;
    let refused = client.message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "one-more");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    // stopping one makes room
    client.stop("0").await;
    client.subscribe("now", WATCH, json!({"b": b})).await;
    client
        .silent_for(std::time::Duration::from_millis(300))
        .await;
}

#[tokio::test]
async fn the_metrics_count_open_sockets_and_their_operations() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Measured"})).await;
    let addr = app.serve().await;
    let gauges = || async {
        let text = app
            .request(axum::http::Method::GET, "/metrics", &[], None)
            .await
            .text();
        let value = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name} ")))
                .map(str::to_owned)
        };
        (
            value("bomgraph_ws_connections"),
            value("bomgraph_ws_operations"),
        )
    };
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    client.subscribe("1", WATCH, json!({"b": b})).await;
    client.subscribe("2", WATCH, json!({"b": b})).await;
    // messages are handled in order: once the ping is answered, both operations run
    client.send(json!({"type": "ping"})).await;
    assert_eq!(client.message().await["type"], "pong");
    assert_eq!(gauges().await, (Some("1".into()), Some("2".into())));
    client.stop("1").await;
    client.send(json!({"type": "ping"})).await;
    assert_eq!(client.message().await["type"], "pong");
    assert_eq!(gauges().await, (Some("1".into()), Some("1".into())));
    drop(client);
    for _ in 0..50 {
        if gauges().await == (Some("0".into()), Some("0".into())) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("a closed socket is not counted: {:?}", gauges().await);
}

#[tokio::test]
async fn a_server_shutting_down_closes_its_sockets_as_going_away() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Left behind"})).await;
    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, &t).await;
    client.subscribe("1", WATCH, json!({"b": b})).await;
    app.state.closing.send_replace(true);
    assert_eq!(client.closed().await.0, 1001);
}
