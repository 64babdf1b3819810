//! The JSON export through both surfaces, and the options each refuses.
use axum::http::StatusCode;
use serde_json::json;

use super::Env;

#[tokio::test]
async fn json_is_the_same_through_rest_and_graphql() {
    let e = Env::new().await;
    let rest = e
        .export(&e.unit_bom, "format=json&levels=all&quantity=2")
        .await;
    assert_eq!(rest.content_type.as_deref(), Some("application/json"));
    let rest = rest.json();
    let gql = e
        .app
        .data(
            &e.t,
            "query($b: ID!) { bomExport(bomId: $b, levels: ALL, quantity: \"2\") }",
            json!({"b": e.unit_bom}),
        )
        .await["bomExport"]
        .clone();
    assert_eq!(rest, gql);
    assert_eq!(rest["bom"]["revision"], "A");
    assert_eq!(rest["build_quantity"], "2");
    assert_eq!(rest["rows"].as_array().unwrap().len(), 6);
    assert_eq!(rest["rows"][1]["part_ipn"], "R-10K");
    assert_eq!(rest["rows"][1]["total_quantity"], "17.6");
    assert_eq!(rest["columns"].as_array().unwrap().len(), 24);
    let flat = e
        .app
        .data(
            &e.t,
            "query($b: ID!) { bomExport(bomId: $b, flat: true) }",
            json!({"b": e.unit_bom}),
        )
        .await;
    assert_eq!(flat["bomExport"]["flat"], true);
}

#[tokio::test]
async fn bad_export_options_are_refused_in_the_dialects_shape() {
    let e = Env::new().await;
    for (query, field) in [
        ("format=pdf", "format"),
        ("levels=2", "levels"),
        ("flat=perhaps", "flat"),
        ("quantity=0", "quantity"),
        ("quantity=abc", "quantity"),
        ("sheets=per_assembly&format=csv", "sheets"),
        ("sheets=every", "sheets"),
        ("format=xlsx&sheets=per_assembly&flat=true", "sheets"),
    ] {
        let r = e.export(&e.unit_bom, query).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text());
        assert!(r.json()[field].is_array(), "{query}: {}", r.text());
    }
    let missing = e
        .app
        .with_token(&e.t)
        .get("/v1/boms/999999/export/?format=csv")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
