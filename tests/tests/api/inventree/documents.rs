//! What the API says about itself: errors for unknown paths, bad bodies and methods, the
//! OPTIONS metadata and the OpenAPI document.
use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::Env;

#[tokio::test]
async fn errors_and_unknown_paths() {
    let e = Env::new().await;
    let api = e.api();
    let r = api.get("/api/nothing/here/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    let r = e
        .app
        .raw(
            Method::POST,
            "/api/bom/",
            &e.t,
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert!(r.expect(StatusCode::BAD_REQUEST)["detail"]
        .as_str()
        .unwrap()
        .starts_with("JSON parse error"));
    let r = api.put("/api/bom/", json!({})).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let options = api.send(Method::OPTIONS, "/api/bom/", None).await;
    let post = &options.expect(StatusCode::OK)["actions"]["POST"];
    assert_eq!(post["quantity"]["required"], true);
    assert_eq!(post["pk"]["read_only"], true);
    assert_eq!(post["reference"]["max_length"], 5000);
}

/// Every REST route the router serves is in `/api/schema/`, and every operation there is
/// served. The paths come from the REST router itself (its `Debug` lists the paths it
/// matches); each is sent every method without credentials: a method the path does not
/// serve answers DRF's 405, a path nothing serves the catch-all's 404, and a served one
/// asks for credentials (or answers, for the API root).
#[tokio::test]
async fn the_document_lists_exactly_the_served_routes() {
    let e = Env::new().await;
    let doc = e.get("/api/schema/").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ];
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in &methods {
            if item[m.as_str().to_lowercase()].is_object() {
                documented.insert(format!("{m} {path}"));
            }
        }
    }
    let routes = format!("{:?}", api::rest::router());
    let paths: BTreeSet<&str> = routes.split('"').filter(|s| s.starts_with('/')).collect();
    assert!(paths.len() > 30, "the router's paths: {paths:?}");
    let mut served = BTreeSet::new();
    for path in paths {
        let concrete: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { "1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for m in &methods {
            let r = e.app.request(m.clone(), &concrete, &[], None).await;
            if ![StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&r.status) {
                served.insert(format!("{m} {path}"));
            }
        }
    }
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && unserved.is_empty(),
        "served but not documented: {undocumented:?}; documented but not served: {unserved:?}"
    );
}
