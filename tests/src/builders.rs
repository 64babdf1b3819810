//! The data a test starts from, made through the API as a client would make it: parts, BOMs
//! and their lines, substitutes, revisions and programs. Each builder returns the new row's
//! id, and panics when the API refuses it: what a test checks is what it does next.
//!
//! ```ignore
//! let (app, t) = app_with_admin().await;
//! let r = Part::named("R 10k").with(json!({"mpn": "RC0402"})).priced("0.01").create(&app, &t).await;
//! let board = bom(&app, &t, json!({"name": "Board", "lines": [{"partId": r, "quantity": "4"}]})).await;
//! ```
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use crate::{TeamRole, TestApp};

/// A fresh app and the token of its first user, alice, an admin of team "hardware".
pub async fn app_with_admin() -> (TestApp, String) {
    let app = TestApp::new().await;
    let token = app.user("alice", "hardware", TeamRole::Admin).await;
    (app, token)
}

/// A part to make: a name, any other fields in the names of the surface it is made
/// through, and then [`Part::create`] (GraphQL) or [`Part::create_rest`] (InvenTree's REST).
#[derive(Clone)]
pub struct Part {
    fields: Map<String, Value>,
}

impl Part {
    pub fn named(name: impl AsRef<str>) -> Self {
        let mut fields = Map::new();
        fields.insert("name".into(), name.as_ref().into());
        Self { fields }
    }

    /// Sets more fields, given as one JSON object: `.with(json!({"inStock": "5"}))`.
    pub fn with(mut self, fields: Value) -> Self {
        let Value::Object(fields) = fields else {
            panic!("part fields are a JSON object: {fields}");
        };
        self.fields.extend(fields);
        self
    }

    /// A part other parts are built into; both surfaces call it `assembly`.
    pub fn assembly(self) -> Self {
        self.with(json!({"assembly": true}))
    }

    /// One offer, from a supplier with ample stock (Acme, 100,000), at `unit_price` a unit
    /// from one unit up. GraphQL only.
    pub fn priced(self, unit_price: &str) -> Self {
        self.with(json!({"offers": [{"supplier": "Acme", "stock": "100000",
            "priceBreaks": [{"quantity": "1", "unitPrice": unit_price}]}]}))
    }

