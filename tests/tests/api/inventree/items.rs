//! One BOM item's life: create, detail, PATCH and PUT, delete, and the rules a new item
//! must keep.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::builders::Part;

use super::Env;

#[tokio::test]
async fn create_detail_update_delete() {
    let e = Env::new().await;
    let api = e.api();
    let created = e.item_body(e.r, json!({"reference": "R1 R2", "note": "n", "overage": "5%", "validated": true, "pk": 999, "bogus": 1})).await;
    let pk = created["pk"].as_i64().unwrap();
    assert_ne!(pk, 999, "pk is read-only");
    assert_eq!(created["part"], e.asm);
    assert_eq!(created["sub_part"], e.r);
    assert_eq!(created["quantity"], 2.0);
    assert_eq!(created["validated"], false, "validated is not writable");
    for key in [
        "available_stock",
        "available_substitute_stock",
        "available_variant_stock",
        "on_order",
        "building",
        "external_stock",
        "pricing_min",
        "pricing_max",
        "substitutes",
    ] {
        assert!(created.get(key).is_some(), "{key}");
    }
    // the client PATCHes back the whole object it read, with a change
    let mut read = e.get(&format!("/api/bom/{pk}/")).await;
    read["quantity"] = json!(3.5);
    read["note"] = json!("changed");
    let patched = api
        .patch(&format!("/api/bom/{pk}/?format=json"), read)
        .await
        .expect(StatusCode::OK);
    assert_eq!(patched["quantity"], 3.5);
    assert_eq!(patched["note"], "changed");
    // PUT needs the required fields
    let item = format!("/api/bom/{pk}/");
    let put = api.put(&item, json!({"quantity": 1})).await;
    let put = put.expect(StatusCode::BAD_REQUEST);
    assert!(put["part"].is_array() && put["sub_part"].is_array());
    let put = api
        .put(
            &item,
            json!({"part": e.asm, "sub_part": e.c, "quantity": "4"}),
        )
        .await;
    assert_eq!(put.json()["sub_part"], e.c);
    // duplicate slashes reach the same item
    assert_eq!(e.get(&format!("/api/bom//{pk}/")).await["pk"], pk);
    let del = api.send(Method::DELETE, &item, Some(json!({}))).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert!(del.body.is_empty());
    let gone = api.get(&item).await;
    assert_eq!(
        gone.expect(StatusCode::NOT_FOUND),
        json!({"detail": "Not found."})
    );
    let abc = api.get("/api/bom/abc/").await;
    assert_eq!(abc.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn create_is_validated() {
    let e = &Env::new().await;
    let bad = |body: Value| async move {
        e.api()
            .post("/api/bom/", body)
            .await
            .expect(StatusCode::BAD_REQUEST)
    };
    let self_ref = bad(json!({"part": e.asm, "sub_part": e.asm, "quantity": 1})).await;
    assert!(self_ref["sub_part"].is_array(), "{self_ref}");
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": 0})).await["quantity"].is_array()
    );
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": "x"})).await["quantity"].is_array()
    );
    let missing = bad(json!({})).await;
    for key in ["part", "sub_part", "quantity"] {
        assert_eq!(missing[key], json!(["This field is required."]), "{key}");
    }
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": 1, "overage": "150%"})).await
            ["overage"]
            .is_array()
    );
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": 1, "note": "x".repeat(501)})).await
            ["note"]
            .is_array()
    );
    assert!(
        bad(json!({"part": e.r, "sub_part": e.c, "quantity": 1})).await["part"].is_array(),
        "part must be an assembly"
    );
    let tracked = Part::named("Tracked")
        .with(json!({"trackable": true}))
        .create_rest(&e.app, &e.t)
        .await;
    assert!(
        bad(json!({"part": e.asm, "sub_part": tracked, "quantity": 1.5})).await["quantity"]
            .is_array()
    );
    // a loop through a sub-assembly
    let sub = Part::named("Sub")
        .assembly()
        .create_rest(&e.app, &e.t)
        .await;
    e.item(sub, json!({"quantity": 1})).await;
    assert!(
        bad(json!({"part": sub, "sub_part": e.asm, "quantity": 1})).await["sub_part"].is_array()
    );
    assert_eq!(e.get("/api/bom/").await.as_array().unwrap().len(), 1);
}
