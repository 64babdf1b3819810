//! Program availability and reference pricing against hand-computed figures.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::builders::{
    app_with_admin, bom, line_with_reference, program, queue_availability, substitute, Part,
};
use tests::fails;

struct Setup {
    program: Value,
    ids: std::collections::HashMap<&'static str, String>,
}

/// Top BOM x5: sub-assembly SA x2 (its BOM: A x2 with 10% overage, E x3), B x1,
/// C x4 (substitute D), an unmatched line x1, and a do-not-place line of A x5.
async fn setup(app: &tests::TestApp, t: &str) -> Setup {
    let mut ids = std::collections::HashMap::new();
    let a = Part::named("A").with(json!({"inStock": "100", "allocated": "10", "offers": [
        {"supplier": "S1", "stock": "1000", "moq": "10", "orderMultiple": "5", "currency": "USD",
         "priceBreaks": [{"quantity": "1", "unitPrice": "0.10"}, {"quantity": "100", "unitPrice": "0.08"}, {"quantity": "1000", "unitPrice": "0.05"}]},
        {"supplier": "S2", "stock": "50", "moq": "1", "orderMultiple": "1", "currency": "USD",
         "priceBreaks": [{"quantity": "1", "unitPrice": "0.12"}]}]})).create(app, t).await;
    let b = Part::named("B").create(app, t).await;
    let c = Part::named("C")
        .with(json!({"inStock": "5"}))
        .create(app, t)
        .await;
    let d = Part::named("D")
        .with(json!({"inStock": "20"}))
        .create(app, t)
        .await;
    let e = Part::named("E").with(json!({"offers": [{"supplier": "S3", "stock": "10", "currency": "USD", "priceBreaks": [{"quantity": "1", "unitPrice": "1.00"}]}]})).create(app, t).await;
    let f = Part::named("F")
        .with(json!({"inStock": "1000"}))
        .create(app, t)
        .await;
    let sa = Part::named("SA").assembly().create(app, t).await;
    bom(
        app,
        t,
        json!({"name": "SA", "assemblyPartId": sa, "lines": [
        {"partId": a, "quantity": "2", "overage": "10%"}, {"partId": e, "quantity": "3"}]}),
    )
    .await;
    let top = bom(app, t, json!({"name": "Top", "lines": [
        {"partId": sa, "quantity": "2"}, {"partId": b, "quantity": "1"}, {"partId": c, "quantity": "4", "reference": "C"},
        {"quantity": "1", "mpn": "UNKNOWN-1"}, {"partId": a, "quantity": "5", "doNotPlace": true}]})).await;
    let c_line = line_with_reference(app, t, &top, "C").await;
    substitute(app, t, &c_line, &d).await;
    let program = program(app, t, "Run").await;
    build(app, t, &program, &top, "5").await;
    for (k, v) in [("A", a), ("B", b), ("C", c), ("D", d), ("E", e), ("F", f)] {
        ids.insert(k, v);
    }
    Setup { program, ids }
}

/// Adds `bom` to `program`, built `quantity` times.
async fn build(app: &tests::TestApp, t: &str, program: &Value, bom: &str, quantity: &str) {
    app.data(
        t,
        "mutation($p: ID!, $b: ID!, $q: Decimal!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: $q}) { programLine { id } } }",
        json!({"p": program, "b": bom, "q": quantity}),
    )
    .await;
}

const AVAIL: &str = "query($p: ID!) { programAvailability(programId: $p) { excludedPartIds parts {
  name demand onHand substituteOnHand supplierStock toBuy shortfall status reason } } }";

fn row<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["programAvailability"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name}: {report}"))
}