    /// Made through GraphQL's `createPart`, its fields named as `CreatePartInput` names them;
    /// the part's id.
    pub async fn create(self, app: &TestApp, token: &str) -> String {
        let data = app
            .data(
                token,
                "mutation($i: CreatePartInput!) { createPart(input: $i) { part { id } } }",
                json!({ "i": self.fields }),
            )
            .await;
        data["createPart"]["part"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Made through InvenTree's `POST /api/part/`, the way an InvenTree client makes it,
    /// its fields named as InvenTree names them (`IPN`, `keywords`); the part's pk.
    pub async fn create_rest(self, app: &TestApp, token: &str) -> i64 {
        let made = app
            .with_token(token)
            .post("/api/part/", Value::Object(self.fields))
            .await
            .expect(StatusCode::CREATED);
        made["pk"].as_i64().unwrap()
    }
}

/// A new BOM made by `createBom` from a whole `CreateBomInput` (its lines included); its id.
pub async fn bom(app: &TestApp, token: &str, input: Value) -> String {
    let data = app
        .data(
            token,
            "mutation($i: CreateBomInput!) { createBom(input: $i) { bom { id } } }",
            json!({ "i": input }),
        )
        .await;
    data["createBom"]["bom"]["id"].as_str().unwrap().to_owned()
}

pub const ADD_LINE: &str =
    "mutation($i: AddBomLineInput!) { addBomLine(input: $i) { bomLine { id validated quantity } } }";

/// `input` (a `BomLineInput`'s fields) with `key: value` added: the one input of a line
/// mutation.
pub fn with_field(input: Value, key: &str, value: impl Into<Value>) -> Value {
    let Value::Object(mut fields) = input else {
        panic!("line fields are a JSON object: {input}");
    };
    fields.insert(key.into(), value.into());
    Value::Object(fields)
}

/// A line added to a BOM from a `BomLineInput`'s fields; its id.
pub async fn line(app: &TestApp, token: &str, bom_id: &str, input: Value) -> String {
    let input = with_field(input, "bomId", bom_id);
    let data = app.data(token, ADD_LINE, json!({ "i": input })).await;
    data["addBomLine"]["bomLine"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A BOM's lines with the fields asked for (as `"id reference"`), in the BOM's order.
pub async fn lines_of(
    app: &TestApp,
    token: &str,
    bom_id: impl Into<Value>,
    fields: &str,
) -> Vec<Value> {
    let query = format!("query($id: ID!) {{ bom(id: $id) {{ lines {{ {fields} }} }} }}");
    let data = app
        .data(token, &query, json!({ "id": bom_id.into() }))
        .await;
    data["bom"]["lines"].as_array().expect("lines").clone()
}

/// The ids of a BOM's lines, in the BOM's order.
pub async fn line_ids(app: &TestApp, token: &str, bom_id: &str) -> Vec<String> {
    let lines = lines_of(app, token, bom_id, "id").await;
    lines.iter().map(|l| id_of(l).to_owned()).collect()
}

/// The id of the BOM's line whose reference is `reference`.
pub async fn line_with_reference(
    app: &TestApp,
    token: &str,
    bom_id: &str,
    reference: &str,
) -> String {
    let lines = lines_of(app, token, bom_id, "id reference").await;
    let line = lines.iter().find(|l| l["reference"] == reference);
    id_of(line.unwrap_or_else(|| panic!("no line {reference}"))).to_owned()
}

fn id_of(row: &Value) -> &str {
    row["id"].as_str().expect("an id")
}

/// Changes a line with a `BomLineInput`'s fields.
pub async fn update_line(app: &TestApp, token: &str, id: &str, input: Value) {
    app.data(
        token,
        "mutation($i: UpdateBomLineInput!) { updateBomLine(input: $i) { bomLine { id } } }",
        json!({ "i": with_field(input, "id", id) }),
    )
    .await;
}

/// Adds `part` as a substitute of `line` and returns the substitute's id.
pub async fn substitute(app: &TestApp, token: &str, line: &str, part: &str) -> String {
    let data = app
        .data(
            token,
            "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p}) { substitute { id } } }",
            json!({ "l": line, "p": part }),
        )
        .await;
    data["addSubstitute"]["substitute"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Approves a BOM, which freezes its lines.
pub async fn approve(app: &TestApp, token: &str, bom_id: &str) {
    app.data(
        token,
        "mutation($id: ID!) { approveBom(input: {id: $id}) { bom { id } } }",
        json!({ "id": bom_id }),
    )
    .await;
}

/// Approves a BOM and revises it under the next label; the new draft's id.
pub async fn next_revision(app: &TestApp, token: &str, bom_id: &str) -> String {
    approve(app, token, bom_id).await;
    revise(app, token, bom_id, None).await.0
}

pub const REVISE: &str = "mutation($id: ID!, $label: String) { reviseBom(input: {id: $id, label: $label}) { bom { id revision isDraft previousRevision { id } } } }";

/// Revises an approved BOM (with the label given, or the next one); the new revision's id
/// and label.
pub async fn revise(
    app: &TestApp,
    token: &str,
    bom_id: &str,
    label: Option<&str>,
) -> (String, String) {
    let d = app
        .data(token, REVISE, json!({ "id": bom_id, "label": label }))
        .await;
    let r = &d["reviseBom"]["bom"];
    (
        r["id"].as_str().unwrap().to_owned(),
        r["revision"].as_str().unwrap().to_owned(),
    )
}

/// A new program's id.
pub async fn program(app: &TestApp, token: &str, name: &str) -> Value {
    app.data(
        token,
        "mutation($i: CreateProgramInput!) { createProgram(input: $i) { program { id } } }",
        json!({"i": {"name": name}}),
    )
    .await["createProgram"]["program"]["id"]
        .clone()
}

pub const QUEUE_AVAILABILITY: &str =
    "mutation($p: ID!) { programAvailabilityAsync(input: {programId: $p}) { job { id } } }";

/// Queues a program's availability job and returns the job's id.
pub async fn queue_availability(app: &TestApp, token: &str, program: &Value) -> Value {
    app.data(token, QUEUE_AVAILABILITY, json!({"p": program}))
        .await["programAvailabilityAsync"]["job"]["id"]
        .clone()
}
