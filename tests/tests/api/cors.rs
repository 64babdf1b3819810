//! Browser front-ends on the configured origins may call the API, with whatever headers
//! their GraphQL client sends; other sites get no grant, and DRF clients' plain OPTIONS
//! still reads field descriptions.
use api::cors::{parse_origin, CorsPolicy};
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use tower::ServiceExt;

use tests::{TeamRole, TestApp};

const FRONT_END: &str = "https://bom.example.com";

/// A router like `serve --cors-origin https://bom.example.com` runs.
async fn app_allowing_front_end() -> (TestApp, axum::Router) {
    let app = TestApp::new().await;
    let mut state = app.second_instance().await;
    state.cors = CorsPolicy::allowing(&[parse_origin(FRONT_END).unwrap()]);
    (app, api::router(state))
}

async fn send(router: &axum::Router, req: Request<Body>) -> Response<Body> {
    router.clone().oneshot(req).await.unwrap()
}

fn preflight(origin: &str, path: &str, headers: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri(path)
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", headers)
        .body(Body::empty())
        .unwrap()
}

fn header<'a>(r: &'a Response<Body>, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn a_preflight_from_the_front_end_is_granted_the_headers_its_client_sends() {
    let (_app, router) = app_allowing_front_end().await;
    let asked = "authorization,content-type,apollographql-client-name,\
                 apollographql-client-version,x-request-id";
    let ok = send(&router, preflight(FRONT_END, "/graphql", asked)).await;
    assert!(ok.status().is_success(), "{}", ok.status());
    assert_eq!(header(&ok, "access-control-allow-origin"), Some(FRONT_END));
    let granted = header(&ok, "access-control-allow-headers").unwrap();
    for asked in asked.split(',') {
        assert!(granted.contains(asked), "{asked} not in {granted}");
    }
    let methods = header(&ok, "access-control-allow-methods").unwrap();
    assert!(
        methods.contains("POST") && methods.contains("PATCH"),
        "{methods}"
    );
    assert_eq!(header(&ok, "access-control-max-age"), Some("3600"));
}

#[tokio::test]
async fn another_site_gets_no_grant() {
    let (_app, router) = app_allowing_front_end().await;
    let other = send(
        &router,
        preflight("https://evil.example.net", "/graphql", "authorization"),
    )
    .await;
    assert!(header(&other, "access-control-allow-origin").is_none());
    let query = Request::builder()
        .method(Method::POST)
        .uri("/graphql")
        .header("origin", "https://evil.example.net")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .unwrap();
    assert!(header(&send(&router, query).await, "access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_front_end_reads_the_answer_and_its_request_id() {
    let (_app, router) = app_allowing_front_end().await;
    let query = Request::builder()
        .method(Method::POST)
        .uri("/graphql")
        .header("origin", FRONT_END)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .unwrap();
    let answer = send(&router, query).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        header(&answer, "access-control-allow-origin"),
        Some(FRONT_END)
    );
    assert_eq!(
        header(&answer, "access-control-expose-headers"),
        Some("x-request-id")
    );
    assert!(header(&answer, "x-request-id").is_some());
}

#[tokio::test]
async fn a_plain_options_still_describes_a_drf_list() {
    let (app, router) = app_allowing_front_end().await;
    let token = app.user("olga", "hardware", TeamRole::Editor).await;
    for origin in [None, Some(FRONT_END)] {
        let mut req = Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/bom/")
            .header("authorization", format!("Token {token}"));
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        let answer = send(&router, req.body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status(), StatusCode::OK, "origin {origin:?}");
        let body = axum::body::to_bytes(answer.into_body(), 1 << 20)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body["actions"]["POST"]["quantity"]["required"], true,
            "{body}"
        );
    }
}
