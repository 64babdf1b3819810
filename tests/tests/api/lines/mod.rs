//! BOM lines through GraphQL: the rules a line keeps, its review mark, substitutes and
//! removal, its computed figures, and the `bomLines` filters.
use serde_json::{json, Value};
use tests::builders::{with_field, ADD_LINE};
use tests::{fails, TestApp};

mod figures;
mod filters;
mod review;
mod rules;
mod substitutes;

pub const UPDATE: &str = "mutation($i: UpdateBomLineInput!) { updateBomLine(input: $i) { bomLine { validated quantity note } } }";

/// Adding `input` to BOM `b` is refused with an error on `field`.
pub async fn field_error(app: &TestApp, t: &str, b: &str, input: Value, field: &str) {
    let (code, err) = fails(
        app,
        t,
        ADD_LINE,
        json!({"i": with_field(input.clone(), "bomId", b)}),
    )
    .await;
    assert_eq!(code, "VALIDATION", "{input}");
    assert!(
        err["extensions"]["fields"][field].is_array(),
        "expected an error on {field}: {err}"
    );
}
