//! Rules that several entry points share, checked through each of them: one text limit for
//! every BOM write, one same-part policy per entry point, one wording of each message, and
//! the write path every line change goes through.
use axum::http::{Method, StatusCode};
use serde_json::json;
use tests::builders::{app_with_admin, approve, bom, line_ids, Part};
use tests::fails;
use tests::TeamRole;

#[tokio::test]
async fn a_cofactr_line_keeps_its_comments_through_add_and_patch() {
    let (app, t) = app_with_admin().await;
    let r = app
        .row_id(&t, Part::named("Resistor").create(&app, &t).await)
        .await;
    let api = app.with_token(&t);
    let bom = api
        .post("/v1/boms/", json!({"name": "Board"}))
        .await
        .expect(StatusCode::CREATED);
    let lines = format!("/v1/boms/{}/lines/", bom["id"]);
    let added = api
        .post(
            &lines,
            json!({"part_id": r, "quantity": "2", "comments": "fit last"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(added["comments"], "fit last", "{added}");
    let line = format!("{lines}{}/", added["id"]);
    let patched = api
        .patch(&line, json!({"comments": "fit first"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(patched["comments"], "fit first", "{patched}");
    let read = api.get(&line).await.expect(StatusCode::OK);
    assert_eq!(read["comments"], "fit first");
    // Cofactr's comments are not InvenTree's note
    let item = api
        .get(&format!("/api/bom/{}/", added["id"]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(item["note"], "", "{item}");
}

const CREATE_BOM: &str =
    "mutation($i: CreateBomInput!) { createBom(input: $i) { bom { id name } } }";
const UPDATE_BOM: &str =
    "mutation($i: UpdateBomInput!) { updateBom(input: $i) { bom { id version } } }";

#[tokio::test]
async fn every_bom_write_path_takes_the_same_text_limits() {
    let (app, t) = app_with_admin().await;
    let longest = "N".repeat(255);
    let too_long = "N".repeat(256);

    // 255 characters pass every path: Cofactr's documented limit
    let created = app
        .data(&t, CREATE_BOM, json!({"i": {"name": longest}}))
        .await;
    let id = created["createBom"]["bom"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.data(&t, UPDATE_BOM, json!({"i": {"id": id, "version": longest}}))
        .await;
    app.with_token(&t)
        .post(
            "/v1/boms/",
            json!({"name": longest, "part_number": longest}),
        )
        .await
        .expect(StatusCode::CREATED);

    // 256 are refused at once by every path, naming the field, and nothing is written
    let (code, err) = fails(&app, &t, CREATE_BOM, json!({"i": {"name": too_long}})).await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["name"].is_array(), "{err}");
    let (code, err) = fails(
        &app,
        &t,
        UPDATE_BOM,
        json!({"i": {"id": id, "version": too_long}}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["version"].is_array(), "{err}");
    for body in [
        json!({"name": too_long}),
        json!({"name": "Board", "version": too_long}),
        json!({"name": "Board", "integration_record_id": too_long}),
    ] {
        for (method, path) in [
            (Method::POST, "/v1/boms/"),
            (Method::PUT, "/integrations/async_boms/"),
        ] {
            let reply = app.rest(method, path, &t, Some(body.clone())).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
            let field = body
                .as_object()
                .unwrap()
                .iter()
                .find(|(_, v)| v.as_str() == Some(too_long.as_str()))
                .map(|(k, _)| k.clone())
                .unwrap();
            assert_eq!(
                reply.json()[&field][0],
                "Ensure this field has no more than 255 characters.",
                "{path} {field}"
            );
        }
    }
    let list = app
        .with_token(&t)
        .get("/v1/boms/?limit=10")
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["count"], 2, "{list}");
}

#[tokio::test]
async fn an_upsert_onto_an_existing_bom_checks_the_bom_as_an_update_does() {
    let (app, t) = app_with_admin().await;
    let first = app
        .with_token(&t)
        .put(
            "/integrations/async_boms/",
            json!({"name": "Board", "integration_record_id": "erp-1", "lines": []}),
        )
        .await
        .expect(StatusCode::OK);
    let job = app.with_token(&t).wait_job(first.as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    // a blank name onto the existing record is refused before any job is queued
    let reply = app
        .rest(
            Method::PUT,
            "/integrations/async_boms/",
            &t,
            Some(json!({"name": "  ", "integration_record_id": "erp-1"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(reply.json()["name"][0], "This field may not be blank.");
}

const VALIDATE: &str =
    "mutation($id: ID!, $v: Boolean!) { validateBomLine(input: {id: $id, valid: $v}) { bomLine { id validated } } }";

#[tokio::test]
async fn validating_a_line_goes_through_the_line_write_path() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("Resistor").create(&app, &t).await;
    let bom = bom(
        &app,
        &t,
        json!({"name": "Board", "lines": [{"partId": r, "quantity": "1"}]}),
    )
    .await;
    let line = &line_ids(&app, &t, &bom).await[0];

    // reviewing is not changing the line: an approved BOM's lines may still be reviewed
    approve(&app, &t, &bom).await;
    let ok = app.data(&t, VALIDATE, json!({"id": line, "v": true})).await;
    assert_eq!(ok["validateBomLine"]["bomLine"]["validated"], true);

    // an archived BOM cannot be changed at all, its review marks included
    app.data(
        &t,
        "mutation($id: ID!) { deleteBom(input: {id: $id}) { outcome } }",
        json!({"id": bom}),
    )
    .await;
    let (code, _) = fails(&app, &t, VALIDATE, json!({"id": line, "v": false})).await;
    assert_eq!(code, "CONFLICT");
    let reply = app
        .rest(
            Method::PUT,
            &format!("/api/bom/{}/validate/", app.row_id(&t, line).await),
            &t,
            Some(json!({"valid": false})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert!(reply.json()["non_field_errors"].is_array());
    let still = app
        .data(
            &t,
            "query($id: ID!) { bom(id: $id) { lines { validated } } }",
            json!({"id": bom}),
        )
        .await;
    assert_eq!(still["bom"]["lines"][0]["validated"], true);
}

#[tokio::test]
async fn a_refused_line_add_checks_permission_before_it_writes() {
    let (app, t) = app_with_admin().await;
    let viewer = app.user("victor", "hardware", TeamRole::Viewer).await;
    let bom = app
        .with_token(&t)
        .post("/v1/boms/", json!({"name": "Board"}))
        .await
        .expect(StatusCode::CREATED);
    let id = &bom["id"];

    // the refused update of the BOM itself: a lookup, then the refusal
    let before = app.statements();
    let reply = app
        .rest(
            Method::PATCH,
            &format!("/v1/boms/{id}/"),
            &viewer,
            Some(json!({"name": "Mine"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let refused_update = app.statements() - before;

    // a refused raw line runs no more than that: no write before the permission check
    let before = app.statements();
    let reply = app
        .rest(
            Method::POST,
            &format!("/v1/boms/{id}/lines/raw/"),
            &viewer,
            Some(json!({"mpn": "X-1", "quantity": "1"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
    assert_eq!(app.statements() - before, refused_update);
}

#[tokio::test]
async fn quantities_that_are_not_positive_get_one_message_everywhere() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("Resistor").create(&app, &t).await;
    let bom = app
        .with_token(&t)
        .post("/v1/boms/", json!({"name": "Board"}))
        .await
        .expect(StatusCode::CREATED);
    let lines = format!("/v1/boms/{}/lines/", bom["id"]);
    app.with_token(&t)
        .post(
            &lines,
            json!({"part_id": app.row_id(&t, &r).await, "quantity": "2"}),
        )
        .await
        .expect(StatusCode::CREATED);
    // summing into the existing line, and inserting a new one, say the same
    for part in [
        app.row_id(&t, &r).await,
        app.row_id(&t, Part::named("Capacitor").create(&app, &t).await)
            .await,
    ] {
        let reply = app
            .rest(
                Method::POST,
                &lines,
                &t,
                Some(json!({"part_id": part, "quantity": "0"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            reply.json()["quantity"],
            json!(["Quantity must be greater than zero"])
        );
    }
}
