//! InvenTree's BOM API behaviours, ported onto bomgraph's `/api/bom/...` shim, and its
//! three-step BOM import.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::Part;
use tests::{Rest, TeamRole, TestApp};

mod access;
mod bulk_delete;
mod documents;
mod import;
mod items;
mod list;
mod metadata;
mod substitutes;

/// A team's admin (`inv`, password `password123`) and three parts made as an InvenTree
/// client makes them: an assembly, a resistor and a capacitor.
pub struct Env {
    pub app: TestApp,
    pub t: String,
    pub asm: i64,
    pub r: i64,
    pub c: i64,
}

impl Env {
    pub async fn new() -> Self {
        let app = TestApp::new().await;
        let t = app.user("inv", "lab", TeamRole::Admin).await;
        let asm = Part::named("Assembly")
            .assembly()
            .create_rest(&app, &t)
            .await;
        let r = Part::named("Resistor")
            .with(json!({"IPN": "R-001", "description": "thick film"}))
            .create_rest(&app, &t)
            .await;
        let c = Part::named("Capacitor")
            .with(json!({"IPN": "C-001", "keywords": "ceramic"}))
            .create_rest(&app, &t)
            .await;
        Env { app, t, asm, r, c }
    }

    /// REST as the admin sends it.
    pub fn api(&self) -> Rest<'_> {
        self.app.with_token(&self.t)
    }

    /// A BOM item of the assembly, two of `sub_part` unless `extra` says otherwise; its pk.
    pub async fn item(&self, sub_part: i64, extra: Value) -> i64 {
        self.item_body(sub_part, extra).await["pk"]
            .as_i64()
            .unwrap()
    }

    /// [`Env::item`], returning the whole item as created.
    pub async fn item_body(&self, sub_part: i64, extra: Value) -> Value {
        let mut body = json!({"part": self.asm, "sub_part": sub_part, "quantity": 2});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        self.api()
            .post("/api/bom/", body)
            .await
            .expect(StatusCode::CREATED)
    }

    /// A substitute of the BOM item `line`; its pk.
    pub async fn substitute(&self, line: i64, part: i64) -> i64 {
        let body = json!({"bom_item": line, "part": part});
        let made = self.api().post("/api/bom/substitute/", body).await;
        made.expect(StatusCode::CREATED)["pk"].as_i64().unwrap()
    }

    /// What `path` answers with 200.
    pub async fn get(&self, path: &str) -> Value {
        self.api().get(path).await.expect(StatusCode::OK)
    }
}

/// The pks of a list of items.
pub fn pks(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["pk"].as_i64().unwrap())
        .collect()
}
