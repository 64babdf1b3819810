//! The number of SQL statements of one request does not grow with the number of lines.
use serde_json::json;
use tests::TestApp;

use crate::fixtures::{app_with_admin, bom, part};

const QUERY: &str = "query($b: ID!) { bom(id: $b) { name assemblyPart { name } lines {
  quantity reference validated
  part { name mpn offers { supplier priceBreaks { quantity unitPrice } } }
  substitutes { part { name offers { supplier priceBreaks { quantity unitPrice } } } }
  availableStock availableSubstituteStock availableVariantStock onOrder building externalStock
  pricingMin pricingMax pricingMinTotal pricingMaxTotal
} } }";

/// A BOM of `n` lines, each with its own part and two substitutes, every part with an offer
/// and two price breaks; returns the statements one query for all of it runs.
async fn statements_for(app: &TestApp, token: &str, n: usize) -> (u64, usize) {
    let offers = json!([{"supplier": "S", "priceBreaks": [{"quantity": "1", "unitPrice": "0.1"}, {"quantity": "100", "unitPrice": "0.05"}]}]);
    let asm = part(
        app,
        token,
        json!({"name": format!("Assembly {n}"), "assembly": true}),
    )
    .await;
    let mut lines = Vec::new();
    let mut subs = Vec::new();
    for i in 0..n {
        let p = part(
            app,
            token,
            json!({"name": format!("P{n}-{i}"), "inStock": "5", "offers": offers}),
        )
        .await;
        let s1 = part(
            app,
            token,
            json!({"name": format!("S{n}-{i}-a"), "inStock": "1", "offers": offers}),
        )
        .await;
        let s2 = part(
            app,
            token,
            json!({"name": format!("S{n}-{i}-b"), "inStock": "2", "offers": offers}),
        )
        .await;
        lines.push(json!({"partId": p, "quantity": "2", "allowVariants": true}));
        subs.push((s1, s2));
    }
    let b = bom(
        app,
        token,
        json!({"name": format!("Big {n}"), "assemblyPartId": asm, "lines": lines}),
    )
    .await;
    let ids = app
        .data(
            token,
            "query($b: ID!) { bom(id: $b) { lines { id } } }",
            json!({"b": b}),
        )
        .await;
    for (line, (s1, s2)) in ids["bom"]["lines"].as_array().unwrap().iter().zip(subs) {
        for s in [s1, s2] {
            app.data(
                token,
                "mutation($l: ID!, $p: ID!) { addSubstitute(bomLineId: $l, partId: $p) { id } }",
                json!({"l": line["id"], "p": s}),
            )
            .await;
        }
    }
    let before = app.statements();
    let got = app.data(token, QUERY, json!({"b": b})).await;
    let used = app.statements() - before;
    let lines = got["bom"]["lines"].as_array().unwrap();
    assert!(lines
        .iter()
        .all(|l| l["substitutes"].as_array().unwrap().len() == 2));
    assert!(lines.iter().all(|l| l["part"]["offers"][0]["priceBreaks"]
        .as_array()
        .unwrap()
        .len()
        == 2));
    assert!(lines
        .iter()
        .all(|l| l["availableSubstituteStock"] == "3" && l["pricingMinTotal"] == "0.1"));
    (used, lines.len())
}

#[tokio::test]
async fn statement_count_is_constant_in_the_number_of_lines() {
    let (mut app, t) = app_with_admin().await;
    // the job worker's polling would count too
    app.stop_worker().await;
    let (small, n_small) = statements_for(&app, &t, 20).await;
    let (large, n_large) = statements_for(&app, &t, 200).await;
    assert_eq!((n_small, n_large), (20, 200));
    println!("statements for one BOM query: 20 lines = {small}, 200 lines = {large}");
    assert!(large <= 8, "200 lines took {large} statements");
    assert_eq!(
        small, large,
        "statement count must not depend on the line count"
    );
}
