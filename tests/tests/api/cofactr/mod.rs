//! Cofactr's REST dialect at /v1/: BOMs, raw lines, async upsert, jobs, programs.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::Part;
use tests::{Rest, TestApp};

mod boms;
mod programs;
mod raw;

/// A catalogue part with an MPN, `stock` on hand and a supplier offering it at 0.5; its pk.
pub(crate) async fn stocked_part(
    app: &TestApp,
    key: &str,
    name: &str,
    mpn: &str,
    stock: &str,
) -> i64 {
    let id = Part::named(name)
        .with(json!({"mpn": mpn, "inStock": stock}))
        .priced("0.5")
        .create(app, key)
        .await;
    app.row_id(key, id).await
}

/// The lines of a BOM, as `/v1/boms/{id}/lines/` lists them.
async fn bom_lines(api: &Rest<'_>, bom_id: &Value) -> Value {
    let path = format!("/v1/boms/{bom_id}/lines/");
    api.get(&path).await.expect(StatusCode::OK)
}
