use serde_json::{json, Value};

use crate::fixtures::{app_with_admin, bom, fails, line, named_part, part, ADD_LINE};

const UPDATE: &str = "mutation($l: ID!, $i: BomLineInput!) { updateBomLine(id: $l, input: $i) { validated quantity note } }";

async fn field_error(app: &tests::TestApp, t: &str, b: &str, input: Value, field: &str) {
    let (code, err) = fails(app, t, ADD_LINE, json!({"b": b, "i": input})).await;
    assert_eq!(code, "VALIDATION", "{input}");
    assert!(
        err["extensions"]["fields"][field].is_array(),
        "expected an error on {field}: {err}"
    );
}

#[tokio::test]
async fn line_rules() {
    let (app, t) = app_with_admin().await;
    let asm = named_part(&app, &t, "Board").await;
    let r = named_part(&app, &t, "R").await;
    let tracked = part(&app, &t, json!({"name": "Serialised", "trackable": true})).await;
    let b = bom(&app, &t, json!({"name": "B", "assemblyPartId": asm})).await;

    for (input, field) in [
        (json!({"partId": r, "quantity": "0"}), "quantity"),
        (json!({"partId": r, "quantity": "-2"}), "quantity"),
        (json!({"partId": tracked, "quantity": "1.5"}), "quantity"),
        (
            json!({"partId": r, "quantity": "10000000000000"}),
            "quantity",
        ),
        (json!({"partId": asm, "quantity": "1"}), "partId"),
        (json!({"partId": "999999", "quantity": "1"}), "partId"),
    ] {
        field_error(&app, &t, &b, input, field).await;
    }
    line(&app, &t, &b, json!({"partId": tracked, "quantity": "2"})).await;
    for bad in ["-1", "101%", "abc", "-5%", "0.00000000000000000000001"] {
        field_error(
            &app,
            &t,
            &b,
            json!({"partId": r, "quantity": "1", "overage": bad}),
            "overage",
        )
        .await;
    }
    for good in ["", "0", "3", "2.5", "100%", "0%", "12.5%"] {
        line(
            &app,
            &t,
            &b,
            json!({"partId": r, "quantity": "1", "overage": good}),
        )
        .await;
    }
    for (input, field) in [
        (
            json!({"partId": r, "quantity": "1", "reference": "R".repeat(5001)}),
            "reference",
        ),
        (
            json!({"partId": r, "quantity": "1", "note": "n".repeat(501)}),
            "note",
        ),
    ] {
        field_error(&app, &t, &b, input, field).await;
    }
    line(&app, &t, &b, json!({"partId": r, "quantity": "1", "reference": "R".repeat(5000), "note": "n".repeat(500)})).await;
    // duplicate (assembly, part) lines are allowed
    line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    // a line without a part is kept, unmatched
    let unmatched = app
        .data(
            &t,
            ADD_LINE,
            json!({"b": b, "i": {"quantity": "1", "mpn": "XYZ-1"}}),
        )
        .await;
    assert!(unmatched["addBomLine"]["id"].is_string());
}

