//! Cofactr's REST dialect at /v1/: BOMs, raw lines, async upsert, jobs, programs.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::{TeamRole, TestApp};

async fn call(
    app: &TestApp,
    key: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let auth = format!("Api-Key {key}");
    let r = app
        .request(method, path, &[("authorization", &auth)], body)
        .await;
    assert_eq!(
        r.content_type.as_deref().unwrap_or("application/json"),
        "application/json"
    );
    let body = if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    };
    (r.status, body)
}

async fn ok(
    app: &TestApp,
    key: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    want: StatusCode,
) -> Value {
    let (status, body) = call(app, key, method, path, body).await;
    assert_eq!(status, want, "{path}: {body}");
    body
}

async fn part(app: &TestApp, key: &str, name: &str, mpn: &str, stock: &str) -> i64 {
    let r = app
        .rest(
            Method::POST,
            "/api/part/",
            key,
            Some(json!({"name": name, "MPN": mpn})),
        )
        .await;
    let id = r.json()["pk"].as_i64().unwrap();
    app.data(key, "mutation($id: ID!, $s: Decimal!) { updatePart(id: $id, input: {inStock: $s, offers: [{supplier: \"S\", stock: \"100\", priceBreaks: [{quantity: \"1\", unitPrice: \"0.5\"}]}]}) { id } }",
        json!({"id": id.to_string(), "s": stock})).await;
    id
}

