//! What no request may cost the server: bodies past the limit are refused before they are
//! read (or as soon as the limit is reached), other media types are refused, the cost
//! model bounds what one GraphQL request may ask for, and a team's job queue is bounded.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use tests::builders::{app_with_admin, bom, Part};
use tests::{error_codes, TeamRole, TestApp};

const MIB: usize = 1024 * 1024;

/// A body of `chunks` MiB made as it is read, counting the bytes the server pulled.
fn counted_body(chunks: usize) -> (Body, Arc<AtomicUsize>) {
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    let stream = futures::stream::iter(0..chunks).map(move |i| {
        counter.fetch_add(MIB, Ordering::SeqCst);
        let chunk = if i == 0 {
            let mut c = b"{\"query\":\"".to_vec();
            c.resize(MIB, b' ');
            c
        } else {
            vec![b' '; MIB]
        };
        Ok::<_, std::io::Error>(Bytes::from(chunk))
    });
    (Body::from_stream(stream), pulled)
}

use futures::StreamExt;

fn oversized(path: &str, content_type: &str, declared: bool) -> (Request<Body>, Arc<AtomicUsize>) {
    let (body, pulled) = counted_body(400);
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type);
    if declared {
        req = req.header(header::CONTENT_LENGTH, 400 * MIB);
    }
    (req.body(body).unwrap(), pulled)
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let app = TestApp::new().await;
    for path in ["/graphql", "/api/bom/", "/v1/boms/"] {
        // A declared length past the limit: refused without reading a byte.
        let (req, pulled) = oversized(path, "application/json", true);
        let reply = app.send(req).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert_eq!(pulled.load(Ordering::SeqCst), 0, "{path}: nothing read");
        let body = reply.json();
        if path == "/graphql" {
            assert_eq!(error_codes(&body), ["PAYLOAD_TOO_LARGE"]);
        } else {
            assert!(
                body["detail"].as_str().unwrap().contains("32 MiB"),
                "{body}"
            );
        }
        // A streamed body with no length: refused once the limit is reached.
        let (req, pulled) = oversized(path, "application/json", false);
        let reply = app.send(req).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{path} chunked"
        );
        let read = pulled.load(Ordering::SeqCst);
        assert!(
            read <= 34 * MIB,
            "{path}: read {read} bytes of a 400 MiB body"
        );
    }
    let (req, pulled) = oversized(
        "/api/bom/import/upload/",
        "multipart/form-data; boundary=x",
        false,
    );
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(pulled.load(Ordering::SeqCst) <= 34 * MIB);
}

#[tokio::test]
async fn bodies_that_are_not_json_are_415_on_every_surface() {
    let (app, token) = app_with_admin().await;
    let query = json!({"query": "{ me { username } }"})
        .to_string()
        .into_bytes();
    for (path, content_type) in [
        ("/graphql", "text/plain"),
        ("/graphql", "application/x-www-form-urlencoded"),
        ("/api/bom/", "text/plain"),
        ("/v1/boms/", "text/plain;charset=UTF-8"),
        ("/api/bom/import/upload/", "application/json"),
    ] {
        let reply = app
            .raw(Method::POST, path, &token, content_type, query.clone())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{path} {content_type}"
        );
        let body = reply.json();
        if path == "/graphql" {
            assert_eq!(error_codes(&body), ["UNSUPPORTED_MEDIA_TYPE"]);
        } else {
            assert!(body["detail"]
                .as_str()
                .unwrap()
                .contains("Unsupported media type"));
        }
    }
    // JSON itself still works.
    let reply = app
        .raw(Method::POST, "/graphql", &token, "application/json", query)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

/// A BOM with `n` lines, made in one mutation.
async fn big_bom(app: &TestApp, token: &str, n: usize) -> String {
    let part = Part::named("R-10k").create(app, token).await;
    let lines: Vec<Value> = (0..n)
        .map(|i| json!({"quantity": "2", "partId": part, "reference": format!("R{i}")}))
        .collect();
    bom(app, token, json!({"name": "Big", "lines": lines})).await
}

