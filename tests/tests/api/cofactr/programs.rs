//! Programs: lines, availability (at once and as a job), overrides, reference pricing.
use axum::http::{Method, StatusCode};
use serde_json::json;
use tests::{TeamRole, TestApp};

use super::stocked_part;

#[tokio::test]
async fn programs_availability_and_pricing() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let api = app.with_api_key(&k);
    let r = stocked_part(&app, &k, "Resistor", "R-1", "10").await;
    let bom = api
        .post(
            "/v1/boms/",
            json!({"name": "Board", "lines": [{"part_id": r, "quantity": "4"}]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let prog = api
        .post("/v1/programs/", json!({"name": "Pilot"}))
        .await
        .expect(StatusCode::CREATED);
    let pid = prog["id"].as_i64().unwrap();
    let line = api
        .post(
            &format!("/v1/programs/{pid}/lines/"),
            json!({"bom_id": bom["id"], "quantity": 5}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(line["quantity"], "5");
    let lp = format!("/v1/programs/{pid}/lines/{}/", line["id"]);
    assert_eq!(
        api.patch(&lp, json!({"quantity": "10"}))
            .await
            .expect(StatusCode::OK)["quantity"],
        "10"
    );
    assert_eq!(
        api.get(&format!("/v1/programs/{pid}/lines/"))
            .await
            .expect(StatusCode::OK)
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let report = api
        .get(&format!("/v1/programs/{pid}/availabilities/"))
        .await
        .expect(StatusCode::OK);
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

    let o = api
        .post(
            &format!("/v1/programs/{pid}/part_overrides/"),
            json!({"part_id": r, "on_hand_quantity": "100", "unit_price": "0.25"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let op = format!("/v1/programs/{pid}/part_overrides/{}/", o["id"]);
    assert_eq!(
        api.get(&op).await.expect(StatusCode::OK)["unit_price"],
        "0.25"
    );
    let report = api
        .get(&format!("/v1/programs/{pid}/availabilities/"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["parts"][0]["status"], "on_hand");
    let pricing = api
        .get(&format!(
            "/v1/programs/{pid}/reference_pricing/?quantities=1,2"
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(pricing[0]["totals"]["USD"], "10");
    assert_eq!(pricing[1]["totals"]["USD"], "20");
    assert_eq!(pricing[1]["per_unit"]["USD"], "10");
    let (status, _) = api
        .get(&format!(
            "/v1/programs/{pid}/reference_pricing/?quantities=x"
        ))
        .await
        .answer();
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let job_id = api
        .get(&format!("/v1/programs/{pid}/availabilities/async/"))
        .await
        .expect(StatusCode::OK);
    let job = api.wait_job(job_id.as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded");

    api.patch(&op, json!({"exclude": true}))
        .await
        .expect(StatusCode::OK);
    let report = api
        .get(&format!("/v1/programs/{pid}/availabilities/"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["excluded"], json!([r]));
    api.delete(&op).await.expect(StatusCode::NO_CONTENT);
    api.delete(&lp).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(
        api.patch(
            &format!("/v1/programs/{pid}/"),
            json!({"status": "approved"})
        )
        .await
        .expect(StatusCode::OK)["status"],
        "approved"
    );
    assert_eq!(
        api.get("/v1/programs/").await.expect(StatusCode::OK)["count"],
        1
    );
    api.delete(&format!("/v1/programs/{pid}/"))
        .await
        .expect(StatusCode::NO_CONTENT);

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
