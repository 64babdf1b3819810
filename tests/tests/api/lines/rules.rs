//! The rules a line keeps: its quantity, overage, texts and part, and no loop at any depth.
use serde_json::json;
use tests::builders::{app_with_admin, bom, line, line_ids, Part, ADD_LINE};
use tests::fails;

use super::{field_error, UPDATE};

#[tokio::test]
async fn line_rules() {
    let (app, t) = app_with_admin().await;
    let asm = Part::named("Board").create(&app, &t).await;
    let r = Part::named("R").create(&app, &t).await;
    let tracked = Part::named("Serialised")
        .with(json!({"trackable": true}))
        .create(&app, &t)
        .await;
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
            json!({"i": {"bomId": b, "quantity": "1", "mpn": "XYZ-1"}}),
        )
        .await;
    assert!(unmatched["addBomLine"]["bomLine"]["id"].is_string());
}

#[tokio::test]
async fn bom_loops_are_rejected_at_any_depth() {
    let (app, t) = app_with_admin().await;
    let a = Part::named("A").create(&app, &t).await;
    let b = Part::named("B").create(&app, &t).await;
    let c = Part::named("C").create(&app, &t).await;
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
    let l = &line_ids(&app, &t, &bom_b).await[0];
    let (code, _) = fails(&app, &t, UPDATE, json!({"i": {"id": l, "partId": a}})).await;
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
        "mutation($b: ID!, $p: ID!) { updateBom(input: {id: $b, assemblyPartId: $p}) { bom { id } } }",
        json!({"b": loose, "p": c}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let _ = bom_a;
}

/// Two writers each adding half of a loop at the same moment: one of them is refused.
#[tokio::test]
async fn concurrent_halves_of_a_loop_do_not_both_pass() {
    let (app, t) = app_with_admin().await;
    for round in 0..20 {
        let a = Part::named(format!("A{round}")).create(&app, &t).await;
        let b = Part::named(format!("B{round}")).create(&app, &t).await;
        let bom_a = bom(&app, &t, json!({"name": "A", "assemblyPartId": a})).await;
        let bom_b = bom(&app, &t, json!({"name": "B", "assemblyPartId": b})).await;
        let (first, second) = tokio::join!(
            app.gql(
                &t,
                ADD_LINE,
                json!({"i": {"bomId": bom_a, "partId": b, "quantity": "1"}})
            ),
            app.gql(
                &t,
                ADD_LINE,
                json!({"i": {"bomId": bom_b, "partId": a, "quantity": "1"}})
            ),
        );
        let added = [&first, &second]
            .iter()
            .filter(|r| r.get("errors").is_none())
            .count();
        assert_eq!(added, 1, "round {round}: {first} {second}");
    }
}
