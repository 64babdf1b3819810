use serde_json::{json, Value};
use tests::builders::{app_with_admin, approve, bom, line_ids, substitute, Part};

#[tokio::test]
async fn explosion_multiplies_through_sub_assemblies() {
    let (app, t) = app_with_admin().await;
    let product = Part::named("Product").create(&app, &t).await;
    let board = Part::named("Board").assembly().create(&app, &t).await;
    let r = Part::named("R").create(&app, &t).await;
    let screw = Part::named("Screw").create(&app, &t).await;
    // an archived older board BOM must not be used
    let old = bom(&app, &t, json!({"name": "Board v0", "assemblyPartId": board, "lines": [{"partId": screw, "quantity": "99"}]})).await;
    approve(&app, &t, &old).await;
    app.data(
        &t,
        "mutation($b: ID!) { deleteBom(input: {id: $b}) { outcome } }",
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
    let tmpl = Part::named("Cap")
        .with(json!({"isTemplate": true}))
        .create(&app, &t)
        .await;
    let var = Part::named("Cap 10u")
        .with(json!({"variantOf": tmpl}))
        .create(&app, &t)
        .await;
    let other = Part::named("Other").create(&app, &t).await;
    bom(&app, &t, json!({"name": "Direct", "lines": [{"partId": var, "quantity": "1", "reference": "direct"}]})).await;
    bom(&app, &t, json!({"name": "Variants", "lines": [{"partId": tmpl, "quantity": "1", "allowVariants": true, "reference": "variants"}]})).await;
    bom(&app, &t, json!({"name": "Strict", "lines": [{"partId": tmpl, "quantity": "1", "reference": "strict"}]})).await;
    let b = bom(&app, &t, json!({"name": "Sub", "lines": [{"partId": other, "quantity": "1", "reference": "substitute"}]})).await;
    let line = &line_ids(&app, &t, &b).await[0];
    substitute(&app, &t, line, &var).await;
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
