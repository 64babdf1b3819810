use serde_json::json;

use tests::builders::{app_with_admin, bom, Part};
use tests::fails;

#[tokio::test]
async fn part_crud_with_offers() {
    let (app, t) = app_with_admin().await;
    let id = Part::named("MCU").with(json!({"ipn": "IC-001", "mpn": "STM32G031", "manufacturer": "ST", "trackable": true,
            "inStock": "10", "allocated": "4", "onOrder": "100",
            "offers": [{"supplier": "Mouser", "sku": "M-1", "stock": "500", "moq": "10", "orderMultiple": "5",
                        "currency": "EUR", "priceBreaks": [{"quantity": "1", "unitPrice": "2.5"}, {"quantity": "100", "unitPrice": "1.75"}]}]})).create(&app, &t)
    .await;
    let q = "query($id: ID!) { part(id: $id) { name ipn mpn manufacturer trackable active component availableStock onOrder
              offers { supplier sku stock moq orderMultiple currency priceBreaks { quantity unitPrice } } } }";
    let got = app.data(&t, q, json!({"id": id})).await["part"].clone();
    assert_eq!(got["name"], "MCU");
    assert_eq!(got["trackable"], true);
    assert_eq!(got["active"], true, "parts are active by default");
    assert_eq!(got["availableStock"], "6");
    assert_eq!(got["offers"][0]["moq"], "10");
    assert_eq!(got["offers"][0]["priceBreaks"][1]["unitPrice"], "1.75");

    let upd = app
        .data(
            &t,
            "mutation($id: ID!) { updatePart(input: {id: $id, description: \"32-bit\", offers: []}) { part { description name offers { id } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(upd["updatePart"]["part"]["description"], "32-bit");
    assert_eq!(
        upd["updatePart"]["part"]["name"], "MCU",
        "omitted fields keep their value"
    );
    assert_eq!(upd["updatePart"]["part"]["offers"], json!([]));

    app.data(
        &t,
        "mutation($id: ID!) { deletePart(input: {id: $id}) { deletedId } }",
        json!({"id": id}),
    )
    .await;
    let (code, _) = fails(
        &app,
        &t,
        "query($id: ID!) { part(id: $id) { id } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
}

#[tokio::test]
async fn part_validation() {
    let (app, t) = app_with_admin().await;
    let (code, err) = fails(
        &app,
        &t,
        "mutation { createPart(input: {name: \"  \"}) { part { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["name"].is_array(), "{err}");
    let (code, err) = fails(
        &app,
        &t,
        "mutation { createPart(input: {name: \"x\", inStock: \"-1\"}) { part { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["inStock"].is_array(), "{err}");
    let (code, _) = fails(
        &app,
        &t,
        "mutation { createPart(input: {name: \"x\", offers: [{supplier: \"A\", currency: \"euro\"}]}) { part { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let (code, _) = fails(
        &app,
        &t,
        "mutation { updatePart(input: {id: \"abc\"}) { part { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert_eq!(
        app.data(&t, "{ parts { totalCount } }", json!({})).await["parts"]["totalCount"],
        0
    );
}

#[tokio::test]
async fn variant_tree_cannot_loop() {
    let (app, t) = app_with_admin().await;
    let a = Part::named("A").create(&app, &t).await;
    let b = Part::named("B")
        .with(json!({"variantOf": a}))
        .create(&app, &t)
        .await;
    let (code, _) = fails(
        &app,
        &t,
        "mutation($a: ID!, $b: ID!) { updatePart(input: {id: $a, variantOf: $b}) { part { id } } }",
        json!({"a": a, "b": b}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let (code, _) = fails(
        &app,
        &t,
        "mutation($a: ID!) { updatePart(input: {id: $a, variantOf: $a}) { part { id } } }",
        json!({"a": a}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let got = app
        .data(
            &t,
            "query($b: ID!) { part(id: $b) { variantOf { name } } }",
            json!({"b": b}),
        )
        .await;
    assert_eq!(got["part"]["variantOf"]["name"], "A");
}

#[tokio::test]
async fn part_in_use_cannot_be_deleted() {
    let (app, t) = app_with_admin().await;
    let p = Part::named("R1").create(&app, &t).await;
    bom(
        &app,
        &t,
        json!({"name": "B", "lines": [{"partId": p, "quantity": "1"}]}),
    )
    .await;
    let (code, err) = fails(
        &app,
        &t,
        "mutation($id: ID!) { deletePart(input: {id: $id}) { deletedId } }",
        json!({"id": p}),
    )
    .await;
    assert_eq!(code, "CONFLICT");
    let msg = err["message"].as_str().unwrap();
    assert!(
        msg.contains("1 BOM lines") && !msg.to_lowercase().contains("sql"),
        "{msg}"
    );
}

#[tokio::test]
async fn parts_search_and_flags() {
    let (app, t) = app_with_admin().await;
    Part::named("Resistor 10k")
        .with(json!({"keywords": "smd passive", "ipn": "R-10K"}))
        .create(&app, &t)
        .await;
    Part::named("Resistor 1k")
        .with(json!({"keywords": "tht", "active": false}))
        .create(&app, &t)
        .await;
    Part::named("Board").assembly().create(&app, &t).await;
    Part::named("Trimmer 10%").create(&app, &t).await;
    Part::named("Shunt 4.7kΩ").create(&app, &t).await;
    let q = "query($f: PartFilterInput) { parts(filter: $f) { totalCount nodes { name } } }";
    let names = |v: serde_json::Value| {
        v["parts"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(app.data(&t, q, json!({"f": {"search": "resistor"}})).await),
        ["Resistor 10k", "Resistor 1k"]
    );
    assert_eq!(
        names(
            app.data(&t, q, json!({"f": {"search": "RESISTOR, smd"}}))
                .await
        ),
        ["Resistor 10k"]
    );
    assert_eq!(
        names(app.data(&t, q, json!({"f": {"search": "r-10k"}})).await),
        ["Resistor 10k"]
    );
    assert_eq!(
        names(app.data(&t, q, json!({"f": {"search": "10%"}})).await),
        ["Trimmer 10%"],
        "% matches itself, not any text"
    );
    for term in ["Ω", "4.7KΩ", "shunt 4.7kΩ"] {
        assert_eq!(
            names(app.data(&t, q, json!({"f": {"search": term}})).await),
            ["Shunt 4.7kΩ"],
            "{term}: the exact text matches, ASCII letters in any case"
        );
    }
    assert_eq!(
        names(app.data(&t, q, json!({"f": {"active": false}})).await),
        ["Resistor 1k"]
    );
    assert_eq!(
        names(app.data(&t, q, json!({"f": {"assembly": true}})).await),
        ["Board"]
    );
}

/// Quantities and prices are exact on every backend.
#[tokio::test]
async fn decimals_round_trip_exactly() {
    let (app, t) = app_with_admin().await;
    let p = Part::named("P").with(json!({"inStock": "98765432.000001",
               "offers": [{"supplier": "S", "priceBreaks": [{"quantity": "1", "unitPrice": "0.000123"}]}]})).create(&app, &t)
    .await;
    let b = bom(
        &app,
        &t,
        json!({"name": "B", "lines": [{"partId": p, "quantity": "12345678.12345"}]}),
    )
    .await;
    let got = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { lines { quantity pricingMin pricingMinTotal part { inStock offers { priceBreaks { unitPrice } } } } } }",
            json!({"b": b}),
        )
        .await;
    let line = &got["bom"]["lines"][0];
    assert_eq!(line["quantity"], "12345678.12345");
    assert_eq!(line["part"]["inStock"], "98765432.000001");
    assert_eq!(
        line["part"]["offers"][0]["priceBreaks"][0]["unitPrice"],
        "0.000123"
    );
    assert_eq!(line["pricingMin"], "0.000123");
    assert_eq!(line["pricingMinTotal"], "1518.51840918435");
}
