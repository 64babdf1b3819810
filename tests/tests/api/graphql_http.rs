//! GraphQL over HTTP as front-end clients use it: the media type and status the spec asks
//! for, batches, Apollo's automatic persisted queries, and one answer for missing and wrong
//! credentials.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tests::request::Reply;
use tests::{error_codes, global_id, TeamRole, TestApp};

const SPEC: &str = "application/graphql-response+json";

async fn post(app: &TestApp, token: &str, accept: Option<&str>, body: Value) -> Reply {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("authorization", auth.as_str())];
    if let Some(accept) = accept {
        headers.push(("accept", accept));
    }
    app.request(Method::POST, "/graphql", &headers, Some(body))
        .await
}

/// `application/graphql-response+json` to a client that asks for it, `application/json`
/// to every other (`*/*`, no `Accept`, only `application/json`).
#[tokio::test]
async fn the_media_type_follows_accept() {
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Viewer).await;
    for (accept, want) in [
        (None, "application/json"),
        (Some("*/*"), "application/json"),
        (Some("application/json"), "application/json"),
        (Some(SPEC), SPEC),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            SPEC,
        ),
    ] {
        let r = post(&app, &t, accept, json!({"query": "{ me { username } }"})).await;
        assert_eq!(r.content_type.as_deref(), Some(want), "Accept: {accept:?}");
        assert_eq!(r.json()["data"]["me"]["username"], "u");
    }
}

/// A document that does not parse or validate, or a variable that does not coerce, is a
/// request error: no `data`, 400 in the spec's media type and 200 in plain JSON. A
/// resolver's error is not: it keeps `data` and 200 in both.
#[tokio::test]
async fn request_errors_have_no_data_and_their_own_status() {
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Viewer).await;
    let request_errors = [
        json!({"query": "{ me { username "}),
        json!({"query": "{ nothingHere }"}),
        json!({"query": "query($n: Int) { parts(first: $n) { totalCount } }", "variables": {"n": "many"}}),
    ];
    for body in request_errors {
        for (accept, status) in [
            (SPEC, StatusCode::BAD_REQUEST),
            ("application/json", StatusCode::OK),
        ] {
            let r = post(&app, &t, Some(accept), body.clone()).await;
            assert_eq!(r.status, status, "{accept}: {body}");
            let resp = r.json();
            assert!(resp.get("data").is_none(), "{accept}: {resp}");
            let codes = error_codes(&resp);
            assert!(
                !codes.is_empty() && codes.iter().all(|c| c == "BAD_REQUEST"),
                "{resp}"
            );
        }
    }
    let missing = post(
        &app,
        &t,
        Some(SPEC),
        json!({"query": format!("{{ bom(id: \"{}\") {{ id }} }}", global_id("Bom", 999))}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::OK);
    let resp = missing.json();
    assert!(resp.get("data").is_some(), "{resp}");
    assert_eq!(error_codes(&resp), ["NOT_FOUND"]);
}

