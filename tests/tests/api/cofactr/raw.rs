//! Raw BOMs, line numbers, and the async upsert with its job.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::{TeamRole, TestApp};

use super::{bom_lines, stocked_part};

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

#[tokio::test]
async fn raw_boms_and_the_async_upsert() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let api = app.with_api_key(&k);
    stocked_part(&app, &k, "Timer", "NE555P", "5").await;
    let bom = api
        .post(
            "/v1/boms/raw/",
            json!({"name": "Raw", "lines": [
        {"mpn": "NE555P", "quantity": 0, "reference_designators_string": "U1-U3"},
        {"mpn": "MYSTERY", "quantity": 2}]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let lines = bom_lines(&api, &bom["id"]).await;
    assert_eq!(lines["results"][0]["quantity"], "3");
    assert_eq!(lines["results"][1]["match_status"], "no_match");

    // line numbers are labels, listed in their natural order
    let numbered = api
        .post(
            "/v1/boms/raw/",
            json!({"name": "Numbered", "lines": [
        {"mpn": "A", "quantity": 1, "line_number": "A7"},
        {"mpn": "B", "quantity": 1, "line_number": "10"},
        {"mpn": "C", "quantity": 1},
        {"mpn": "D", "quantity": 1, "line_number": "2"}]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let lines = bom_lines(&api, &numbered["id"]).await;
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
        let job_id = api.put(path, body.clone()).await.expect(StatusCode::OK);
        let job_id = job_id.as_str().expect("the job id as a JSON string");
        let job = api.wait_job(job_id).await;
        assert_eq!(job["status"], "succeeded", "{job}");
    }
    let synced = api
        .get("/v1/boms/?name=Synced")
        .await
        .expect(StatusCode::OK);
    assert_eq!(synced["count"], 1, "the same record twice is one BOM");
    assert_eq!(synced["results"][0]["integration_record_id"], "erp-7");
    assert_eq!(
        synced["results"][0]["synced_from_integration_at"],
        "2019-08-24T14:15:22Z"
    );

    // the documentation's own example body, as a client copying it would send it
    let job_id = api
        .put(
            "/integrations/async_boms/",
            serde_json::from_str(SEED_EXAMPLE).unwrap(),
        )
        .await
        .expect(StatusCode::OK);
    let job = api.wait_job(job_id.as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let example = bom_lines(&api, &job["result"]["bom_id"]).await;
    let line = &example["results"][0];
    assert_eq!(line["line_number"], "string");
    assert_eq!(line["quantity"], "1", "one designator counts one");
    assert_eq!(line["is_custom_part"], false);

    let (status, err) = api
        .put(
            "/integrations/async_boms/",
            json!({"lines": [{"mpn": "X"}]}),
        )
        .await
        .answer();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        err["name"].is_array() && err["lines[0].quantity"].is_array(),
        "{err}"
    );
    let (status, _) = api.get("/v1/jobs/999999/").await.answer();
    assert_eq!(status, StatusCode::NOT_FOUND);
}
