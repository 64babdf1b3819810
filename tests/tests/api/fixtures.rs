use serde_json::{json, Value};
use tests::{TeamRole, TestApp};

pub async fn app_with_admin() -> (TestApp, String) {
    let app = TestApp::new().await;
    let token = app.user("alice", "hardware", TeamRole::Admin).await;
    (app, token)
}

pub async fn part(app: &TestApp, token: &str, input: Value) -> String {
    let data = app
        .data(
            token,
            "mutation($i: PartInput!) { createPart(input: $i) { id } }",
            json!({ "i": input }),
        )
        .await;
    data["createPart"]["id"].as_str().unwrap().to_owned()
}

pub async fn named_part(app: &TestApp, token: &str, name: &str) -> String {
    part(app, token, json!({ "name": name })).await
}

pub async fn bom(app: &TestApp, token: &str, input: Value) -> String {
    let data = app
        .data(
            token,
            "mutation($i: BomInput!) { createBom(input: $i) { id } }",
            json!({ "i": input }),
        )
        .await;
    data["createBom"]["id"].as_str().unwrap().to_owned()
}

pub const ADD_LINE: &str =
    "mutation($b: ID!, $i: BomLineInput!) { addBomLine(bomId: $b, input: $i) { id validated quantity } }";

pub async fn line(app: &TestApp, token: &str, bom_id: &str, input: Value) -> String {
    let data = app
        .data(token, ADD_LINE, json!({ "b": bom_id, "i": input }))
        .await;
    data["addBomLine"]["id"].as_str().unwrap().to_owned()
}

/// Sends a mutation expected to fail and returns its first error code.
pub async fn fails(app: &TestApp, token: &str, query: &str, vars: Value) -> (String, Value) {
    let resp = app.gql(token, query, vars).await;
    let codes = tests::error_codes(&resp);
    assert!(!codes.is_empty(), "expected an error: {resp:#}");
    (codes[0].clone(), resp["errors"][0].clone())
}

/// A new program's id.
pub async fn program(app: &TestApp, token: &str, name: &str) -> Value {
    app.data(
        token,
        "mutation($i: ProgramInput!) { createProgram(input: $i) { id } }",
        json!({"i": {"name": name}}),
    )
    .await["createProgram"]["id"]
        .clone()
}

pub const QUEUE_AVAILABILITY: &str =
    "mutation($p: ID!) { programAvailabilityAsync(programId: $p) { id } }";

/// Queues a program's availability job and returns the job's id.
pub async fn queue_availability(app: &TestApp, token: &str, program: &Value) -> Value {
    app.data(token, QUEUE_AVAILABILITY, json!({"p": program}))
        .await["programAvailabilityAsync"]["id"]
        .clone()
}

/// Adds `part` as a substitute of `line` and returns the substitute's id.
pub async fn substitute(app: &TestApp, token: &str, line: &str, part: &str) -> String {
    let data = app
        .data(
            token,
            "mutation($l: ID!, $p: ID!) { addSubstitute(bomLineId: $l, partId: $p) { id } }",
            json!({ "l": line, "p": part }),
        )
        .await;
    data["addSubstitute"]["id"].as_str().unwrap().to_owned()
}
