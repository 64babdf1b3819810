//! InvenTree's bodies: BOM items (list, page, detail, create, update, field errors, OPTIONS),
//! parts, substitutes and the import's three answers.
use axum::http::Method;
use serde_json::json;

use super::body;
use tests::import::{extract, submit, upload};

use crate::inventree::Env;

/// The assembly with two items: four of the resistor at R1-R4, and the capacitor at C1,
/// optional, with a note.
async fn board() -> (Env, i64, i64) {
    let e = Env::new().await;
    let r = e
        .item(e.r, json!({"quantity": 4, "reference": "R1, R2, R3, R4"}))
        .await;
    let c = e
        .item(
            e.c,
            json!({"quantity": 1, "reference": "C1", "optional": true, "note": "0402 only"}),
        )
        .await;
    (e, r, c)
}

#[tokio::test]
async fn bom_items() {
    let (e, r, _) = board().await;
    let api = e.api();
    body!("bom_list", api.get("/api/bom/").await);
    body!("bom_list_first_page", api.get("/api/bom/?limit=1").await);
    body!(
        "bom_list_last_page",
        api.get("/api/bom/?limit=1&offset=1").await
    );
    let details = "/api/bom/?part_detail=true&sub_part_detail=true";
    body!("bom_list_with_details", api.get(details).await);
    body!("bom_detail", api.get(&format!("/api/bom/{r}/")).await);
    let made = json!({"part": e.asm, "sub_part": e.c, "quantity": "2.5", "reference": "C2 C3",
        "overage": "5%", "consumable": true});
    body!("bom_create", api.post("/api/bom/", made).await);
    let update = json!({"quantity": 6, "reference": "R1-R6", "inherited": true});
    body!(
        "bom_update",
        api.patch(&format!("/api/bom/{r}/"), update).await
    );
    body!(
        "bom_validate",
        api.patch(&format!("/api/bom/{r}/validate/"), json!({"valid": true}))
            .await
    );
}

#[tokio::test]
async fn error_bodies() {
    let (e, r, _) = board().await;
    let api = e.api();
    let wrong = json!({"part": e.r, "sub_part": 999_999, "quantity": -1, "overage": "lots"});
    body!("bom_field_errors", api.post("/api/bom/", wrong).await);
    body!("bom_missing_fields", api.post("/api/bom/", json!({})).await);
    body!("bom_not_found", api.get("/api/bom/999999/").await);
    body!(
        "bom_unauthenticated",
        e.app.with_token("").get("/api/bom/").await
    );
    body!(
        "bom_method_not_allowed",
        api.post(&format!("/api/bom/{r}/"), json!({})).await
    );
}

#[tokio::test]
async fn options() {
    let e = Env::new().await;
    let api = e.api();
    for (name, path) in [
        ("bom_options", "/api/bom/"),
        ("substitute_options", "/api/bom/substitute/"),
        ("part_options", "/api/part/"),
    ] {
        body!(name, api.send(Method::OPTIONS, path, None).await);
    }
}

#[tokio::test]
async fn parts() {
    let e = Env::new().await;
    let api = e.api();
    body!("part_list", api.get("/api/part/").await);
    body!("part_detail", api.get(&format!("/api/part/{}/", e.r)).await);
    body!(
        "part_search",
        api.get("/api/part/?search=ceramic&limit=5").await
    );
}

#[tokio::test]
async fn substitutes() {
    let (e, r, _) = board().await;
    let api = e.api();
    let made = api
        .post("/api/bom/substitute/", json!({"bom_item": r, "part": e.c}))
        .await;
    body!("substitute_create", made);
    let pk = made.json()["pk"].clone();
    body!("substitute_list", api.get("/api/bom/substitute/").await);
    body!(
        "substitute_detail",
        api.get(&format!("/api/bom/substitute/{pk}/")).await
    );
    body!(
        "bom_detail_with_substitute",
        api.get(&format!("/api/bom/{r}/")).await
    );
}

#[tokio::test]
async fn import() {
    let e = Env::new().await;
    let csv = b"Part Name,quantity,REFERENCE,Colour\nResistor,2,R1 R2,red\nCapacitor,3,C1,blue\n";
    body!(
        "import_upload",
        upload(&e.app, &e.t, e.asm, false, "bom.csv", csv).await
    );
    let rows = json!({"columns": ["part_name", "quantity", "reference"], "rows": [
        ["Resistor", "2", "R1 R2"], ["Capacitor", "3", "C1"], ["Missing", "1", "X1"]]});
    body!("import_extract", extract(&e.app, &e.t, rows).await);
    let items = json!([
        {"part": e.asm, "sub_part": e.r, "quantity": "2", "reference": "R1 R2"},
        {"part": e.asm, "sub_part": e.c, "quantity": "3", "reference": "C1"},
    ]);
    body!("import_submit", submit(&e.app, &e.t, items).await);
}
