//! bomDiff and `GET /v1/boms/{id}/diff/`: every kind of line change, moved designators,
//! multi-level totals, the cost summary, and a statement count that does not grow.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::builders::{
    app_with_admin, approve, bom, line, line_ids, line_with_reference, next_revision, substitute,
    update_line, Part,
};
use tests::TestApp;
use tests::{fails, global_id};

const DIFF: &str = r#"query($f: ID!, $t: ID!, $x: Boolean, $q: Decimal) {
  bomDiff(from: $f, to: $t, exploded: $x, quantity: $q) {
    fromBomId toBomId exploded
    lines { kind fromLineId toLineId partId name fromQuantity toQuantity
            changes { field old new } designatorsAdded designatorsRemoved
            substitutesAdded substitutesRemoved fromLine { id } toLine { id } }
    parts { kind partId name fromQuantity toQuantity part { id } }
    summary { added removed changed unchanged buildQuantity
              costFrom { currency amount } costTo { currency amount } costChange { currency amount }
              unpricedPartIds }
  } }"#;

async fn diff(app: &TestApp, t: &str, from: &str, to: &str, exploded: bool, q: &str) -> Value {
    app.data(t, DIFF, json!({"f": from, "t": to, "x": exploded, "q": q}))
        .await["bomDiff"]
        .clone()
}

fn by_name<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == name)
        .unwrap_or_else(|| panic!("no diff for {name}: {d:#}"))
}

