//! The metadata of items and substitutes, and an item's validation flag.
use axum::http::{Method, StatusCode};
use serde_json::json;

use super::Env;

#[tokio::test]
async fn metadata_and_validation() {
    let e = Env::new().await;
    let api = e.api();
    let line = e.item(e.r, json!({})).await;
    let sub = e.substitute(line, e.c).await;
    for base in [
        format!("/api/bom/{line}/metadata/"),
        format!("/api/bom/substitute/{sub}/metadata/"),
    ] {
        assert_eq!(e.get(&base).await, json!({"metadata": null}));
        let put = api.put(&base, json!({"metadata": {"a": 1, "b": 2}})).await;
        assert_eq!(put.json(), json!({"metadata": {"a": 1, "b": 2}}));
        let patch = api
            .patch(&base, json!({"metadata": {"b": 3, "c": 4}}))
            .await;
        assert_eq!(patch.json(), json!({"metadata": {"a": 1, "b": 3, "c": 4}}));
        let put = api.put(&base, json!({"metadata": {"z": 0}})).await;
        assert_eq!(put.json(), json!({"metadata": {"z": 0}}));
        let bad = api.patch(&base, json!({"metadata": [1, 2]})).await;
        assert!(bad.expect(StatusCode::BAD_REQUEST)["metadata"].is_array());
        assert_eq!(e.get(&base).await, json!({"metadata": {"z": 0}}));
    }
    let item = format!("/api/bom/{line}/");
    let validate = format!("/api/bom/{line}/validate/");
    let r = api.put(&validate, json!({"valid": true})).await;
    assert_eq!(r.json(), json!({"valid": true}));
    assert_eq!(e.get(&item).await["validated"], true);
    api.patch(&item, json!({"note": "only a note"})).await;
    assert_eq!(e.get(&item).await["validated"], true);
    api.patch(&item, json!({"quantity": 7})).await;
    assert_eq!(e.get(&item).await["validated"], false);
    api.patch(&validate, json!({"valid": true})).await;
    let r = api.patch(&validate, json!({"valid": false})).await;
    assert_eq!(r.json(), json!({"valid": false}));
    let wrong = api.send(Method::GET, &validate, None).await;
    assert_eq!(
        wrong.expect(StatusCode::METHOD_NOT_ALLOWED),
        json!({"detail": "Method \"GET\" not allowed."})
    );
}
