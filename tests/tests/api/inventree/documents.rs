//! What the API says about itself: errors for unknown paths, bad bodies and methods, the
//! OPTIONS metadata and the OpenAPI document.
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

#[tokio::test]
async fn openapi_document_lists_every_operation() {
    let e = Env::new().await;
    let doc = e.get("/api/schema/").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/api/bom/", &["delete", "get", "post"][..]),
        ("/api/bom/import/extract/", &["post"]),
        ("/api/bom/import/submit/", &["post"]),
        ("/api/bom/import/upload/", &["post"]),
        ("/api/bom/substitute/", &["get", "post"]),
        (
            "/api/bom/substitute/{id}/",
            &["delete", "get", "patch", "put"],
        ),
        (
            "/api/bom/substitute/{id}/metadata/",
            &["get", "patch", "put"],
        ),
        ("/api/bom/{id}/", &["delete", "get", "patch", "put"]),
        ("/api/bom/{id}/metadata/", &["get", "patch", "put"]),
        ("/api/bom/{id}/validate/", &["patch", "put"]),
    ];
    let mut count = 0;
    for (path, methods) in expected {
        for m in methods {
            assert!(
                doc["paths"][path][m].is_object(),
                "{m} {path} is not documented"
            );
            count += 1;
        }
    }
    assert_eq!(count, 24);
}
