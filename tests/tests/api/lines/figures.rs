//! The figures a line computes: stock of the part, its substitutes and variants, pricing.
use serde_json::json;
use tests::builders::{app_with_admin, bom, line, substitute, Part};

use super::UPDATE;

#[tokio::test]
async fn computed_figures() {
    let (app, t) = app_with_admin().await;
    let tmpl = Part::named("Cap").with(json!({"isTemplate": true, "inStock": "100", "allocated": "30", "onOrder": "7", "building": "2", "externalStock": "11",
               "offers": [{"supplier": "A", "currency": "USD", "priceBreaks": [{"quantity": "1", "unitPrice": "0.10"}, {"quantity": "100", "unitPrice": "0.04"}]},
                          {"supplier": "B", "currency": "USD", "priceBreaks": [{"quantity": "1", "unitPrice": "0.12"}]},
                          {"supplier": "C", "currency": "EUR", "priceBreaks": [{"quantity": "1", "unitPrice": "0.01"}]}]})).create(&app, &t)
    .await;
    let v1 = Part::named("Cap X7R")
        .with(json!({"variantOf": tmpl, "inStock": "5"}))
        .create(&app, &t)
        .await;
    Part::named("Cap X7R tape")
        .with(json!({"variantOf": v1, "inStock": "3", "allocated": "5"}))
        .create(&app, &t)
        .await;
    Part::named("Cap X5R")
        .with(json!({"variantOf": tmpl, "inStock": "8", "allocated": "1"}))
        .create(&app, &t)
        .await;
    let s = Part::named("Other cap")
        .with(json!({"inStock": "40", "allocated": "15"}))
        .create(&app, &t)
        .await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(
        &app,
        &t,
        &b,
        json!({"partId": tmpl, "quantity": "10", "allowVariants": true}),
    )
    .await;
    substitute(&app, &t, &l, &s).await;
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
    app.data(&t, UPDATE, json!({"i": {"id": l, "allowVariants": false}}))
        .await;
    assert_eq!(
        app.data(&t, q, json!({"l": l})).await["bomLine"]["availableVariantStock"],
        "0"
    );
}