#[tokio::test]
async fn availability_by_hand() {
    let (app, t) = app_with_admin().await;
    let s = setup(&app, &t).await;
    let r = app.data(&t, AVAIL, json!({"p": s.program})).await;
    // SA: 5 x 2 = 10 units; A: 10 x 2 = 20 + 10% = 22; the do-not-place line needs nothing
    let a = row(&r, "A");
    assert_eq!(
        (
            a["demand"].as_str(),
            a["onHand"].as_str(),
            a["status"].as_str()
        ),
        (Some("22"), Some("90"), Some("on_hand"))
    );
    let b = row(&r, "B");
    assert_eq!(
        (
            b["demand"].as_str(),
            b["status"].as_str(),
            b["shortfall"].as_str()
        ),
        (Some("5"), Some("needs_rfq"), Some("5"))
    );
    // C: 20 needed, 5 on hand, and 15 of the 20 of its substitute D
    let c = row(&r, "C");
    assert_eq!(
        (
            c["demand"].as_str(),
            c["substituteOnHand"].as_str(),
            c["toBuy"].as_str(),
            c["status"].as_str()
        ),
        (Some("20"), Some("15"), Some("0"), Some("on_hand"))
    );
    // E: 10 x 3 = 30, none on hand, suppliers hold 10
    let e = row(&r, "E");
    assert_eq!(
        (
            e["demand"].as_str(),
            e["toBuy"].as_str(),
            e["shortfall"].as_str(),
            e["status"].as_str()
        ),
        (Some("30"), Some("30"), Some("20"), Some("shortage"))
    );
    assert!(e["reason"]
        .as_str()
        .unwrap()
        .contains("suppliers hold only 10"));
    let unmatched = row(&r, "UNKNOWN-1");
    assert_eq!(
        (unmatched["demand"].as_str(), unmatched["status"].as_str()),
        (Some("5"), Some("no_match"))
    );
    assert!(
        r["programAvailability"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["name"] != "SA"),
        "sub-assemblies are exploded"
    );

    // overrides: exclude B, fix E's on-hand figure, replace C by F
    let add = "mutation($i: AddPartOverrideInput!) { addPartOverride(input: $i) { partOverride { id } } }";
    app.data(
        &t,
        add,
        json!({"i": {"programId": s.program, "partId": s.ids["B"], "exclude": true}}),
    )
    .await;
    app.data(
        &t,
        add,
        json!({"i": {"programId": s.program, "partId": s.ids["E"], "onHandQuantity": "25"}}),
    )
    .await;
    app.data(
        &t,
        add,
        json!({"i": {"programId": s.program, "partId": s.ids["C"], "replacementPartId": s.ids["F"]}}),
    )
    .await;
    let r = app.data(&t, AVAIL, json!({"p": s.program})).await;
    assert_eq!(
        r["programAvailability"]["excludedPartIds"],
        json!([s.ids["B"]])
    );
    let e = row(&r, "E");
    assert_eq!(
        (
            e["onHand"].as_str(),
            e["toBuy"].as_str(),
            e["status"].as_str()
        ),
        (Some("25"), Some("5"), Some("buyable"))
    );
    let f = row(&r, "F");
    assert_eq!(
        (f["demand"].as_str(), f["status"].as_str()),
        (Some("20"), Some("on_hand"))
    );
    assert!(r["programAvailability"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["name"] != "C"));

    // the same report from a job
    let job = queue_availability(&app, &t, &s.program).await;
    let done = app.wait_job(&t, &job).await;
    assert_eq!(done["status"], "SUCCEEDED");
    let parts = done["result"]["parts"].as_array().unwrap();
    assert_eq!(
        parts.iter().find(|p| p["name"] == "E").unwrap()["status"],
        "buyable"
    );
}

const PRICING: &str = "query($p: ID!, $q: [Decimal!]) { programReferencePricing(programId: $p, quantities: $q) {
  buildQuantity totals { currency amount } perUnit { currency amount } unpricedPartIds
  parts { name needed purchaseQuantity supplier breakQuantity unitPrice extendedPrice currency reason } } }";

