//! Substitutes of a line, and removing a line.
use serde_json::json;
use tests::builders::{app_with_admin, bom, line, Part};
use tests::fails;

#[tokio::test]
async fn substitutes() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let s1 = Part::named("S1").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    let add = "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p}) { substitute { id part { name } bomLine { id } } } }";
    let sub =
        app.data(&t, add, json!({"l": l, "p": s1})).await["addSubstitute"]["substitute"].clone();
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
        "mutation($s: ID!) { removeSubstitute(input: {id: $s}) { deletedId } }",
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
    let r = Part::named("R").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    app.data(
        &t,
        "mutation($l: ID!) { removeBomLine(input: {id: $l}) { deletedId } }",
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
