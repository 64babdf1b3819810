//! `DELETE /api/bom/` with a list of items or filters: what it refuses, and that it deletes
//! all or nothing.
use axum::http::{Method, StatusCode};
use serde_json::json;
use tests::builders::{approve, Part};

use super::{pks, Env};

#[tokio::test]
async fn bulk_delete() {
    let e = Env::new().await;
    let api = e.api();
    let delete = |body| api.send(Method::DELETE, "/api/bom/", Some(body));
    let a = e.item(e.r, json!({})).await;
    e.item(e.c, json!({"optional": true})).await;
    let c = e.item(e.c, json!({})).await;
    for (body, needle) in [
        (json!({}), "List of items or filters"),
        (json!({"items": 5}), "'items' must be supplied as a list"),
        (
            json!({"filters": [1]}),
            "'filters' must be supplied as a dict",
        ),
    ] {
        let r = delete(body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains(needle), "{}", r.text());
    }
    for empty in [json!({"filters": {}}), json!({"items": []})] {
        assert_eq!(
            delete(empty).await.status,
            StatusCode::BAD_REQUEST,
            "an empty request deletes nothing"
        );
    }
    assert_eq!(pks(&e.get("/api/bom/").await).len(), 3);
    let r = delete(json!({"filters": {"colour": "red"}})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("colour"));
    let r = delete(json!({"filters": {"optional": true}})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(pks(&e.get("/api/bom/").await), [a, c]);
    let r = delete(json!({"items": [a]})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(pks(&e.get("/api/bom/").await), [c]);
}

#[tokio::test]
async fn bulk_delete_is_all_or_nothing() {
    let e = Env::new().await;
    let a = e.item(e.r, json!({})).await;
    // a line of an approved BOM cannot be deleted, so neither is the other one
    let board = Part::named("Board")
        .assembly()
        .create_rest(&e.app, &e.t)
        .await;
    let locked = e
        .api()
        .post(
            "/api/bom/",
            json!({"part": board, "sub_part": e.c, "quantity": 1}),
        )
        .await
        .expect(StatusCode::CREATED)["pk"]
        .as_i64()
        .unwrap();
    let bom_id = e
        .app
        .data(
            &e.t,
            "{ boms(filter: {search: \"Board\"}) { nodes { id } } }",
            json!({}),
        )
        .await["boms"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    approve(&e.app, &e.t, &bom_id).await;
    let r = e
        .api()
        .send(
            Method::DELETE,
            "/api/bom/",
            Some(json!({"items": [a, locked]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(pks(&e.get("/api/bom/").await), [a, locked]);
}