fn price<'a>(at: &'a Value, name: &str) -> &'a Value {
    at["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[tokio::test]
async fn reference_pricing_by_hand() {
    let (app, t) = app_with_admin().await;
    let s = setup(&app, &t).await;
    let r = app
        .data(&t, PRICING, json!({"p": s.program, "q": ["1", "10"]}))
        .await["programReferencePricing"]
        .clone();
    let one = &r[0];
    assert_eq!(one["buildQuantity"], "1");
    // A: 22 needed; S1: moq 10, multiple 5 -> 25 at the 1-break 0.10 = 2.50; S2: 22 x 0.12 = 2.64
    let a = price(one, "A");
    assert_eq!(
        (
            a["needed"].as_str(),
            a["purchaseQuantity"].as_str(),
            a["supplier"].as_str(),
            a["unitPrice"].as_str(),
            a["extendedPrice"].as_str()
        ),
        (Some("22"), Some("25"), Some("S1"), Some("0.1"), Some("2.5"))
    );
    let e = price(one, "E");
    assert_eq!(e["extendedPrice"], "30");
    assert_eq!(
        one["totals"],
        json!([{"currency": "USD", "amount": "32.5"}])
    );
    assert_eq!(
        one["perUnit"],
        json!([{"currency": "USD", "amount": "32.5"}])
    );
    let unpriced: Vec<&str> = one["unpricedPartIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(unpriced.contains(&s.ids["B"].as_str()) && unpriced.contains(&s.ids["C"].as_str()));

    // x10: A = 200 + 20 = 220 -> the 100-break 0.08 = 17.6; E = 300 x 1 = 300
    let ten = &r[1];
    let a = price(ten, "A");
    assert_eq!(
        (
            a["purchaseQuantity"].as_str(),
            a["breakQuantity"].as_str(),
            a["extendedPrice"].as_str()
        ),
        (Some("220"), Some("100"), Some("17.6"))
    );
    assert_eq!(
        ten["totals"],
        json!([{"currency": "USD", "amount": "317.6"}])
    );
    assert_eq!(
        ten["perUnit"],
        json!([{"currency": "USD", "amount": "31.76"}])
    );

    // a fixed unit price from the program wins
    app.data(&t, "mutation($p: ID!, $e: ID!) { addPartOverride(input: {programId: $p, partId: $e, unitPrice: \"0.5\"}) { partOverride { id } } }", json!({"p": s.program, "e": s.ids["E"]})).await;
    let r = app
        .data(&t, PRICING, json!({"p": s.program, "q": ["1"]}))
        .await["programReferencePricing"]
        .clone();
    assert_eq!(price(&r[0], "E")["extendedPrice"], "15");
    assert_eq!(
        r[0]["totals"],
        json!([{"currency": "USD", "amount": "17.5"}])
    );

    // a fixed price keeps its own currency; on a replaced part it prices the replacement
    let add = "mutation($i: AddPartOverrideInput!) { addPartOverride(input: $i) { partOverride { id currency } } }";
    let (code, err) = fails(
        &app,
        &t,
        add,
        json!({"i": {"programId": s.program, "partId": s.ids["B"], "unitPrice": "2", "currency": "eur"}}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["currency"].is_array(), "{err}");
    let b = app
        .data(
            &t,
            add,
            json!({"i": {"programId": s.program, "partId": s.ids["B"], "unitPrice": "2", "currency": "EUR"}}),
        )
        .await;
    assert_eq!(b["addPartOverride"]["partOverride"]["currency"], "EUR");
    app.data(
        &t,
        add,
        json!({"i": {"programId": s.program, "partId": s.ids["C"], "replacementPartId": s.ids["F"], "unitPrice": "0.25", "currency": "GBP"}}),
    )
    .await;
    let r = app
        .data(&t, PRICING, json!({"p": s.program, "q": ["1"]}))
        .await["programReferencePricing"]
        .clone();
    // B: 5 at 2 EUR; C's demand of 20 goes to F, at 0.25 GBP
    assert_eq!(
        (
            price(&r[0], "B")["extendedPrice"].as_str(),
            price(&r[0], "B")["currency"].as_str()
        ),
        (Some("10"), Some("EUR"))
    );
    assert_eq!(
        (
            price(&r[0], "F")["extendedPrice"].as_str(),
            price(&r[0], "F")["currency"].as_str()
        ),
        (Some("5"), Some("GBP"))
    );
    assert_eq!(
        r[0]["totals"],
        json!([{"currency": "EUR", "amount": "10"}, {"currency": "GBP", "amount": "5"}, {"currency": "USD", "amount": "17.5"}])
    );
    let defaults = app
        .data(
            &t,
            "query($p: ID!) { programReferencePricing(programId: $p) { buildQuantity } }",
            json!({"p": s.program}),
        )
        .await;
    assert_eq!(
        defaults["programReferencePricing"],
        json!([{"buildQuantity": "1"}, {"buildQuantity": "10"}, {"buildQuantity": "100"}, {"buildQuantity": "1000"}])
    );
}

/// Stock, prices and quantities are bounded where they come in, so no figure computed from
/// them can overflow: each surface refuses an out-of-range value and stores nothing.
#[tokio::test]
async fn amounts_beyond_the_bound_are_refused() {
    let (app, t) = app_with_admin().await;
    let huge = "50000000000000000000000000000";
    let over = "1000000000001";
    for input in [
        json!({"name": "P", "inStock": over}),
        json!({"name": "P", "offers": [{"supplier": "S", "stock": huge, "currency": "USD"}]}),
        json!({"name": "P", "offers": [{"supplier": "S", "moq": over, "currency": "USD"}]}),
        json!({"name": "P", "offers": [{"supplier": "S", "currency": "USD",
            "priceBreaks": [{"quantity": "1", "unitPrice": huge}]}]}),
        json!({"name": "P", "offers": [{"supplier": "S", "currency": "USD",
            "priceBreaks": [{"quantity": over, "unitPrice": "1"}]}]}),
    ] {
        let (code, err) = fails(
            &app,
            &t,
            "mutation($i: CreatePartInput!) { createPart(input: $i) { part { id } } }",
            json!({"i": input}),
        )
        .await;
        assert_eq!(code, "VALIDATION", "{input}: {err}");
    }
    assert_eq!(
        app.data(&t, "{ parts { totalCount } }", json!({})).await["parts"]["totalCount"],
        0
    );

    let a = Part::named("A").create(&app, &t).await;
    let top = bom(
        &app,
        &t,
        json!({"name": "Top", "lines": [{"partId": a, "quantity": "2"}]}),
    )
    .await;
    let (code, _) = fails(
        &app,
        &t,
        "query($b: ID!, $q: Decimal!) { bomExplosion(bomId: $b, quantity: $q) { quantity } }",
        json!({"b": top, "q": huge}),
    )
    .await;
    assert_eq!(code, "VALIDATION");

    let program = program(&app, &t, "Run").await;
    for field in ["onHandQuantity", "unitPrice"] {
        let (code, _) = fails(
            &app,
            &t,
            "mutation($i: AddPartOverrideInput!) { addPartOverride(input: $i) { partOverride { id } } }",
            json!({"i": {"programId": program, "partId": a, field: huge}}),
        )
        .await;
        assert_eq!(code, "VALIDATION", "{field}");
    }

    // A raw line that sums into an existing one cannot grow past the bound either.
    let max = "1000000000000";
    Part::named("X")
        .with(json!({"mpn": "X-1"}))
        .create(&app, &t)
        .await;
    let body = json!({"mpn": "X-1", "quantity": max});
    let created = app
        .rest(Method::POST, "/v1/boms/", &t, Some(json!({"name": "Raw"})))
        .await
        .json();
    let path = format!("/v1/boms/{}/lines/raw/", created["id"]);
    let first = app.rest(Method::POST, &path, &t, Some(body.clone())).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = app.rest(Method::POST, &path, &t, Some(body)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.text());
    assert!(again.json()["quantity"].is_array(), "{}", again.text());
    let lines = app
        .rest(Method::GET, &path.replace("raw/", ""), &t, None)
        .await
        .json();
    assert_eq!(lines["results"][0]["quantity"], max, "{lines}");
}

/// A substitute's stock is shared: it covers its own direct demand first, then the parts it
/// stands in for, and no unit is counted twice.
#[tokio::test]
async fn substitute_stock_is_one_pool() {
    let (app, t) = app_with_admin().await;
    let c = Part::named("C")
        .with(json!({"inStock": "5"}))
        .create(&app, &t)
        .await;
    let g = Part::named("G").create(&app, &t).await;
    let d = Part::named("D")
        .with(json!({"inStock": "20"}))
        .create(&app, &t)
        .await;
    let top = bom(&app, &t, json!({"name": "Top", "lines": [
        {"partId": c, "quantity": "4"}, {"partId": g, "quantity": "2"}, {"partId": d, "quantity": "1"}]}))
    .await;
    let lines = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { lines { id part { id } } } }",
            json!({"b": top}),
        )
        .await;
    for l in lines["bom"]["lines"].as_array().unwrap() {
        if l["part"]["id"] != json!(d) {
            substitute(&app, &t, l["id"].as_str().unwrap(), &d).await;
        }
    }
    let program = program(&app, &t, "Run").await;
    build(&app, &t, &program, &top, "5").await;
    let r = app.data(&t, AVAIL, json!({"p": program})).await;
    let figures = |name: &str| {
        let p = row(&r, name);
        (
            p["demand"].as_str().unwrap().to_owned(),
            p["substituteOnHand"].as_str().unwrap().to_owned(),
            p["toBuy"].as_str().unwrap().to_owned(),
        )
    };
    // D: 5 of its 20 for itself, 15 left; C needs 20 - 5 = 15 more and takes them all
    assert_eq!(figures("D"), ("5".into(), "0".into(), "0".into()));
    assert_eq!(figures("C"), ("20".into(), "15".into(), "0".into()));
    assert_eq!(figures("G"), ("10".into(), "0".into(), "10".into()));
}
