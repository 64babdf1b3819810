//! A single-level export is a file InvenTree's import reads back into the same lines.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::Part;

use super::Env;
use crate::inventree::{extract, submit, upload};

/// The import's three steps, given a file: the lines it submits.
async fn import(e: &Env, assembly: i64, file: &[u8]) -> Value {
    let (status, up) = upload(&e.app, &e.t, assembly, false, "export.csv", file).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let columns: Vec<Value> = up["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let matched = &up["file_fields"][c.as_str().unwrap()]["value"];
            if matched.is_null() {
                json!("")
            } else {
                matched.clone()
            }
        })
        .collect();
    let (status, extracted) = extract(
        &e.app,
        &e.t,
        json!({"columns": columns, "rows": up["rows"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{extracted}");
    let items: Vec<Value> = extracted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["errors"], json!({}), "{r}");
            let mut item = json!({"part": assembly, "sub_part": r["part"]});
            // an empty cell is extracted as null, which a client leaves out
            for field in [
                "quantity",
                "reference",
                "note",
                "overage",
                "optional",
                "consumable",
            ] {
                if !r[field].is_null() {
                    item[field] = r[field].clone();
                }
            }
            item
        })
        .collect();
    let (status, submitted) = submit(&e.app, &e.t, json!(items)).await;
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
    let copy_id: i64 = copy_part.parse().unwrap();
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
