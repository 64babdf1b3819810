//! `bomLines`: every filter and ordering.
use serde_json::{json, Value};
use tests::builders::{app_with_admin, bom, line_with_reference, substitute, Part};

fn ids(v: &Value) -> Vec<String> {
    v["bomLines"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["reference"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn bom_lines_filters_and_ordering() {
    let (app, t) = app_with_admin().await;
    let tmpl = Part::named("Widget")
        .with(json!({"isTemplate": true, "assembly": true}))
        .create(&app, &t)
        .await;
    let variant = Part::named("Widget blue")
        .with(json!({"variantOf": tmpl, "assembly": true}))
        .create(&app, &t)
        .await;
    let res = Part::named("Resistor")
        .with(json!({"description": "thick film", "inStock": "5",
        "offers": [{"supplier": "A", "priceBreaks": [{"quantity": "1", "unitPrice": "0.1"}]}]}))
        .create(&app, &t)
        .await;
    let cap = Part::named("Capacitor")
        .with(json!({"keywords": "ceramic", "onOrder": "3"}))
        .create(&app, &t)
        .await;
    let chip = Part::named("Chip")
        .with(json!({"trackable": true, "assembly": true}))
        .create(&app, &t)
        .await;
    let alt = Part::named("Alt resistor").create(&app, &t).await;
    let base = bom(&app, &t, json!({"name": "Widget", "assemblyPartId": tmpl, "lines": [
        {"partId": res, "quantity": "2", "reference": "R1", "inherited": true},
        {"partId": cap, "quantity": "5", "reference": "C1", "inherited": false, "optional": true}]})).await;
    let blue = bom(
        &app,
        &t,
        json!({"name": "Widget blue", "assemblyPartId": variant, "lines": [
        {"partId": chip, "quantity": "1", "reference": "U1", "consumable": true},
        {"partId": tmpl, "quantity": "3", "reference": "X1", "allowVariants": true}]}),
    )
    .await;
    let _ = blue;
    let r1 = line_with_reference(&app, &t, &base, "R1").await;
    substitute(&app, &t, &r1, &alt).await;
    app.data(
        &t,
        "mutation($l: ID!) { validateBomLine(input: {id: $l, valid: true}) { bomLine { id } } }",
        json!({"l": r1}),
    )
    .await;

    let q = "query($f: BomLineFilterInput, $o: BomLineOrder) { bomLines(filter: $f, orderBy: $o) { totalCount nodes { reference } } }";
    let run = |f: Value| {
        let app = &app;
        let t = &t;
        async move { ids(&app.data(t, q, json!({"f": f})).await) }
    };
    assert_eq!(run(json!({"bomId": base})).await, ["R1", "C1"]);
    // the variant's lines plus the inherited lines of its template
    assert_eq!(run(json!({"part": variant})).await, ["R1", "U1", "X1"]);
    assert_eq!(run(json!({"part": tmpl})).await, ["R1", "C1"]);
    assert_eq!(run(json!({"uses": res})).await, ["R1"]);
    assert_eq!(
        run(json!({"uses": alt})).await,
        ["R1"],
        "substitutes count as uses"
    );
    assert_eq!(
        run(json!({"uses": variant})).await,
        ["X1"],
        "allow_variants of an ancestor counts"
    );
    assert_eq!(run(json!({"validated": true})).await, ["R1"]);
    assert_eq!(run(json!({"validated": false})).await, ["C1", "U1", "X1"]);
    assert_eq!(run(json!({"optional": true})).await, ["C1"]);
    assert_eq!(run(json!({"consumable": true})).await, ["U1"]);
    assert_eq!(run(json!({"inherited": false})).await, ["C1"]);
    assert_eq!(run(json!({"allowVariants": true})).await, ["X1"]);
    assert_eq!(run(json!({"hasPricing": true})).await, ["R1"]);
    assert_eq!(run(json!({"availableStock": true})).await, ["R1"]);
    assert_eq!(
        run(json!({"availableStock": false})).await,
        ["C1", "U1", "X1"]
    );
    assert_eq!(run(json!({"onOrder": true})).await, ["C1"]);
    assert_eq!(run(json!({"subPartTrackable": true})).await, ["U1"]);
    assert_eq!(run(json!({"subPartAssembly": true})).await, ["U1", "X1"]);
    assert_eq!(
        run(json!({"subPartTrackable": false})).await,
        ["R1", "C1", "X1"]
    );
    assert_eq!(run(json!({"subPartAssembly": false})).await, ["R1", "C1"]);
    assert_eq!(
        run(json!({"partActive": false})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        run(json!({"partTrackable": false})).await,
        ["R1", "C1", "U1", "X1"]
    );
    assert_eq!(
        run(json!({"partTrackable": false, "search": "widget"})).await,
        ["X1"],
        "the part's name"
    );
    for literal in ["%", "r_"] {
        assert_eq!(
            run(json!({"search": literal})).await,
            Vec::<String>::new(),
            "{literal} in a search is a literal character"
        );
    }
    assert_eq!(run(json!({"search": "thick"})).await, ["R1"]);
    assert_eq!(run(json!({"search": "ceramic, capacitor"})).await, ["C1"]);
    assert_eq!(
        run(json!({"search": "ceramic resistor"})).await,
        Vec::<String>::new()
    );

    let ordered = |o: Value| {
        let app = &app;
        let t = &t;
        async move { ids(&app.data(t, q, json!({"o": o})).await) }
    };
    assert_eq!(
        ordered(json!({"field": "QUANTITY", "descending": true})).await,
        ["C1", "X1", "R1", "U1"]
    );
    assert_eq!(
        ordered(json!({"field": "SUB_PART"})).await,
        ["C1", "U1", "R1", "X1"]
    );
    assert_eq!(
        ordered(json!({"field": "AVAILABLE_STOCK", "descending": true})).await[0],
        "R1"
    );
}