fn changed_fields(l: &Value) -> Vec<(String, String, String)> {
    l["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["old"].as_str().unwrap().to_owned(),
                c["new"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn strs(v: &[&str]) -> Value {
    json!(v)
}

#[tokio::test]
async fn a_diff_names_every_kind_of_line_change() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R 10k").priced("0.01").create(&app, &t).await;
    let c = Part::named("C 100n").priced("0.02").create(&app, &t).await;
    let c_alt = Part::named("C 100n alt")
        .priced("0.03")
        .create(&app, &t)
        .await;
    let u = Part::named("MCU").priced("2").create(&app, &t).await;
    let u2 = Part::named("MCU v2").priced("3").create(&app, &t).await;
    let j = Part::named("USB-C").priced("0.5").create(&app, &t).await;
    let d = Part::named("LED").priced("0.1").create(&app, &t).await;
    let l = Part::named("Crystal").priced("0.25").create(&app, &t).await;
    let lines = json!([
        {"partId": r, "quantity": "4", "reference": "R1-R4"},
        {"partId": c, "quantity": "6", "reference": "C1-C6"},
        {"partId": u, "quantity": "1", "reference": "U1"},
        {"partId": j, "quantity": "1", "reference": "J1"},
        {"partId": d, "quantity": "1", "reference": "D1"},
    ]);
    let a = bom(&app, &t, json!({"name": "Board", "lines": lines})).await;
    substitute(
        &app,
        &t,
        &line_with_reference(&app, &t, &a, "C1-C6").await,
        &c_alt,
    )
    .await;
    let b = next_revision(&app, &t, &a).await;

    // quantity and a designator added
    update_line(
        &app,
        &t,
        &line_with_reference(&app, &t, &b, "R1-R4").await,
        json!({"quantity": "5", "reference": "R1-R5"}),
    )
    .await;
    // substitute removed and note changed
    let b_cap = line_with_reference(&app, &t, &b, "C1-C6").await;
    let sub = app
        .data(
            &t,
            "query($id: ID!) { bomLine(id: $id) { substitutes { id } } }",
            json!({"id": b_cap}),
        )
        .await;
    app.data(
        &t,
        "mutation($id: ID!) { removeSubstitute(input: {id: $id}) { deletedId } }",
        json!({"id": sub["bomLine"]["substitutes"][0]["id"]}),
    )
    .await;
    update_line(&app, &t, &b_cap, json!({"note": "X7R only"})).await;
    // U1 moved to another part
    update_line(
        &app,
        &t,
        &line_with_reference(&app, &t, &b, "U1").await,
        json!({"partId": u2}),
    )
    .await;
    // J1 removed
    app.data(
        &t,
        "mutation($id: ID!) { removeBomLine(input: {id: $id}) { deletedId } }",
        json!({"id": line_with_reference(&app, &t, &b, "J1").await}),
    )
    .await;
    // the flags and overage of D1
    update_line(
        &app,
        &t,
        &line_with_reference(&app, &t, &b, "D1").await,
        json!({"doNotPlace": true, "optional": true, "consumable": true, "overage": "1"}),
    )
    .await;
    // a line added
    line(
        &app,
        &t,
        &b,
        json!({"partId": l, "quantity": "1", "reference": "Y1"}),
    )
    .await;

    let d_ab = diff(&app, &t, &a, &b, false, "10").await;
    assert_eq!(
        (
            d_ab["summary"]["added"].clone(),
            d_ab["summary"]["removed"].clone(),
            d_ab["summary"]["changed"].clone(),
            d_ab["summary"]["unchanged"].clone()
        ),
        (json!(1), json!(1), json!(4), json!(0)),
        "{d_ab:#}"
    );
    let res = by_name(&d_ab, "R 10k");
    assert_eq!(res["kind"], "CHANGED");
    assert_eq!(
        changed_fields(res),
        vec![("quantity".into(), "4".into(), "5".into())]
    );
    assert_eq!(res["designatorsAdded"], strs(&["R5"]));
    assert_eq!(res["designatorsRemoved"], strs(&[]));

    let cap = by_name(&d_ab, "C 100n");
    assert_eq!(
        changed_fields(cap),
        vec![("note".into(), "".into(), "X7R only".into())]
    );
    assert_eq!(cap["substitutesRemoved"], json!([c_alt]));
    assert_eq!(cap["substitutesAdded"], json!([]));

    // the designator U1 moved from MCU to MCU v2: one change of part
    let mcu = by_name(&d_ab, "MCU v2");
    assert_eq!(mcu["kind"], "CHANGED");
    assert_eq!(
        changed_fields(mcu),
        vec![("part".into(), u.clone(), u2.clone())]
    );
    assert!(mcu["fromLine"]["id"].is_string() && mcu["toLine"]["id"].is_string());

    let led = by_name(&d_ab, "LED");
    let mut fields = changed_fields(led);
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("consumable".into(), "false".into(), "true".into()),
            ("do_not_place".into(), "false".into(), "true".into()),
            ("optional".into(), "false".into(), "true".into()),
            ("overage".into(), "".into(), "1".into()),
        ]
    );
    let usb = by_name(&d_ab, "USB-C");
    assert_eq!(usb["kind"], "REMOVED");
    assert!(usb["toLineId"].is_null() && usb["toLine"].is_null());
    assert_eq!(usb["designatorsRemoved"], strs(&["J1"]));
    let xtal = by_name(&d_ab, "Crystal");
    assert_eq!(xtal["kind"], "ADDED");
    assert_eq!(xtal["toQuantity"], "1");

    // costs at 10 units: A = 10 x (4 x 0.01 + 6 x 0.02 + 2 + 0.5 + 0.1) = 27.6;
    // B = 10 x (5 x 0.01 + 6 x 0.02 + 3 + 0.25) = 34.2, the do-not-place LED needing nothing
    assert_eq!(d_ab["summary"]["buildQuantity"], "10");
    assert_eq!(
        d_ab["summary"]["costFrom"],
        json!([{"currency": "USD", "amount": "27.6"}])
    );
    assert_eq!(
        d_ab["summary"]["costTo"],
        json!([{"currency": "USD", "amount": "34.2"}])
    );
    assert_eq!(
        d_ab["summary"]["costChange"],
        json!([{"currency": "USD", "amount": "6.6"}])
    );

    // the other way round, additions and removals swap
    let d_ba = diff(&app, &t, &b, &a, false, "1").await;
    assert_eq!(by_name(&d_ba, "USB-C")["kind"], "ADDED");
    assert_eq!(by_name(&d_ba, "Crystal")["kind"], "REMOVED");
    // a BOM compared with itself has no change
    let same = diff(&app, &t, &a, &a, false, "1").await;
    assert_eq!(same["lines"], json!([]));
    assert_eq!(same["summary"]["unchanged"], 5);

    // REST gives the same comparison: the path's BOM is the new side
    let (a, b) = (app.row_id(&t, &a).await, app.row_id(&t, &b).await);
    let rest = app
        .rest(
            Method::GET,
            &format!("/v1/boms/{b}/diff/?against={a}&quantity=10"),
            &t,
            None,
        )
        .await;
    assert_eq!(rest.status, StatusCode::OK, "{}", rest.text());
    let rest = rest.json();
    assert_eq!(rest["summary"]["changed"], 4);
    assert_eq!(rest["summary"]["cost_change"], json!({"USD": "6.6"}));
    let moved = rest["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "MCU v2")
        .unwrap();
    assert_eq!(moved["kind"], "changed");
    let (u, u2) = (app.row_id(&t, &u).await, app.row_id(&t, &u2).await);
    assert_eq!(
        moved["changes"],
        json!([{"field": "part", "old": u.to_string(), "new": u2.to_string()}])
    );
}

#[tokio::test]
async fn an_exploded_diff_compares_multi_level_totals() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").priced("0.01").create(&app, &t).await;
    let c = Part::named("C").priced("0.02").create(&app, &t).await;
    let k = Part::named("Case").priced("1").create(&app, &t).await;
    let board = Part::named("Board").assembly().create(&app, &t).await;
    let unit = Part::named("Unit").assembly().create(&app, &t).await;
    let sub = bom(&app, &t, json!({"name": "Board", "assemblyPartId": board})).await;
    line(&app, &t, &sub, json!({"partId": r, "quantity": "3"})).await;
    line(&app, &t, &sub, json!({"partId": c, "quantity": "2"})).await;
    approve(&app, &t, &sub).await;
    let lines = json!([
        {"partId": board, "quantity": "2", "reference": "A1 A2"},
        {"partId": k, "quantity": "1", "reference": "K1"},
    ]);
    let a = bom(
        &app,
        &t,
        json!({"name": "Unit", "assemblyPartId": unit, "lines": lines}),
    )
    .await;
    let b = next_revision(&app, &t, &a).await;
    update_line(
        &app,
        &t,
        &line_with_reference(&app, &t, &b, "A1 A2").await,
        json!({"quantity": "3", "reference": "A1 A2 A3"}),
    )
    .await;
    app.data(
        &t,
        "mutation($id: ID!) { removeBomLine(input: {id: $id}) { deletedId } }",
        json!({"id": line_with_reference(&app, &t, &b, "K1").await}),
    )
    .await;

    let d = diff(&app, &t, &a, &b, true, "2").await;
    assert_eq!(d["exploded"], true);
    assert_eq!(d["lines"], json!([]));
    let parts: Vec<Value> = d["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!([p["name"], p["kind"], p["fromQuantity"], p["toQuantity"]]))
        .collect();
    // at 2 units: boards 4 -> 6, R 12 -> 18, C 8 -> 12, the case 2 -> gone
    assert_eq!(
        parts,
        vec![
            json!(["R", "CHANGED", "12", "18"]),
            json!(["C", "CHANGED", "8", "12"]),
            json!(["Case", "REMOVED", "2", "0"]),
            json!(["Board", "CHANGED", "4", "6"]),
        ]
    );
    assert_eq!(d["summary"]["changed"], 3);
    assert_eq!(d["summary"]["removed"], 1);
    // costs explode the board: A = 2 x (2 x (3 x 0.01 + 2 x 0.02) + 1) = 2.28, B = 2 x 3 x 0.07
    assert_eq!(
        d["summary"]["costFrom"],
        json!([{"currency": "USD", "amount": "2.28"}])
    );
    assert_eq!(
        d["summary"]["costTo"],
        json!([{"currency": "USD", "amount": "0.42"}])
    );

    let (a, b) = (app.row_id(&t, &a).await, app.row_id(&t, &b).await);
    let rest = app
        .rest(
            Method::GET,
            &format!("/v1/boms/{b}/diff/?against={a}&exploded=true&quantity=2"),
            &t,
            None,
        )
        .await
        .json();
    assert_eq!(rest["parts"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn bad_diff_requests_are_refused() {
    let (app, t) = app_with_admin().await;
    let a = bom(&app, &t, json!({"name": "A"})).await;
    let (code, _) = fails(&app, &t, DIFF, json!({"f": a, "t": a, "q": "0"})).await;
    assert_eq!(code, "VALIDATION");
    let (code, _) = fails(
        &app,
        &t,
        DIFF,
        json!({"f": a, "t": global_id("Bom", 999999)}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    let a = app.row_id(&t, &a).await;
    for (query, field) in [
        ("", "against"),
        ("?against=x", "against"),
        ("?against=1&exploded=maybe", "exploded"),
        ("?against=1&quantity=-1", "quantity"),
    ] {
        let r = app
            .rest(Method::GET, &format!("/v1/boms/{a}/diff/{query}"), &t, None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text());
        assert!(r.json()[field].is_array(), "{query}: {}", r.text());
    }
}

/// A BOM of `n` priced lines, each with a substitute, approved and revised once with a
/// change on every line: the diff has n changes.
async fn revised_bom(app: &TestApp, t: &str, n: usize) -> (String, String) {
    let sub = Part::named("Alt").priced("0.5").create(app, t).await;
    let mut lines = Vec::new();
    for i in 0..n {
        let p = Part::named(format!("P{i}"))
            .priced("0.1")
            .create(app, t)
            .await;
        lines.push(json!({"partId": p, "quantity": "1", "reference": format!("R{i}")}));
    }
    let a = bom(app, t, json!({"name": format!("B{n}"), "lines": lines})).await;
    substitute(app, t, &line_with_reference(app, t, &a, "R0").await, &sub).await;
    let b = next_revision(app, t, &a).await;
    for l in line_ids(app, t, &b).await {
        update_line(app, t, &l, json!({"quantity": "2"})).await;
    }
    (a, b)
}

#[tokio::test]
async fn the_statements_of_a_diff_do_not_grow_with_its_lines() {
    let (mut app, t) = app_with_admin().await;
    // the idle job worker's polls would count too
    app.stop_worker().await;
    let mut counts = Vec::new();
    for n in [20, 200] {
        let (a, b) = revised_bom(&app, &t, n).await;
        let before = app.statements();
        let d = diff(&app, &t, &a, &b, false, "1").await;
        counts.push(app.statements() - before);
        assert_eq!(d["summary"]["changed"], n);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements at 20 and 200 lines: {counts:?}"
    );
    println!("bomDiff statements at 20 and 200 lines: {counts:?}");
}