#[tokio::test]
async fn bom_loops_are_rejected_at_any_depth() {
    let (app, t) = app_with_admin().await;
    let a = named_part(&app, &t, "A").await;
    let b = named_part(&app, &t, "B").await;
    let c = named_part(&app, &t, "C").await;
    let bom_a = bom(
        &app,
        &t,
        json!({"name": "A", "assemblyPartId": a, "lines": [{"partId": b, "quantity": "1"}]}),
    )
    .await;
    let bom_b = bom(
        &app,
        &t,
        json!({"name": "B", "assemblyPartId": b, "lines": [{"partId": c, "quantity": "1"}]}),
    )
    .await;
    let bom_c = bom(&app, &t, json!({"name": "C", "assemblyPartId": c})).await;
    // C uses A would close A -> B -> C -> A
    field_error(
        &app,
        &t,
        &bom_c,
        json!({"partId": a, "quantity": "1"}),
        "partId",
    )
    .await;
    field_error(
        &app,
        &t,
        &bom_b,
        json!({"partId": a, "quantity": "1"}),
        "partId",
    )
    .await;
    // moving a line onto a looping part is refused too
    let lines = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { lines { id } } }",
            json!({"b": bom_b}),
        )
        .await;
    let l = lines["bom"]["lines"][0]["id"].as_str().unwrap().to_owned();
    let (code, _) = fails(&app, &t, UPDATE, json!({"l": l, "i": {"partId": a}})).await;
    assert_eq!(code, "VALIDATION");
    // and so is giving a BOM an assembly part that its own lines use below
    let loose = bom(
        &app,
        &t,
        json!({"name": "Loose", "lines": [{"partId": b, "quantity": "1"}]}),
    )
    .await;
    let (code, _) = fails(
        &app,
        &t,
        "mutation($b: ID!, $p: ID!) { updateBom(id: $b, input: {assemblyPartId: $p}) { id } }",
        json!({"b": loose, "p": c}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let _ = bom_a;
}

#[tokio::test]
async fn validated_follows_the_checksum() {
    let (app, t) = app_with_admin().await;
    let r = named_part(&app, &t, "R").await;
    let r2 = named_part(&app, &t, "R2").await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(
        &app,
        &t,
        &b,
        json!({"partId": r, "quantity": "1", "reference": "R1"}),
    )
    .await;
    let validate =
        "mutation($l: ID!, $v: Boolean!) { validateBomLine(id: $l, valid: $v) { validated } }";
    assert_eq!(
        app.data(&t, validate, json!({"l": l, "v": true})).await["validateBomLine"]["validated"],
        true
    );
    // a field outside the checksum keeps it valid
    assert_eq!(
        app.data(&t, UPDATE, json!({"l": l, "i": {"note": "checked"}}))
            .await["updateBomLine"]["validated"],
        true
    );
    // every hashed field un-validates it
    for change in [
        json!({"quantity": "2"}),
        json!({"reference": "R9"}),
        json!({"optional": true}),
        json!({"consumable": true}),
        json!({"inherited": false}),
        json!({"allowVariants": true}),
        json!({"partId": r2}),
    ] {
        app.data(&t, validate, json!({"l": l, "v": true})).await;
        let got = app
            .data(&t, UPDATE, json!({"l": l, "i": change.clone()}))
            .await;
        assert_eq!(got["updateBomLine"]["validated"], false, "{change}");
    }
    app.data(&t, validate, json!({"l": l, "v": true})).await;
    assert_eq!(
        app.data(&t, validate, json!({"l": l, "v": false})).await["validateBomLine"]["validated"],
        false
    );
}

#[tokio::test]
async fn substitutes() {
    let (app, t) = app_with_admin().await;
    let r = named_part(&app, &t, "R").await;
    let s1 = named_part(&app, &t, "S1").await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    let add = "mutation($l: ID!, $p: ID!) { addSubstitute(bomLineId: $l, partId: $p) { id part { name } bomLine { id } } }";
    let sub = app.data(&t, add, json!({"l": l, "p": s1})).await["addSubstitute"].clone();
    assert_eq!(sub["part"]["name"], "S1");
    assert_eq!(sub["bomLine"]["id"], l);
    let (code, err) = fails(&app, &t, add, json!({"l": l, "p": s1})).await;
    assert_eq!(code, "VALIDATION");
    assert!(
        err["extensions"]["fields"]["nonFieldErrors"].is_array(),
        "{err}"
    );
    let (code, err) = fails(&app, &t, add, json!({"l": l, "p": r})).await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["partId"].is_array(), "{err}");
    let got = app
        .data(
            &t,
            "query($s: ID!) { substitute(id: $s) { part { name } } }",
            json!({"s": sub["id"]}),
        )
        .await;
    assert_eq!(got["substitute"]["part"]["name"], "S1");
    app.data(
        &t,
        "mutation($s: ID!) { removeSubstitute(id: $s) }",
        json!({"s": sub["id"]}),
    )
    .await;
    let got = app
        .data(
            &t,
            "query($l: ID!) { bomLine(id: $l) { substitutes { id } } }",
            json!({"l": l}),
        )
        .await;
    assert_eq!(got["bomLine"]["substitutes"], json!([]));
}

