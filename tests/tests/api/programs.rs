use serde_json::json;

use tests::builders::{app_with_admin, bom, program, Part};
use tests::fails;

#[tokio::test]
async fn program_lifecycle() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let alt = Part::named("R alt").create(&app, &t).await;
    let b = bom(
        &app,
        &t,
        json!({"name": "Board", "lines": [{"partId": r, "quantity": "2"}]}),
    )
    .await;
    let prog = app
        .data(
            &t,
            "mutation { createProgram(input: {name: \"Pilot\"}) { program { id status } } }",
            json!({}),
        )
        .await["createProgram"]["program"]
        .clone();
    assert_eq!(prog["status"], "draft");
    let id = prog["id"].as_str().unwrap().to_owned();

    let pl = app
        .data(&t, "mutation($p: ID!, $b: ID!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: \"25\"}) { programLine { id quantity bom { name } } } }", json!({"p": id, "b": b}))
        .await["addProgramLine"]["programLine"]
        .clone();
    assert_eq!(pl["bom"]["name"], "Board");
    let (code, _) = fails(&app, &t, "mutation($p: ID!, $b: ID!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: \"0\"}) { programLine { id } } }", json!({"p": id, "b": b})).await;
    assert_eq!(code, "VALIDATION");
    let upd = app
        .data(
            &t,
            "mutation($l: ID!) { updateProgramLine(input: {id: $l, quantity: \"100\"}) { programLine { quantity } } }",
            json!({"l": pl["id"]}),
        )
        .await;
    assert_eq!(upd["updateProgramLine"]["programLine"]["quantity"], "100");

    let add = "mutation($i: AddPartOverrideInput!) { addPartOverride(input: $i) { partOverride { id exclude unitPrice onHandQuantity part { name } replacementPart { name } } } }";
    let o = app
        .data(&t, add, json!({"i": {"programId": id, "partId": r, "replacementPartId": alt, "unitPrice": "0.015", "onHandQuantity": "40"}}))
        .await["addPartOverride"]["partOverride"]
        .clone();
    assert_eq!(o["replacementPart"]["name"], "R alt");
    assert_eq!(o["unitPrice"], "0.015");
    let (code, _) = fails(&app, &t, add, json!({"i": {"programId": id, "partId": r}})).await;
    assert_eq!(code, "VALIDATION", "one override per part");
    let (code, _) = fails(
        &app,
        &t,
        add,
        json!({"i": {"programId": id, "partId": alt, "replacementPartId": alt}}),
    )
    .await;
    assert_eq!(code, "VALIDATION", "a part cannot replace itself");
    let (code, _) = fails(
        &app,
        &t,
        add,
        json!({"i": {"programId": id, "partId": alt, "unitPrice": "-1"}}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let upd = app
        .data(&t, "mutation($o: ID!) { updatePartOverride(input: {id: $o, exclude: true, replacementPartId: null}) { partOverride { exclude replacementPart { name } unitPrice } } }", json!({"o": o["id"]}))
        .await;
    assert_eq!(
        upd["updatePartOverride"]["partOverride"],
        json!({"exclude": true, "replacementPart": null, "unitPrice": "0.015"})
    );

    let read = app
        .data(&t, "query($p: ID!) { program(id: $p) { name lines { quantity } partOverrides { exclude } } programs { totalCount } }", json!({"p": id}))
        .await;
    assert_eq!(read["program"]["lines"], json!([{"quantity": "100"}]));
    assert_eq!(read["program"]["partOverrides"], json!([{"exclude": true}]));
    assert_eq!(read["programs"]["totalCount"], 1);

    let status =
        "mutation($p: ID!, $s: String!) { updateProgram(input: {id: $p, status: $s}) { program { status } } }";
    let (code, _) = fails(&app, &t, status, json!({"p": id, "s": "shipped"})).await;
    assert_eq!(code, "VALIDATION");
    app.data(&t, status, json!({"p": id, "s": "complete"}))
        .await;
    let (code, _) = fails(
        &app,
        &t,
        "mutation($l: ID!) { removeProgramLine(input: {id: $l}) { deletedId } }",
        json!({"l": pl["id"]}),
    )
    .await;
    assert_eq!(code, "CONFLICT", "a complete program is frozen");

    // a BOM used by a program cannot be deleted
    let (code, _) = fails(
        &app,
        &t,
        "mutation($b: ID!) { deleteBom(input: {id: $b}) { deletedId } }",
        json!({"b": b}),
    )
    .await;
    assert_eq!(code, "CONFLICT");
    app.data(
        &t,
        "mutation($p: ID!) { deleteProgram(input: {id: $p}) { deletedId } }",
        json!({"p": id}),
    )
    .await;
    assert_eq!(
        app.data(&t, "{ programs { totalCount } }", json!({})).await["programs"]["totalCount"],
        0
    );
}

#[tokio::test]
async fn program_lines_and_overrides_can_be_removed() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "Board"})).await;
    let id = program(&app, &t, "P").await;
    let l = app.data(&t, "mutation($p: ID!, $b: ID!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: \"1\"}) { programLine { id } } }", json!({"p": id, "b": b})).await["addProgramLine"]["programLine"]["id"].clone();
    let o = app.data(&t, "mutation($p: ID!, $r: ID!) { addPartOverride(input: {programId: $p, partId: $r, exclude: true}) { partOverride { id } } }", json!({"p": id, "r": r})).await["addPartOverride"]["partOverride"]["id"].clone();
    app.data(
        &t,
        "mutation($l: ID!) { removeProgramLine(input: {id: $l}) { deletedId } }",
        json!({"l": l}),
    )
    .await;
    app.data(
        &t,
        "mutation($o: ID!) { removePartOverride(input: {id: $o}) { deletedId } }",
        json!({"o": o}),
    )
    .await;
    let read = app
        .data(
            &t,
            "query($p: ID!) { program(id: $p) { lines { id } partOverrides { id } } }",
            json!({"p": id}),
        )
        .await;
    assert_eq!(read["program"], json!({"lines": [], "partOverrides": []}));
}
