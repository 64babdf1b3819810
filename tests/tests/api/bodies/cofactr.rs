//! Cofactr's bodies: BOMs (list, detail, update), their catalogue and raw lines, the async
//! upsert and its job, programs with availability and pricing, revisions and diffs, errors.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::{Rest, TeamRole, TestApp};

use super::body;
use crate::cofactr::stocked_part;

/// A Cofactr admin's client, a resistor (10 in stock) and a capacitor (none), both offered
/// at 0.5, and a BOM "Board" (version A, part number PCB-1) of two resistors at R1 R2; the
/// app, the key, the two parts' pks and the BOM as created.
async fn board() -> (TestApp, String, i64, i64, Value) {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let r = stocked_part(&app, &k, "Resistor", "RC0402FR-0710KL", "10").await;
    let c = stocked_part(&app, &k, "Capacitor", "GRM155R71C104KA88D", "0").await;
    let bom = app
        .with_api_key(&k)
        .post(
            "/v1/boms/",
            json!({"name": "Board", "version": "A", "part_number": "PCB-1", "lines": [
                {"part_id": r, "quantity": 2, "reference_designators_string": "R1 R2"}]}),
        )
        .await
        .expect(StatusCode::CREATED);
    (app, k, r, c, bom)
}

#[tokio::test]
async fn boms_and_lines() {
    let (app, k, _, c, bom) = board().await;
    let api = app.with_api_key(&k);
    let id = &bom["id"];
    body!("bom_created", (StatusCode::CREATED, bom.clone()));
    body!("bom_list", api.get("/v1/boms/").await);
    api.post("/v1/boms/", json!({"name": "Spare"}))
        .await
        .expect(StatusCode::CREATED);
    body!("bom_list_page", api.get("/v1/boms/?limit=1&offset=1").await);
    body!("bom_detail", api.get(&format!("/v1/boms/{id}/")).await);
    body!(
        "bom_update",
        api.patch(&format!("/v1/boms/{id}/"), json!({"name": "Board v2"}))
            .await
    );
    let line = json!({"part_id": c, "quantity": "1", "reference_designators_string": "C1",
        "comments": "hand placed"});
    let added = api.post(&format!("/v1/boms/{id}/lines/"), line).await;
    body!("line_add", added);
    let raw = json!({"mpn": "NE555P", "manufacturer_name": "TI", "reference_designators_string": "U1-U2",
        "description": "timer", "line_number": "3"});
    body!(
        "line_add_raw",
        api.post(&format!("/v1/boms/{id}/lines/raw/"), raw).await
    );
    body!("lines", api.get(&format!("/v1/boms/{id}/lines/")).await);
    let line_path = format!("/v1/boms/{id}/lines/{}/", added.json()["id"]);
    body!("line_detail", api.get(&line_path).await);
    body!(
        "line_update",
        api.patch(&line_path, json!({"quantity": "2", "comments": "checked"}))
            .await
    );
    body!("bom_archive", api.delete(&format!("/v1/boms/{id}/")).await);
}

#[tokio::test]
async fn upsert_and_its_job() {
    let (app, k, _, _, _) = board().await;
    let api = app.with_api_key(&k);
    let upsert = json!({"name": "Synced", "version": "B", "part_number": null, "approved": false,
        "lines": [{"mpn": "RC0402FR-0710KL", "quantity": 4, "reference_designators_string": "R1-R4",
            "alternative_mpns": [], "metadata": {"row": 1}, "is_custom_part": false}],
        "metadata": {"source": "erp"}, "integration_record_id": "erp-7",
        "synced_from_integration": true, "integration_source_name": "erp",
        "synced_from_integration_at": "2019-08-24T14:15:22Z"});
    let queued = api.put("/v1/integrations/async_boms/", upsert).await;
    body!("upsert_queued", queued);
    let job_id = queued.json();
    let job_id = job_id.as_str().expect("a job id");
    api.wait_job(job_id).await;
    body!("upsert_job", api.get(&format!("/v1/jobs/{job_id}/")).await);
    body!("upsert_bom", api.get("/v1/boms/?name=Synced").await);
}

#[tokio::test]
async fn programs() {
    let (app, k, r, _, bom) = board().await;
    let api = app.with_api_key(&k);
    let made = api.post("/v1/programs/", json!({"name": "Pilot"})).await;
    body!("program_create", made);
    let pid = made.json()["id"].clone();
    let line = json!({"bom_id": bom["id"], "quantity": 5});
    body!(
        "program_line_add",
        api.post(&format!("/v1/programs/{pid}/lines/"), line).await
    );
    let cheap = json!({"part_id": r, "on_hand_quantity": "4", "unit_price": "0.25"});
    body!(
        "program_override_add",
        api.post(&format!("/v1/programs/{pid}/part_overrides/"), cheap)
            .await
    );
    body!("programs", api.get("/v1/programs/").await);
    body!(
        "program_detail",
        api.get(&format!("/v1/programs/{pid}/")).await
    );
    body!(
        "program_lines",
        api.get(&format!("/v1/programs/{pid}/lines/")).await
    );
    body!(
        "program_availabilities",
        api.get(&format!("/v1/programs/{pid}/availabilities/"))
            .await
    );
    body!(
        "program_reference_pricing",
        api.get(&format!(
            "/v1/programs/{pid}/reference_pricing/?quantities=1,10"
        ))
        .await
    );
}

#[tokio::test]
async fn revisions() {
    let (app, k, _, c, bom) = board().await;
    let api = app.with_api_key(&k);
    let id = &bom["id"];
    body!(
        "revise_draft_refused",
        api.send(Method::POST, &format!("/v1/boms/{id}/revise/"), None)
            .await
    );
    body!(
        "approve",
        api.send(Method::POST, &format!("/v1/boms/{id}/approve/"), None)
            .await
    );
    let revised = api
        .post(&format!("/v1/boms/{id}/revise/"), json!({"label": "B"}))
        .await;
    body!("revise", revised);
    let next = revised.json()["id"].clone();
    let line = json!({"part_id": c, "quantity": 1, "reference_designators_string": "C1"});
    api.post(&format!("/v1/boms/{next}/lines/"), line)
        .await
        .expect(StatusCode::CREATED);
    body!(
        "diff",
        api.get(&format!("/v1/boms/{next}/diff/?against={id}"))
            .await
    );
}

#[tokio::test]
async fn error_bodies() {
    let (app, k, _, _, bom) = board().await;
    let api = app.with_api_key(&k);
    let id = &bom["id"];
    let not_a_line = json!({"name": "Board", "lines": [5]});
    body!(
        "bom_line_not_an_object",
        api.post("/v1/boms/", not_a_line).await
    );
    let wrong = json!({"name": "", "version": 7, "lines": [{"part_id": 999_999, "quantity": -1}]});
    body!("bom_field_errors", api.post("/v1/boms/", wrong).await);
    body!(
        "raw_line_field_errors",
        api.post(&format!("/v1/boms/{id}/lines/raw/"), json!({"mpn": ""}))
            .await
    );
    body!(
        "upsert_field_errors",
        api.put(
            "/v1/integrations/async_boms/",
            json!({"lines": [{"mpn": "X"}]})
        )
        .await
    );
    body!("bom_not_found", api.get("/v1/boms/999999/").await);
    body!("job_not_found", api.get("/v1/jobs/999999/").await);
    body!(
        "unauthenticated",
        unauthenticated(&app).get("/v1/boms/").await
    );
}

/// A client without a key.
fn unauthenticated(app: &TestApp) -> Rest<'_> {
    app.with_api_key("")
}
