//! `/api/bom/substitute/`: a line's substitutes, their rules, list and removal.
use axum::http::StatusCode;
use serde_json::json;

use super::{pks, Env};

#[tokio::test]
async fn substitutes() {
    let e = Env::new().await;
    let api = e.api();
    let line = e.item(e.r, json!({})).await;
    let sub = api
        .post(
            "/api/bom/substitute/",
            json!({"bom_item": line, "part": e.c}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(sub["bom_item"], line);
    assert_eq!(sub["part_detail"]["name"], "Capacitor");
    let again = api
        .post(
            "/api/bom/substitute/",
            json!({"bom_item": line, "part": e.c}),
        )
        .await;
    assert!(again.expect(StatusCode::BAD_REQUEST)["non_field_errors"].is_array());
    let own = api
        .post(
            "/api/bom/substitute/",
            json!({"bom_item": line, "part": e.r}),
        )
        .await;
    assert!(own.expect(StatusCode::BAD_REQUEST)["part"].is_array());
    let spk = sub["pk"].as_i64().unwrap();
    let of_line = e
        .get(&format!("/api/bom/substitute/?bom_item={line}"))
        .await;
    assert_eq!(pks(&of_line), [spk]);
    let of_none = e.get("/api/bom/substitute/?bom_item=0").await;
    assert_eq!(pks(&of_none), Vec::<i64>::new());
    assert_eq!(e.get("/api/bom/substitute/?limit=1").await["count"], 1);
    let path = format!("/api/bom/substitute/{spk}/");
    assert_eq!(e.get(&path).await["part"], e.c);
    let nested = e.get(&format!("/api/bom/{line}/")).await;
    assert_eq!(nested["substitutes"][0]["pk"], spk);
    // a substitute is used by its line
    let users = e.get(&format!("/api/bom/?uses={}", e.c)).await;
    assert_eq!(pks(&users), [line]);
    assert_eq!(api.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&path).await.status, StatusCode::NOT_FOUND);
}