#[tokio::test]
async fn aliased_lists_are_refused_by_the_cost_budget() {
    let (app, token) = app_with_admin().await;
    let id = big_bom(&app, &token, 1_000).await;
    let one =
        format!("b0: bom(id: \"{id}\") {{ lines {{ id reference quantity availableStock }} }}");
    let data = app.data(&token, &format!("{{ {one} }}"), json!({})).await;
    assert_eq!(data["b0"]["lines"].as_array().unwrap().len(), 1_000);

    // 800 aliases x 1,000 lines x 4 fields: 3,200,000 values, past the budget
    let aliases: Vec<String> = (0..800)
        .map(|i| {
            format!(
                "b{i}: bom(id: \"{id}\") {{ lines {{ id reference quantity availableStock }} }}"
            )
        })
        .collect();
    let before = app.statements();
    let reply = app
        .request(
            Method::POST,
            "/graphql",
            &[("authorization", &format!("Bearer {token}"))],
            Some(json!({"query": format!("{{ {} }}", aliases.join(" "))})),
        )
        .await;
    let statements = app.statements() - before;
    assert!(
        statements <= 10,
        "the aliases share one load of the BOM and its lines: {statements} statements"
    );
    let body = reply.json();
    assert_eq!(
        error_codes(&body),
        ["QUERY_TOO_COMPLEX"],
        "{}",
        reply.text().chars().take(300).collect::<String>()
    );
    assert!(
        body.get("data").is_none_or(Value::is_null),
        "no partial data"
    );
    assert!(
        reply.body.len() < 1_000,
        "the refusal is small: {} bytes",
        reply.body.len()
    );
}

#[tokio::test]
async fn traversal_floods_are_refused_before_any_sql() {
    let (app, token) = app_with_admin().await;
    let part = Part::named("C1").create(&app, &token).await;
    let aliases: Vec<String> = (0..100)
        .map(|i| format!("w{i}: whereUsed(partId: \"{part}\") {{ id }}"))
        .collect();
    let before = app.statements();
    let resp = app
        .gql(&token, &format!("{{ {} }}", aliases.join(" ")), json!({}))
        .await;
    assert_eq!(error_codes(&resp), ["QUERY_TOO_COMPLEX"]);
    // authentication only: the traversals never ran
    assert!(
        app.statements() - before <= 3,
        "{} statements",
        app.statements() - before
    );
}

#[tokio::test]
async fn a_team_has_a_bounded_number_of_queued_jobs() {
    let mut app = TestApp::new().await;
    app.stop_worker().await;
    let admin = app.user("ada", "plant", TeamRole::Admin).await;
    let viewer = app.user("vic", "plant", TeamRole::Viewer).await;
    let program = tests::builders::program(&app, &admin, "P").await;
    let queue = tests::builders::QUEUE_AVAILABILITY;
    for _ in 0..service::job::MAX_ACTIVE_JOBS_PER_TEAM {
        tests::builders::queue_availability(&app, &viewer, &program).await;
    }
    let resp = app.gql(&viewer, queue, json!({"p": program})).await;
    assert_eq!(error_codes(&resp), ["RATE_LIMITED"]);
    let reply = app
        .rest(
            Method::GET,
            &format!(
                "/v1/programs/{}/availabilities/async/",
                app.row_id(&viewer, &program).await
            ),
            &viewer,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.headers[header::RETRY_AFTER], "1");
    assert!(reply.json()["detail"]
        .as_str()
        .unwrap()
        .contains("jobs queued or running"));
    // Another team is not held back by this one.
    let other = app.user("oz", "lab", TeamRole::Admin).await;
    let theirs = tests::builders::program(&app, &other, "Q").await;
    tests::builders::queue_availability(&app, &other, &theirs).await;
    // Once the jobs run, the team may queue again.
    app.start_worker();
    let mut last = Value::Null;
    for _ in 0..600 {
        let resp = app.gql(&viewer, queue, json!({"p": program})).await;
        if error_codes(&resp).is_empty() {
            last = resp["data"]["programAvailabilityAsync"]["job"]["id"].clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.wait_job(&viewer, &last).await["status"], "SUCCEEDED");
}

/// The operations of a batch share one values budget, so a batch costs no more than the
/// largest single query may.
#[tokio::test]
async fn a_batch_shares_one_values_budget() {
    let (app, token) = app_with_admin().await;
    let id = big_bom(&app, &token, 1_000).await;
    // 40 aliases x 1,000 lines x 4 fields: 160,000 values, well within the budget alone
    let aliases: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "b{i}: bom(id: \"{id}\") {{ lines {{ id reference quantity availableStock }} }}"
            )
        })
        .collect();
    let query = format!("{{ {} }}", aliases.join(" "));
    let one = app.gql(&token, &query, json!({})).await;
    assert!(one.get("errors").is_none(), "one operation alone runs");
    // twenty of them: 3,200,000
    let auth = format!("Bearer {token}");
    let reply = app
        .request(
            Method::POST,
            "/graphql",
            &[("authorization", auth.as_str())],
            Some(json!(vec![json!({ "query": query }); 20])),
        )
        .await;
    let results = reply.json();
    let results = results.as_array().expect("one result per operation");
    assert_eq!(results.len(), 20);
    assert!(results[0].get("errors").is_none(), "the first fits");
    assert_eq!(
        error_codes(&results[19]),
        ["QUERY_TOO_COMPLEX"],
        "the last is past the shared budget"
    );
}
