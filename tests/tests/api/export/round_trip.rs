//! A single-level export is a file InvenTree's import reads back into the same lines.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::Part;
use tests::import::{columns_matched, extract, items_extracted, submit, upload};

use super::Env;

/// The import's three steps, given a file: the lines it submits.
async fn import(e: &Env, assembly: i64, file: &[u8]) -> Value {
    let (status, up) = upload(&e.app, &e.t, assembly, false, "export.csv", file).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let (status, extracted) = extract(&e.app, &e.t, columns_matched(&up)).await;
    assert_eq!(status, StatusCode::CREATED, "{extracted}");
    let items = items_extracted(assembly, &extracted);
    let (status, submitted) = submit(&e.app, &e.t, items).await;
    assert_eq!(status, StatusCode::CREATED, "{submitted}");
    submitted
}

async fn lines_of(e: &Env, bom: &str) -> Vec<Value> {
    let d = e
        .app
        .data(
            &e.t,
            "query($id: ID!) { bom(id: $id) { lines { part { id } quantity reference note overage optional consumable } } }",
            json!({"id": bom}),
        )
        .await;
    d["bom"]["lines"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_single_level_export_imports_back_into_the_same_lines() {
    let e = Env::new().await;
    let file = e.export(&e.unit_bom, "format=csv").await.body;
    let copy_part = Part::named("Unit copy")
        .assembly()
        .create(&e.app, &e.t)
        .await;
    let copy_id = e.app.row_id(&e.t, &copy_part).await;
    let out = import(&e, copy_id, &file).await;
    assert_eq!(out["created"], 3, "{out}");
    let copy_bom = e
        .app
        .data(
            &e.t,
            "query($p: ID!) { boms(filter: {assemblyPartId: $p}) { edges { node { id } } } }",
            json!({"p": copy_part}),
        )
        .await["boms"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        lines_of(&e, &copy_bom).await,
        lines_of(&e, &e.unit_bom).await
    );
}
