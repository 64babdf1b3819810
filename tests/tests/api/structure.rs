use serde_json::{json, Value};

use crate::fixtures::{app_with_admin, bom, named_part, part};

#[tokio::test]
async fn explosion_multiplies_through_sub_assemblies() {
    let (app, t) = app_with_admin().await;
    let product = named_part(&app, &t, "Product").await;
    let board = part(&app, &t, json!({"name": "Board", "assembly": true})).await;
    let r = named_part(&app, &t, "R").await;
    let screw = named_part(&app, &t, "Screw").await;
    // an archived older board BOM must not be used
    let old = bom(&app, &t, json!({"name": "Board v0", "assemblyPartId": board, "lines": [{"partId": screw, "quantity": "99"}]})).await;
    app.data(
        &t,
        "mutation($b: ID!) { approveBom(id: $b) { id } }",
        json!({"b": old}),
    )
    .await;
    app.data(
        &t,
        "mutation($b: ID!) { deleteBom(id: $b) { outcome } }",
        json!({"b": old}),
    )
    .await;
    bom(
        &app,
        &t,
        json!({"name": "Board", "assemblyPartId": board, "lines": [
        {"partId": r, "quantity": "4"}, {"partId": screw, "quantity": "0.5"}]}),
    )
    .await;
    let top = bom(
        &app,
        &t,
        json!({"name": "Product", "assemblyPartId": product, "lines": [
        {"partId": board, "quantity": "2"}, {"partId": screw, "quantity": "4"}]}),
    )
    .await;
    let got = app
        .data(&t, "query($b: ID!) { bomExplosion(bomId: $b, quantity: \"10\") { part { name } quantity level isAssembly } }", json!({"b": top}))
        .await;
    let rows: Vec<(String, String, i64, bool)> = got["bomExplosion"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r: &Value| {
            (
                r["part"]["name"].as_str().unwrap().to_owned(),
                r["quantity"].as_str().unwrap().to_owned(),
                r["level"].as_i64().unwrap(),
                r["isAssembly"].as_bool().unwrap(),
            )
        })
        .collect();
    let find = |n: &str| rows.iter().find(|r| r.0 == n).cloned().unwrap();
    assert_eq!(find("Board"), ("Board".into(), "20".into(), 1, true));
    assert_eq!(find("R"), ("R".into(), "80".into(), 2, false));
    // 10 x 4 directly, plus 10 x 2 x 0.5 through the board
    assert_eq!(find("Screw"), ("Screw".into(), "50".into(), 1, false));
    assert_eq!(rows.len(), 3);
}

#[tokio::test]
async fn where_used_covers_direct_substitute_and_variant_use() {
    let (app, t) = app_with_admin().await;
    let tmpl = part(&app, &t, json!({"name": "Cap", "isTemplate": true})).await;
    let var = part(&app, &t, json!({"name": "Cap 10u", "variantOf": tmpl})).await;
    let other = named_part(&app, &t, "Other").await;
    bom(&app, &t, json!({"name": "Direct", "lines": [{"partId": var, "quantity": "1", "reference": "direct"}]})).await;
    bom(&app, &t, json!({"name": "Variants", "lines": [{"partId": tmpl, "quantity": "1", "allowVariants": true, "reference": "variants"}]})).await;
    bom(&app, &t, json!({"name": "Strict", "lines": [{"partId": tmpl, "quantity": "1", "reference": "strict"}]})).await;
    let b = bom(&app, &t, json!({"name": "Sub", "lines": [{"partId": other, "quantity": "1", "reference": "substitute"}]})).await;
    let line = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { lines { id } } }",
            json!({"b": b}),
        )
        .await["bom"]["lines"][0]["id"]
        .clone();
    app.data(
        &t,
        "mutation($l: ID!, $p: ID!) { addSubstitute(bomLineId: $l, partId: $p) { id } }",
        json!({"l": line, "p": var}),
    )
    .await;
    let got = app
        .data(
            &t,
            "query($p: ID!) { whereUsed(partId: $p) { reference bom { name } } }",
            json!({"p": var}),
        )
        .await;
    let refs: Vec<&str> = got["whereUsed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["direct", "variants", "substitute"]);
}
