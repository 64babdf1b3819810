//! A line's review mark follows the checksum of the fields that matter.
use serde_json::json;
use tests::builders::{app_with_admin, bom, line, with_field, Part};

use super::UPDATE;

#[tokio::test]
async fn validated_follows_the_checksum() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let r2 = Part::named("R2").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(
        &app,
        &t,
        &b,
        json!({"partId": r, "quantity": "1", "reference": "R1"}),
    )
    .await;
    let validate =
        "mutation($l: ID!, $v: Boolean!) { validateBomLine(input: {id: $l, valid: $v}) { bomLine { validated } } }";
    assert_eq!(
        app.data(&t, validate, json!({"l": l, "v": true})).await["validateBomLine"]["bomLine"]
            ["validated"],
        true
    );
    // a field outside the checksum keeps it valid
    assert_eq!(
        app.data(&t, UPDATE, json!({"i": {"id": l, "note": "checked"}}))
            .await["updateBomLine"]["bomLine"]["validated"],
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
            .data(
                &t,
                UPDATE,
                json!({"i": with_field(change.clone(), "id", l.as_str())}),
            )
            .await;
        assert_eq!(
            got["updateBomLine"]["bomLine"]["validated"], false,
            "{change}"
        );
    }
    app.data(&t, validate, json!({"l": l, "v": true})).await;
    assert_eq!(
        app.data(&t, validate, json!({"l": l, "v": false})).await["validateBomLine"]["bomLine"]
            ["validated"],
        false
    );
}
