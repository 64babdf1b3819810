//! BOMs and their catalogue and raw lines: summing, the line rules, approval, archiving,
//! other teams.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::{TeamRole, TestApp};

use super::stocked_part;

#[tokio::test]
async fn boms_lines_and_their_rules() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let api = app.with_api_key(&k);
    let r = stocked_part(&app, &k, "Resistor", "RC0402FR-0710KL", "10").await;
    let c = stocked_part(&app, &k, "Capacitor", "GRM155R71C104KA88D", "0").await;

    let bom = api.post("/v1/boms/", json!({"name": "Board", "version": "A", "lines": [{"part_id": r, "quantity": 2, "reference_designators_string": "R1 R2"}]})).await.expect(StatusCode::CREATED);
    let id = bom["id"].as_i64().unwrap();
    assert_eq!(bom["approved"], false);
    let lines = api
        .get(&format!("/v1/boms/{id}/lines/"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(lines["count"], 1);
    let line_id = lines["results"][0]["id"].as_i64().unwrap();

    // catalogue data sums into the line with the same part
    let summed = api
        .post(
            &format!("/v1/boms/{id}/lines/"),
            json!({"part_id": r, "quantity": "3", "reference_designators_string": "R3"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (summed["id"].as_i64(), summed["quantity"].as_str()),
        (Some(line_id), Some("5"))
    );
    assert_eq!(summed["reference_designators"], json!(["R1", "R2", "R3"]));
    // raw data sums when part and designators agree, else adds a line
    let raw = json!({"mpn": "grm155r71c104ka88d", "reference_designators_string": "C1-C2"});
    let first = api
        .post(&format!("/v1/boms/{id}/lines/raw/"), raw.clone())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (
            first["quantity"].as_str(),
            first["match_status"].as_str(),
            first["part_id"].as_i64()
        ),
        (Some("2"), Some("matched"), Some(c))
    );
    let again = api
        .post(&format!("/v1/boms/{id}/lines/raw/"), raw)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (again["id"].clone(), again["quantity"].as_str()),
        (first["id"].clone(), Some("4"))
    );
    let unknown = api
        .post(
            &format!("/v1/boms/{id}/lines/raw/"),
            json!({"mpn": "NOPE", "quantity": 1}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (unknown["match_status"].as_str(), unknown["part_id"].clone()),
        (Some("no_match"), Value::Null)
    );
    let (status, err) = api
        .post(&format!("/v1/boms/{id}/lines/raw/"), json!({"mpn": ""}))
        .await
        .answer();
    // both faults of the line are named at once: a blank MPN (Cofactr's MPNs are 1 to 255
    // characters), and no quantity with no designators to count one from
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut fields: Vec<&String> = err.as_object().expect("field errors").keys().collect();
    fields.sort();
    assert_eq!(fields, ["mpn", "quantity"], "{err}");
    assert_eq!(
        err["mpn"],
        json!(["Ensure this field has at least 1 characters."]),
        "{err}"
    );
    assert!(err["quantity"][0].is_string(), "{err}");

    // line detail, update and removal stay inside the BOM of the path
    let path = format!("/v1/boms/{id}/lines/{line_id}/");
    let upd = api
        .patch(&path, json!({"quantity": "7", "comments": "checked"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(upd["quantity"], "7");
    let other = api
        .post("/v1/boms/", json!({"name": "Other"}))
        .await
        .expect(StatusCode::CREATED);
    let (status, _) = api
        .get(&format!("/v1/boms/{}/lines/{line_id}/", other["id"]))
        .await
        .answer();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // approval freezes the lines; deleting archives
    let approved = api
        .send(Method::POST, &format!("/v1/boms/{id}/approve/"), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(approved["approved"], true);
    let (status, err) = api.patch(&path, json!({"quantity": "1"})).await.answer();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["non_field_errors"][0]
        .as_str()
        .unwrap()
        .contains("approved"));
    let (status, _) = api
        .post(
            &format!("/v1/boms/{id}/lines/raw/"),
            json!({"mpn": "X", "quantity": 1}),
        )
        .await
        .answer();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let archived = api
        .delete(&format!("/v1/boms/{id}/"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(archived["archived"], true);
    let (status, _) = api
        .delete(&format!("/v1/boms/{}/", other["id"]))
        .await
        .answer();
    assert_eq!(status, StatusCode::NO_CONTENT);
    let list = api
        .get("/v1/boms/?archived=true")
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["count"], 1);
    assert_eq!(
        api.get("/v1/boms/").await.expect(StatusCode::OK)["count"],
        0
    );

    // another team sees none of it
    let eve = app.user("eve", "other", TeamRole::Admin).await;
    let (status, _) = app
        .with_api_key(&eve)
        .get(&format!("/v1/boms/{id}/"))
        .await
        .answer();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .with_api_key(&eve)
        .get(&format!("/v1/boms/{id}/lines/"))
        .await
        .answer();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.with_api_key("").get("/v1/boms/").await.answer();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Lines that are not objects, or `lines` that is not a list, are refused, not guessed at.
#[tokio::test]
async fn malformed_lines_are_refused() {
    let app = TestApp::new().await;
    let k = app.user("cof", "hw", TeamRole::Admin).await;
    let api = app.with_api_key(&k);
    for (body, field) in [
        (json!({"name": "A", "lines": [5]}), "lines[0]"),
        (json!({"name": "A", "lines": "R1"}), "lines"),
    ] {
        let (status, got) = api.post("/v1/boms/", body).await.answer();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
        assert!(got[field].is_array(), "{got}");
    }
    assert_eq!(
        api.get("/v1/boms/").await.expect(StatusCode::OK)["count"],
        0
    );
}