/// A request without a document is refused as such, whatever the client accepts.
#[tokio::test]
async fn a_request_without_a_query_is_a_bad_request() {
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Viewer).await;
    for accept in [None, Some(SPEC)] {
        let r = post(&app, &t, accept, json!({"qeury": "{ __typename }"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(error_codes(&r.json()), ["BAD_REQUEST"]);
        assert!(r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no query"));
    }
}

/// A missing token runs the request anonymously (introspection works, data needs a
/// token); a wrong one is refused before it runs. Both answer 200 with `UNAUTHENTICATED`,
/// which Apollo Client and urql surface as a GraphQL error.
#[tokio::test]
async fn missing_and_wrong_tokens_answer_unauthenticated_with_200() {
    let app = TestApp::new().await;
    let parts = json!({"query": "{ parts { totalCount } }"});
    for accept in [None, Some(SPEC)] {
        let mut headers = vec![];
        if let Some(a) = accept {
            headers.push(("accept", a));
        }
        let missing = app
            .request(Method::POST, "/graphql", &headers, Some(parts.clone()))
            .await;
        headers.push(("authorization", "Bearer not-a-token"));
        let wrong = app
            .request(Method::POST, "/graphql", &headers, Some(parts.clone()))
            .await;
        for r in [missing, wrong] {
            assert_eq!(r.status, StatusCode::OK, "{accept:?}");
            assert_eq!(error_codes(&r.json()), ["UNAUTHENTICATED"], "{accept:?}");
        }
    }
    let introspection = app
        .gql("", "{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(
        introspection["data"]["__schema"]["queryType"]["name"],
        "Query"
    );
}

/// A JSON array runs each operation in order and answers their results in an array; one
/// operation's error does not fail the others.
#[tokio::test]
async fn a_batch_answers_each_operation_in_order() {
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Editor).await;
    let batch = json!([
        {"query": "mutation($n: String!) { createPart(input: {name: $n}) { part { name } } }", "variables": {"n": "R1"}},
        {"query": "{ parts { totalCount } }"},
        {"query": "{ nothingHere }"},
        {"query": "{ me { username } }"},
    ]);
    let r = post(&app, &t, None, batch).await;
    assert_eq!(r.status, StatusCode::OK);
    let results = r.json();
    let results = results.as_array().expect("an array of results");
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["data"]["createPart"]["part"]["name"], "R1");
    assert_eq!(
        results[1]["data"]["parts"]["totalCount"], 1,
        "the write is seen"
    );
    assert_eq!(error_codes(&results[2]), ["BAD_REQUEST"]);
    assert_eq!(results[3]["data"]["me"]["username"], "u");
}

fn persisted(hash: &str, query: Option<&str>) -> Value {
    let mut body = json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}});
    if let Some(query) = query {
        body["query"] = json!(query);
    }
    body
}

/// Apollo's automatic persisted queries: an unknown hash answers
/// `PERSISTED_QUERY_NOT_FOUND`, the document sent once with its hash registers it, and the
/// hash alone then runs it, by POST or GET; a hash that is not the document's is refused.
#[tokio::test]
async fn automatic_persisted_queries() {
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Viewer).await;
    let query = "{ me { username } }";
    let hash = hex::encode(Sha256::digest(query.as_bytes()));

    let unknown = post(&app, &t, Some(SPEC), persisted(&hash, None)).await;
    assert_eq!(unknown.status, StatusCode::OK);
    let resp = unknown.json();
    assert_eq!(error_codes(&resp), ["PERSISTED_QUERY_NOT_FOUND"]);
    assert_eq!(resp["errors"][0]["message"], "PersistedQueryNotFound");

    let registered = post(&app, &t, None, persisted(&hash, Some(query)))
        .await
        .json();
    assert_eq!(registered["data"]["me"]["username"], "u");
    let by_hash = post(&app, &t, None, persisted(&hash, None)).await.json();
    assert_eq!(by_hash["data"]["me"]["username"], "u");

    let extensions = urlencoding::encode(r#"{"persistedQuery":{"version":1,"sha256Hash":"HASH"}}"#)
        .replace("HASH", &hash);
    let auth = format!("Bearer {t}");
    let get = app
        .request(
            Method::GET,
            &format!("/graphql?extensions={extensions}"),
            &[("authorization", auth.as_str())],
            None,
        )
        .await;
    assert_eq!(get.json()["data"]["me"]["username"], "u", "{}", get.text());

    let other = hex::encode(Sha256::digest(b"{ __typename }"));
    let mismatch = post(&app, &t, None, persisted(&other, Some(query))).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_codes(&mismatch.json()), ["BAD_REQUEST"]);
}

/// A persisted mutation is still a mutation: GET refuses it as it refuses the document.
#[tokio::test]
async fn a_persisted_mutation_is_refused_on_get() {
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Editor).await;
    let mutation = "mutation { createPart(input: {name: \"R\"}) { part { id } } }";
    let hash = hex::encode(Sha256::digest(mutation.as_bytes()));
    post(&app, &t, None, persisted(&hash, Some(mutation))).await;
    let extensions = urlencoding::encode(&format!(
        r#"{{"persistedQuery":{{"version":1,"sha256Hash":"{hash}"}}}}"#
    ))
    .into_owned();
    let auth = format!("Bearer {t}");
    let get = app
        .request(
            Method::GET,
            &format!("/graphql?extensions={extensions}"),
            &[("authorization", auth.as_str())],
            None,
        )
        .await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
    let parts = app.data(&t, "{ parts { totalCount } }", json!({})).await;
    assert_eq!(
        parts["parts"]["totalCount"], 1,
        "only the POST created a part"
    );
}