#[tokio::test]
async fn remove_line() {
    let (app, t) = app_with_admin().await;
    let r = named_part(&app, &t, "R").await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    app.data(
        &t,
        "mutation($l: ID!) { removeBomLine(id: $l) }",
        json!({"l": l}),
    )
    .await;
    let (code, _) = fails(
        &app,
        &t,
        "query($l: ID!) { bomLine(id: $l) { id } }",
        json!({"l": l}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
}

#[tokio::test]
async fn computed_figures() {
    let (app, t) = app_with_admin().await;
    let tmpl = part(
        &app,
        &t,
        json!({"name": "Cap", "isTemplate": true, "inStock": "100", "allocated": "30", "onOrder": "7", "building": "2", "externalStock": "11",
               "offers": [{"supplier": "A", "currency": "USD", "priceBreaks": [{"quantity": "1", "unitPrice": "0.10"}, {"quantity": "100", "unitPrice": "0.04"}]},
                          {"supplier": "B", "currency": "USD", "priceBreaks": [{"quantity": "1", "unitPrice": "0.12"}]},
                          {"supplier": "C", "currency": "EUR", "priceBreaks": [{"quantity": "1", "unitPrice": "0.01"}]}]}),
    )
    .await;
    let v1 = part(
        &app,
        &t,
        json!({"name": "Cap X7R", "variantOf": tmpl, "inStock": "5"}),
    )
    .await;
    part(
        &app,
        &t,
        json!({"name": "Cap X7R tape", "variantOf": v1, "inStock": "3", "allocated": "5"}),
    )
    .await;
    part(
        &app,
        &t,
        json!({"name": "Cap X5R", "variantOf": tmpl, "inStock": "8", "allocated": "1"}),
    )
    .await;
    let s = part(
        &app,
        &t,
        json!({"name": "Other cap", "inStock": "40", "allocated": "15"}),
    )
    .await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(
        &app,
        &t,
        &b,
        json!({"partId": tmpl, "quantity": "10", "allowVariants": true}),
    )
    .await;
    app.data(
        &t,
        "mutation($l: ID!, $p: ID!) { addSubstitute(bomLineId: $l, partId: $p) { id } }",
        json!({"l": l, "p": s}),
    )
    .await;
    let q = "query($l: ID!) { bomLine(id: $l) { availableStock availableSubstituteStock availableVariantStock onOrder building externalStock
               pricingMin pricingMax pricingMinTotal pricingMaxTotal pricingCurrency } }";
    let f = app.data(&t, q, json!({"l": l})).await["bomLine"].clone();
    assert_eq!(f["availableStock"], "70");
    assert_eq!(f["availableSubstituteStock"], "25");
    // 5 + 0 (3 in stock, 5 allocated) + 7, at every depth
    assert_eq!(f["availableVariantStock"], "12");
    assert_eq!(f["onOrder"], "7");
    assert_eq!(f["building"], "2");
    assert_eq!(f["externalStock"], "11");
    assert_eq!(f["pricingMin"], "0.04");
    assert_eq!(f["pricingMax"], "0.12");
    assert_eq!(f["pricingMinTotal"], "0.4");
    assert_eq!(f["pricingMaxTotal"], "1.2");
    assert_eq!(f["pricingCurrency"], "USD");
    // without allow_variants, variant stock does not count
    app.data(&t, UPDATE, json!({"l": l, "i": {"allowVariants": false}}))
        .await;
    assert_eq!(
        app.data(&t, q, json!({"l": l})).await["bomLine"]["availableVariantStock"],
        "0"
    );
}

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
    let tmpl = part(
        &app,
        &t,
        json!({"name": "Widget", "isTemplate": true, "assembly": true}),
    )
    .await;
    let variant = part(
        &app,
        &t,
        json!({"name": "Widget blue", "variantOf": tmpl, "assembly": true}),
    )
    .await;
    let res = part(
        &app,
        &t,
        json!({"name": "Resistor", "description": "thick film", "inStock": "5",
        "offers": [{"supplier": "A", "priceBreaks": [{"quantity": "1", "unitPrice": "0.1"}]}]}),
    )
    .await;
    let cap = part(
        &app,
        &t,
        json!({"name": "Capacitor", "keywords": "ceramic", "onOrder": "3"}),
    )
    .await;
    let chip = part(
        &app,
        &t,
        json!({"name": "Chip", "trackable": true, "assembly": true}),
    )
    .await;
    let alt = named_part(&app, &t, "Alt resistor").await;
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
    let r1 = app
        .data(
            &t,
            "{ bomLines(filter: {search: \"R1\"}) { nodes { id } } }",
            json!({}),
        )
        .await["bomLines"]["nodes"][0]["id"]
        .clone();
    app.data(
        &t,
        "mutation($l: ID!, $p: ID!) { addSubstitute(bomLineId: $l, partId: $p) { id } }",
        json!({"l": r1, "p": alt}),
    )
    .await;
    app.data(
        &t,
        "mutation($l: ID!) { validateBomLine(id: $l, valid: true) { id } }",
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

/// Two writers each adding half of a loop at the same moment: one of them is refused.
#[tokio::test]
async fn concurrent_halves_of_a_loop_do_not_both_pass() {
    let (app, t) = app_with_admin().await;
    for round in 0..20 {
        let a = named_part(&app, &t, &format!("A{round}")).await;
        let b = named_part(&app, &t, &format!("B{round}")).await;
        let bom_a = bom(&app, &t, json!({"name": "A", "assemblyPartId": a})).await;
        let bom_b = bom(&app, &t, json!({"name": "B", "assemblyPartId": b})).await;
        let (first, second) = tokio::join!(
            app.gql(
                &t,
                ADD_LINE,
                json!({"b": bom_a, "i": {"partId": b, "quantity": "1"}})
            ),
            app.gql(
                &t,
                ADD_LINE,
                json!({"b": bom_b, "i": {"partId": a, "quantity": "1"}})
            ),
        );
        let added = [&first, &second]
            .iter()
            .filter(|r| r.get("errors").is_none())
            .count();
        assert_eq!(added, 1, "round {round}: {first} {second}");
    }
}
