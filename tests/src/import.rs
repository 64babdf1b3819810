//! InvenTree's three-step BOM import as a client drives it: upload a file, extract the
//! rows' parts and quantities, submit the items. Each step answers its status and body.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::request::multipart;
use crate::TestApp;

/// Step one: uploads a file for `part`'s BOM (clearing its lines on submit when `clear`);
/// the status and the columns and rows read.
pub async fn upload(
    app: &TestApp,
    t: &str,
    part: i64,
    clear: bool,
    file_name: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let (content_type, body) = multipart(
        &[
            ("part", &part.to_string()),
            ("clear_existing_bom", if clear { "true" } else { "false" }),
        ],
        Some((file_name, bytes)),
    );
    let path = "/api/bom/import/upload/";
    app.raw(Method::POST, path, t, &content_type, body)
        .await
        .answer()
}

/// The body extract takes for an upload's answer: each column as the field upload matched
/// it to (an empty name, which extract passes over, for a column matched to none), and the
/// rows as read.
pub fn columns_matched(upload: &Value) -> Value {
    let columns: Vec<Value> = upload["columns"]
        .as_array()
        .expect("upload's columns")
        .iter()
        .map(
            |c| match &upload["file_fields"][c.as_str().unwrap()]["value"] {
                Value::Null => json!(""),
                field => field.clone(),
            },
        )
        .collect();
    json!({"columns": columns, "rows": upload["rows"]})
}

/// Step two: resolves the rows' parts and quantities.
pub async fn extract(app: &TestApp, t: &str, body: Value) -> (StatusCode, Value) {
    let api = app.with_token(t);
    api.post("/api/bom/import/extract/", body).await.answer()
}

/// The items submit takes for extract's rows, all under `assembly`, with each field a row
/// has (an empty cell is extracted as null, which a client leaves out). Panics on a row
/// extract could not resolve.
pub fn items_extracted(assembly: i64, extracted: &Value) -> Value {
    let items: Vec<Value> = extracted["rows"]
        .as_array()
        .expect("extracted rows")
        .iter()
        .map(|r| {
            assert_eq!(r["errors"], json!({}), "{r}");
            let mut item = json!({"part": assembly, "sub_part": r["part"]});
            for field in ITEM_FIELDS {
                if !r[field].is_null() {
                    item[field] = r[field].clone();
                }
            }
            item
        })
        .collect();
    Value::Array(items)
}

/// The fields of an extracted row that a submitted item carries, besides its parts.
const ITEM_FIELDS: [&str; 6] = [
    "quantity",
    "reference",
    "note",
    "overage",
    "optional",
    "consumable",
];

/// Step three: writes the items, all or none.
pub async fn submit(app: &TestApp, t: &str, items: Value) -> (StatusCode, Value) {
    let api = app.with_token(t);
    api.post("/api/bom/import/submit/", json!({"items": items}))
        .await
        .answer()
}