#[tokio::test]
async fn boms_lines_and_their_rules() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let r = part(&app, &k, "Resistor", "RC0402FR-0710KL", "10").await;
    let c = part(&app, &k, "Capacitor", "GRM155R71C104KA88D", "0").await;

    let bom = ok(&app, &k, Method::POST, "/v1/boms/", Some(json!({"name": "Board", "version": "A", "lines": [{"part_id": r, "quantity": 2, "reference_designators_string": "R1 R2"}]})), StatusCode::CREATED).await;
    let id = bom["id"].as_i64().unwrap();
    assert_eq!(bom["approved"], false);
    let lines = ok(
        &app,
        &k,
        Method::GET,
        &format!("/v1/boms/{id}/lines/"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(lines["count"], 1);
    let line_id = lines["results"][0]["id"].as_i64().unwrap();

    // catalogue data sums into the line with the same part
    let summed = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/lines/"),
        Some(json!({"part_id": r, "quantity": "3", "reference_designators_string": "R3"})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (summed["id"].as_i64(), summed["quantity"].as_str()),
        (Some(line_id), Some("5"))
    );
    assert_eq!(summed["reference_designators"], json!(["R1", "R2", "R3"]));
    // raw data sums when part and designators agree, else adds a line
    let raw = json!({"mpn": "grm155r71c104ka88d", "reference_designators_string": "C1-C2"});
    let first = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/lines/raw/"),
        Some(raw.clone()),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (
            first["quantity"].as_str(),
            first["match_status"].as_str(),
            first["part_id"].as_i64()
        ),
        (Some("2"), Some("matched"), Some(c))
    );
    let again = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/lines/raw/"),
        Some(raw),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (again["id"].clone(), again["quantity"].as_str()),
        (first["id"].clone(), Some("4"))
    );
    let unknown = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/lines/raw/"),
        Some(json!({"mpn": "NOPE", "quantity": 1})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (unknown["match_status"].as_str(), unknown["part_id"].clone()),
        (Some("no_match"), Value::Null)
    );
    let (status, err) = call(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/lines/raw/"),
        Some(json!({"mpn": ""})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["mpn"].is_array() || err["quantity"].is_array(), "{err}");

    // line detail, update and removal stay inside the BOM of the path
    let path = format!("/v1/boms/{id}/lines/{line_id}/");
    let upd = ok(
        &app,
        &k,
        Method::PATCH,
        &path,
        Some(json!({"quantity": "7", "comments": "checked"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(upd["quantity"], "7");
    let other = ok(
        &app,
        &k,
        Method::POST,
        "/v1/boms/",
        Some(json!({"name": "Other"})),
        StatusCode::CREATED,
    )
    .await;
    let (status, _) = call(
        &app,
        &k,
        Method::GET,
        &format!("/v1/boms/{}/lines/{line_id}/", other["id"]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // approval freezes the lines; deleting archives
    let approved = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/approve/"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["approved"], true);
    let (status, err) = call(
        &app,
        &k,
        Method::PATCH,
        &path,
        Some(json!({"quantity": "1"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["non_field_errors"][0]
        .as_str()
        .unwrap()
        .contains("approved"));
    let (status, _) = call(
        &app,
        &k,
        Method::POST,
        &format!("/v1/boms/{id}/lines/raw/"),
        Some(json!({"mpn": "X", "quantity": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let archived = ok(
        &app,
        &k,
        Method::DELETE,
        &format!("/v1/boms/{id}/"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(archived["archived"], true);
    let (status, _) = call(
        &app,
        &k,
        Method::DELETE,
        &format!("/v1/boms/{}/", other["id"]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let list = ok(
        &app,
        &k,
        Method::GET,
        "/v1/boms/?archived=true",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["count"], 1);
    assert_eq!(
        ok(&app, &k, Method::GET, "/v1/boms/", None, StatusCode::OK).await["count"],
        0
    );

    // another team sees none of it
    let eve = app.user("eve", "other", TeamRole::Admin).await;
    let (status, _) = call(&app, &eve, Method::GET, &format!("/v1/boms/{id}/"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &app,
        &eve,
        Method::GET,
        &format!("/v1/boms/{id}/lines/"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, "", Method::GET, "/v1/boms/", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The Upsert BOM Async example body of Cofactr's documentation, verbatim.
const SEED_EXAMPLE: &str = r#"{
"name": "string",
"version": "null",
"part_number": "null",
"approved": false,
"lines": [
{
"custom_id": "string",
"mpn": "string",
"alternative_mpns": [],
"manufacturer_name": "string",
"quantity": 0,
"reference_designators_string": "string",
"reference_designators": [
"string"
],
"description": "string",
"link": "string",
"comments": "string",
"do_not_place": false,
"line_number": "string",
"value": "string",
"package": "string",
"mount_type": "string",
"metadata": {},
"is_custom_part": "false"
}
],
"metadata": {},
"integration_record_id": "string",
"synced_from_integration": true,
"integration_source_name": "string",
"synced_from_integration_at": "2019-08-24T14:15:22Z"
}"#;

/// The lines of a BOM, as `/v1/boms/{id}/lines/` lists them.
async fn bom_lines(app: &TestApp, key: &str, bom_id: &Value) -> Value {
    ok(
        app,
        key,
        Method::GET,
        &format!("/v1/boms/{bom_id}/lines/"),
        None,
        StatusCode::OK,
    )
    .await
}

/// Polls `/v1/jobs/{id}/` until the job ends.
async fn wait_job(app: &TestApp, key: &str, id: &str) -> Value {
    for _ in 0..400 {
        let job = ok(
            app,
            key,
            Method::GET,
            &format!("/v1/jobs/{id}/"),
            None,
            StatusCode::OK,
        )
        .await;
        if job["status"] == "succeeded" || job["status"] == "failed" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

#[tokio::test]
async fn raw_boms_and_the_async_upsert() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    part(&app, &k, "Timer", "NE555P", "5").await;
    let bom = ok(
        &app,
        &k,
        Method::POST,
        "/v1/boms/raw/",
        Some(json!({"name": "Raw", "lines": [
        {"mpn": "NE555P", "quantity": 0, "reference_designators_string": "U1-U3"},
        {"mpn": "MYSTERY", "quantity": 2}]})),
        StatusCode::CREATED,
    )
    .await;
    let lines = bom_lines(&app, &k, &bom["id"]).await;
    assert_eq!(lines["results"][0]["quantity"], "3");
    assert_eq!(lines["results"][1]["match_status"], "no_match");

    // line numbers are labels, listed in their natural order
    let numbered = ok(
        &app,
        &k,
        Method::POST,
        "/v1/boms/raw/",
        Some(json!({"name": "Numbered", "lines": [
        {"mpn": "A", "quantity": 1, "line_number": "A7"},
        {"mpn": "B", "quantity": 1, "line_number": "10"},
        {"mpn": "C", "quantity": 1},
        {"mpn": "D", "quantity": 1, "line_number": "2"}]})),
        StatusCode::CREATED,
    )
    .await;
    let lines = bom_lines(&app, &k, &numbered["id"]).await;
    let order: Vec<&Value> = lines["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["line_number"])
        .collect();
    assert_eq!(
        order,
        [&Value::Null, &json!("2"), &json!("10"), &json!("A7")]
    );

    let body = json!({"name": "Synced", "version": null, "part_number": null, "approved": false,
        "lines": [{"mpn": "NE555P", "quantity": 4, "reference_designators_string": "U1-U4", "alternative_mpns": [], "metadata": {}, "is_custom_part": false}],
        "metadata": {}, "integration_record_id": "erp-7", "synced_from_integration": true, "integration_source_name": "erp",
        "synced_from_integration_at": "2019-08-24T14:15:22Z"});
    for path in ["/integrations/async_boms/", "/v1/integrations/async_boms/"] {
        let job_id = ok(
            &app,
            &k,
            Method::PUT,
            path,
            Some(body.clone()),
            StatusCode::OK,
        )
        .await;
        let job_id = job_id.as_str().expect("the job id as a JSON string");
        let job = wait_job(&app, &k, job_id).await;
        assert_eq!(job["status"], "succeeded", "{job}");
    }
    let synced = ok(
        &app,
        &k,
        Method::GET,
        "/v1/boms/?name=Synced",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(synced["count"], 1, "the same record twice is one BOM");
    assert_eq!(synced["results"][0]["integration_record_id"], "erp-7");
    assert_eq!(
        synced["results"][0]["synced_from_integration_at"],
        "2019-08-24T14:15:22Z"
    );

    // the documentation's own example body, as a client copying it would send it
    let job_id = ok(
        &app,
        &k,
        Method::PUT,
        "/integrations/async_boms/",
        Some(serde_json::from_str(SEED_EXAMPLE).unwrap()),
        StatusCode::OK,
    )
    .await;
    let job = wait_job(&app, &k, job_id.as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let example = bom_lines(&app, &k, &job["result"]["bom_id"]).await;
    let line = &example["results"][0];
    assert_eq!(line["line_number"], "string");
    assert_eq!(line["quantity"], "1", "one designator counts one");
    assert_eq!(line["is_custom_part"], false);

    let (status, err) = call(
        &app,
        &k,
        Method::PUT,
        "/integrations/async_boms/",
        Some(json!({"lines": [{"mpn": "X"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        err["name"].is_array() && err["lines[0].quantity"].is_array(),
        "{err}"
    );
    let (status, _) = call(&app, &k, Method::GET, "/v1/jobs/999999/", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn programs_availability_and_pricing() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let r = part(&app, &k, "Resistor", "R-1", "10").await;
    let bom = ok(
        &app,
        &k,
        Method::POST,
        "/v1/boms/",
        Some(json!({"name": "Board", "lines": [{"part_id": r, "quantity": "4"}]})),
        StatusCode::CREATED,
    )
    .await;
    let prog = ok(
        &app,
        &k,
        Method::POST,
        "/v1/programs/",
        Some(json!({"name": "Pilot"})),
        StatusCode::CREATED,
    )
    .await;
    let pid = prog["id"].as_i64().unwrap();
    let line = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/programs/{pid}/lines/"),
        Some(json!({"bom_id": bom["id"], "quantity": 5})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(line["quantity"], "5");
    let lp = format!("/v1/programs/{pid}/lines/{}/", line["id"]);
    assert_eq!(
        ok(
            &app,
            &k,
            Method::PATCH,
            &lp,
            Some(json!({"quantity": "10"})),
            StatusCode::OK
        )
        .await["quantity"],
        "10"
    );
    assert_eq!(
        ok(
            &app,
            &k,
            Method::GET,
            &format!("/v1/programs/{pid}/lines/"),
            None,
            StatusCode::OK
        )
        .await
        .as_array()
        .unwrap()
        .len(),
        1
    );

    let report = ok(
        &app,
        &k,
        Method::GET,
        &format!("/v1/programs/{pid}/availabilities/"),
        None,
        StatusCode::OK,
    )
    .await;
    let row = &report["parts"][0];
    assert_eq!(
        (
            row["demand"].as_str(),
            row["on_hand"].as_str(),
            row["to_buy"].as_str(),
            row["status"].as_str()
        ),
        (Some("40"), Some("10"), Some("30"), Some("buyable"))
    );

    let o = ok(
        &app,
        &k,
        Method::POST,
        &format!("/v1/programs/{pid}/part_overrides/"),
        Some(json!({"part_id": r, "on_hand_quantity": "100", "unit_price": "0.25"})),
        StatusCode::CREATED,
    )
    .await;
    let op = format!("/v1/programs/{pid}/part_overrides/{}/", o["id"]);
    assert_eq!(
        ok(&app, &k, Method::GET, &op, None, StatusCode::OK).await["unit_price"],
        "0.25"
    );
    let report = ok(
        &app,
        &k,
        Method::GET,
        &format!("/v1/programs/{pid}/availabilities/"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report["parts"][0]["status"], "on_hand");
    let pricing = ok(
        &app,
        &k,
        Method::GET,
        &format!("/v1/programs/{pid}/reference_pricing/?quantities=1,2"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pricing[0]["totals"]["USD"], "10");
    assert_eq!(pricing[1]["totals"]["USD"], "20");
    assert_eq!(pricing[1]["per_unit"]["USD"], "10");
    let (status, _) = call(
        &app,
        &k,
        Method::GET,
        &format!("/v1/programs/{pid}/reference_pricing/?quantities=x"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let job_id = ok(
        &app,
        &k,
        Method::GET,
        &format!("/v1/programs/{pid}/availabilities/async/"),
        None,
        StatusCode::OK,
    )
    .await;
    let job = app.wait_job(&k, &job_id).await;
    assert_eq!(job["status"], "SUCCEEDED");

    ok(
        &app,
        &k,
        Method::PATCH,
        &op,
        Some(json!({"exclude": true})),
        StatusCode::OK,
    )
    .await;
    let report = ok(
        &app,
        &k,
        Method::GET,
        &format!("/v1/programs/{pid}/availabilities/"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report["excluded"], json!([r]));
    ok(&app, &k, Method::DELETE, &op, None, StatusCode::NO_CONTENT).await;
    ok(&app, &k, Method::DELETE, &lp, None, StatusCode::NO_CONTENT).await;
    assert_eq!(
        ok(
            &app,
            &k,
            Method::PATCH,
            &format!("/v1/programs/{pid}/"),
            Some(json!({"status": "approved"})),
            StatusCode::OK
        )
        .await["status"],
        "approved"
    );
    assert_eq!(
        ok(&app, &k, Method::GET, "/v1/programs/", None, StatusCode::OK).await["count"],
        1
    );
    ok(
        &app,
        &k,
        Method::DELETE,
        &format!("/v1/programs/{pid}/"),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;

    let doc = app.rest(Method::GET, "/api/schema/", &k, None).await.json();
    for path in [
        "/v1/boms/",
        "/v1/boms/{id}/approve/",
        "/v1/boms/{id}/lines/raw/",
        "/v1/integrations/async_boms/",
        "/v1/programs/{id}/reference_pricing/",
        "/v1/programs/{id}/part_overrides/{override_id}/",
        "/v1/jobs/{id}/",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
}

/// Lines that are not objects, or `lines` that is not a list, are refused, not guessed at.
#[tokio::test]
async fn malformed_lines_are_refused() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    for (body, field) in [
        (json!({"name": "A", "lines": [5]}), "lines[0]"),
        (json!({"name": "A", "lines": "R1"}), "lines"),
    ] {
        let (status, got) = call(&app, &k, Method::POST, "/v1/boms/", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
        assert!(got[field].is_array(), "{got}");
    }
    assert_eq!(
        ok(&app, &k, Method::GET, "/v1/boms/", None, StatusCode::OK).await["count"],
        0
    );
}
