//! Revision chains: reviseBom, labels, one draft per chain, the frozen rule, copying, and
//! program lines that pin a revision or follow the chain.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::builders::{
    app_with_admin, approve, bom, line, line_ids, next_revision, program, revise, update_line,
    Part, REVISE,
};
use tests::fails;
use tests::{TeamRole, TestApp};

const BOM_DETAIL: &str = r#"query($id: ID!) { bom(id: $id) {
    id name version description revision isDraft approved metadata
    previousRevision { id } latestApprovedRevision { id revision }
    revisions { id revision }
    lines { id quantity reference note overage optional validated metadata part { id }
            substitutes { part { id } metadata } }
} }"#;

async fn detail(app: &TestApp, t: &str, id: &str) -> Value {
    app.data(t, BOM_DETAIL, json!({ "id": id })).await["bom"].clone()
}

/// The lines of a BOM as (part, quantity, reference, note, substitutes) tuples, in order.
fn line_contents(bom: &Value) -> Vec<Value> {
    bom["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            json!([
                l["part"]["id"],
                l["quantity"],
                l["reference"],
                l["note"],
                l["overage"],
                l["optional"],
                l["validated"],
                l["metadata"],
                l["substitutes"]
            ])
        })
        .collect()
}

#[tokio::test]
async fn revising_copies_the_bom_its_lines_substitutes_and_metadata() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R 10k").create(&app, &t).await;
    let c = Part::named("C 100n").create(&app, &t).await;
    let c_alt = Part::named("C 100n alt").create(&app, &t).await;
    let a = bom(
        &app,
        &t,
        json!({"name": "Board", "version": "1.0", "description": "main", "metadata": {"owner": "hw"}}),
    )
    .await;
    line(&app, &t, &a, json!({"partId": r, "quantity": "4", "reference": "R1-R4", "note": "1%", "metadata": {"k": 1}})).await;
    let cap = line(&app, &t, &a, json!({"partId": c, "quantity": "2.5", "reference": "C1, C2", "overage": "10%", "optional": true})).await;
    app.data(
        &t,
        "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p, metadata: {why: \"stock\"}}) { substitute { id } } }",
        json!({"l": cap, "p": c_alt}),
    )
    .await;
    app.data(
        &t,
        "mutation($id: ID!) { validateBomLine(input: {id: $id, valid: true}) { bomLine { id } } }",
        json!({"id": cap}),
    )
    .await;
    approve(&app, &t, &a).await;

    let statements = app.statements();
    let (b, label) = revise(&app, &t, &a, None).await;
    let revise_statements = app.statements() - statements;
    assert_eq!(label, "B");
    let original = detail(&app, &t, &a).await;
    let copy = detail(&app, &t, &b).await;
    assert_ne!(a, b);
    for field in ["name", "version", "description", "metadata"] {
        assert_eq!(copy[field], original[field], "{field}");
    }
    assert_eq!(copy["isDraft"], true);
    assert_eq!(copy["approved"], false);
    assert_eq!(copy["previousRevision"]["id"], json!(a));
    assert_eq!(line_contents(&copy), line_contents(&original));
    assert_eq!(
        copy["lines"][1]["validated"], true,
        "a reviewed line stays reviewed"
    );
    let line_ids = |bom: &Value| -> Vec<Value> {
        bom["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].clone())
            .collect()
    };
    assert!(line_ids(&copy)
        .iter()
        .all(|id| !line_ids(&original).contains(id)));
    // the chain, seen from either end
    for bom in [&original, &copy] {
        assert_eq!(
            bom["revisions"],
            json!([{"id": a, "revision": "A"}, {"id": b, "revision": "B"}])
        );
        assert_eq!(
            bom["latestApprovedRevision"],
            json!({"id": a, "revision": "A"})
        );
    }
    // copying is a handful of statements, not one per line
    assert!(revise_statements < 20, "{revise_statements} statements");
}

#[tokio::test]
async fn labels_count_letters_and_numbers_and_a_given_label_is_unique_in_its_chain() {
    let (app, t) = app_with_admin().await;
    let a = bom(&app, &t, json!({"name": "Letters"})).await;
    approve(&app, &t, &a).await;
    let (y, label) = revise(&app, &t, &a, Some("Y")).await;
    assert_eq!(label, "Y");
    approve(&app, &t, &y).await;
    let (z, label) = revise(&app, &t, &y, None).await;
    assert_eq!(label, "Z");
    approve(&app, &t, &z).await;
    let (aa, label) = revise(&app, &t, &z, None).await;
    assert_eq!(label, "AA");
    approve(&app, &t, &aa).await;

    // a label the chain holds, a blank one and a long one are refused, naming the field
    for (bad, message) in [
        ("Y", "already exists"),
        ("  ", "blank"),
        ("X".repeat(21).as_str(), "no more than 20"),
    ] {
        let (code, err) = fails(&app, &t, REVISE, json!({"id": a, "label": bad})).await;
        assert_eq!(code, "VALIDATION", "{bad}");
        assert_eq!(
            err["extensions"]["fields"]["label"][0]
                .as_str()
                .map(|m| m.contains(message)),
            Some(true),
            "{err}"
        );
    }

    let one = bom(&app, &t, json!({"name": "Numbers", "revision": "1"})).await;
    approve(&app, &t, &one).await;
    let (two, label) = revise(&app, &t, &one, None).await;
    assert_eq!(label, "2");
    approve(&app, &t, &two).await;
    // revised from an older revision: the label still follows the newest
    let (_, label) = revise(&app, &t, &one, None).await;
    assert_eq!(label, "3");

    // a label that has no successor asks for one
    let odd = bom(&app, &t, json!({"name": "Odd", "revision": "proto-x"})).await;
    approve(&app, &t, &odd).await;
    let (code, err) = fails(&app, &t, REVISE, json!({"id": odd})).await;
    assert_eq!(code, "VALIDATION");
    assert!(
        err["message"].as_str().unwrap().contains("give one"),
        "{err}"
    );
    let (_, label) = revise(&app, &t, &odd, Some("proto-y")).await;
    assert_eq!(label, "proto-y");

    // the label is fixed once made
    let (code, _) = fails(
        &app,
        &t,
        "mutation($id: ID!) { updateBom(input: {id: $id, revision: \"Q\"}) { bom { id } } }",
        json!({"id": a}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
}

#[tokio::test]
async fn a_chain_has_one_draft_and_approval_freezes_a_revision() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let a = bom(&app, &t, json!({"name": "Board"})).await;
    let first = line(
        &app,
        &t,
        &a,
        json!({"partId": r, "quantity": "1", "reference": "R1"}),
    )
    .await;

    // A is itself the chain's open draft
    let (code, err) = fails(&app, &t, REVISE, json!({"id": a})).await;
    assert_eq!(code, "CONFLICT");
    let row = app.row_id(&t, &a).await;
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains(&format!("Revision A (BOM {row})")),
        "{err}"
    );

    approve(&app, &t, &a).await;
    // frozen: no line, quantity or substitute of A changes
    let frozen = [
        (
            "mutation($id: ID!) { addBomLine(input: {bomId: $id, quantity: \"1\"}) { bomLine { id } } }",
            json!({"id": a}),
        ),
        (
            "mutation($id: ID!) { updateBomLine(input: {id: $id, quantity: \"2\"}) { bomLine { id } } }",
            json!({"id": first}),
        ),
        (
            "mutation($id: ID!) { removeBomLine(input: {id: $id}) { deletedId } }",
            json!({"id": first}),
        ),
        (
            "mutation($id: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $id, partId: $p}) { substitute { id } } }",
            json!({"id": first, "p": r}),
        ),
    ];
    for (query, vars) in &frozen {
        let (code, _) = fails(&app, &t, query, vars.clone()).await;
        assert_eq!(code, "CONFLICT", "{query}");
    }

    let (b, _) = revise(&app, &t, &a, None).await;
    // from any revision, the chain's draft B is named
    let b_row = app.row_id(&t, &b).await;
    for from in [&a, &b] {
        let (code, err) = fails(&app, &t, REVISE, json!({"id": from})).await;
        assert_eq!(code, "CONFLICT");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .contains(&format!("Revision B (BOM {b_row})")),
            "{err}"
        );
    }
    // the draft changes freely
    line(
        &app,
        &t,
        &b,
        json!({"partId": r, "quantity": "3", "reference": "R2"}),
    )
    .await;

    // deleting the draft deletes it; the chain may then be revised again
    let d = app
        .data(
            &t,
            "mutation($id: ID!) { deleteBom(input: {id: $id}) { outcome } }",
            json!({"id": b}),
        )
        .await;
    assert_eq!(d["deleteBom"]["outcome"], "DELETED");
    let gone = app
        .gql(
            &t,
            "query($id: ID!) { bom(id: $id) { id } }",
            json!({"id": b}),
        )
        .await;
    assert_eq!(tests::error_codes(&gone), vec!["NOT_FOUND"]);
    let (c, label) = revise(&app, &t, &a, None).await;
    assert_eq!(label, "B");
    approve(&app, &t, &c).await;

    // deleting an approved revision archives it; the latest approved is then the one before
    let d = app
        .data(
            &t,
            "mutation($id: ID!) { deleteBom(input: {id: $id}) { outcome } }",
            json!({"id": c}),
        )
        .await;
    assert_eq!(d["deleteBom"]["outcome"], "ARCHIVED");
    let chain = detail(&app, &t, &a).await;
    assert_eq!(chain["latestApprovedRevision"]["id"], json!(a));
    assert_eq!(chain["revisions"].as_array().unwrap().len(), 2);
}

const AVAILABILITY: &str = "query($p: ID!) { programAvailability(programId: $p) {
    parts { part { id } demand }
    revisions { programLineId bomId usedBomId revision followsLatest } } }";

#[tokio::test]
async fn program_lines_pin_a_revision_or_follow_the_latest_approved_one() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let a = bom(&app, &t, json!({"name": "Board"})).await;
    line(&app, &t, &a, json!({"partId": r, "quantity": "2"})).await;
    let prog = program(&app, &t, "Run").await;
    let add = "mutation($p: ID!, $b: ID!, $f: Boolean!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: \"10\", followLatest: $f}) { programLine { id followLatest } } }";
    let pinned = app
        .data(&t, add, json!({"p": prog, "b": a, "f": false}))
        .await["addProgramLine"]["programLine"]["id"]
        .clone();
    let follows = app
        .data(&t, add, json!({"p": prog, "b": a, "f": true}))
        .await["addProgramLine"]["programLine"]
        .clone();
    assert_eq!(follows["followLatest"], true);

    // no approved revision yet: both build A
    let before = app.data(&t, AVAILABILITY, json!({"p": prog})).await;
    assert_eq!(before["programAvailability"]["parts"][0]["demand"], "40");

    let b = next_revision(&app, &t, &a).await;
    let b_line = &line_ids(&app, &t, &b).await[0];
    update_line(&app, &t, b_line, json!({"quantity": "5"})).await;
    // a draft is not followed
    let draft = app.data(&t, AVAILABILITY, json!({"p": prog})).await;
    assert_eq!(draft["programAvailability"]["parts"][0]["demand"], "40");

    approve(&app, &t, &b).await;
    let after = app.data(&t, AVAILABILITY, json!({"p": prog})).await["programAvailability"].clone();
    // 10 x 2 from the pinned A, 10 x 5 from the followed B
    assert_eq!(after["parts"][0]["demand"], "70");
    assert_eq!(
        after["revisions"],
        json!([
            {"programLineId": pinned, "bomId": a, "usedBomId": a, "revision": "A", "followsLatest": false},
            {"programLineId": follows["id"], "bomId": a, "usedBomId": b, "revision": "B", "followsLatest": true},
        ])
    );
    let pricing = app
        .data(
            &t,
            "query($p: ID!) { programReferencePricing(programId: $p, quantities: [\"1\"]) { revisions { usedBomId revision } } }",
            json!({"p": prog}),
        )
        .await;
    assert_eq!(
        pricing["programReferencePricing"][0]["revisions"][1],
        json!({"usedBomId": b, "revision": "B"})
    );

    // a line can stop following, through REST too
    let rest = app
        .rest(
            Method::PATCH,
            &format!(
                "/v1/programs/{}/lines/{}/",
                app.row_id(&t, &prog).await,
                app.row_id(&t, &follows["id"]).await
            ),
            &t,
            Some(json!({"follow_latest": false})),
        )
        .await;
    assert_eq!(rest.status, StatusCode::OK, "{}", rest.text());
    assert_eq!(rest.json()["follow_latest"], false);
    let pinned_again = app.data(&t, AVAILABILITY, json!({"p": prog})).await;
    assert_eq!(
        pinned_again["programAvailability"]["parts"][0]["demand"],
        "40"
    );
}

#[tokio::test]
async fn rest_revises_with_the_dialects_errors() {
    let (app, t) = app_with_admin().await;
    let a = bom(&app, &t, json!({"name": "Board"})).await;
    let a_row = app.row_id(&t, &a).await;
    let path = format!("/v1/boms/{a_row}/revise/");
    let draft = app.rest(Method::POST, &path, &t, None).await;
    assert_eq!(draft.status, StatusCode::BAD_REQUEST);
    assert!(draft.json()["non_field_errors"][0]
        .as_str()
        .unwrap()
        .contains("open draft"));
    approve(&app, &t, &a).await;
    let made = app
        .rest(Method::POST, &path, &t, Some(json!({"label": "R2"})))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let made = made.json();
    assert_eq!(made["revision"], "R2");
    assert_eq!(made["previous_revision_id"], a_row);
    assert_eq!(made["approved"], false);
    // Cofactr's own fields are unchanged for the copy
    let original = app
        .rest(Method::GET, &format!("/v1/boms/{a_row}/"), &t, None)
        .await
        .json();
    assert_eq!(original["revision"], "A");
    assert_eq!(made["name"], original["name"]);
    assert_eq!(made["version"], original["version"]);
    let missing = app
        .rest(Method::POST, "/v1/boms/999999/revise/", &t, None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json(), json!({"detail": "Not found."}));
}

#[tokio::test]
async fn another_team_cannot_revise_compare_or_export_a_bom() {
    let (app, t) = app_with_admin().await;
    let other = app.user("mallory", "rivals", TeamRole::Admin).await;
    let viewer = app.user("victor", "hardware", TeamRole::Viewer).await;
    let a = bom(&app, &t, json!({"name": "Secret"})).await;
    approve(&app, &t, &a).await;
    let mine = bom(&app, &other, json!({"name": "Theirs"})).await;

    let (code, _) = fails(&app, &other, REVISE, json!({"id": a})).await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = fails(&app, &viewer, REVISE, json!({"id": a})).await;
    assert_eq!(code, "FORBIDDEN");
    for (from, to) in [(&a, &mine), (&mine, &a)] {
        let (code, _) = fails(
            &app,
            &other,
            "query($f: ID!, $t: ID!) { bomDiff(from: $f, to: $t) { summary { added } } }",
            json!({"f": from, "t": to}),
        )
        .await;
        assert_eq!(code, "NOT_FOUND");
    }
    let (code, _) = fails(
        &app,
        &other,
        "query($b: ID!) { bomExport(bomId: $b) }",
        json!({"b": a}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    let chain = app
        .data(
            &other,
            "query($id: ID!) { bom(id: $id) { revisions { id } latestApprovedRevision { id } } }",
            json!({"id": mine}),
        )
        .await;
    assert_eq!(chain["bom"]["revisions"], json!([{"id": mine}]));

    let (a, mine) = (app.row_id(&t, &a).await, app.row_id(&other, &mine).await);
    for (method, path) in [
        (Method::POST, format!("/v1/boms/{a}/revise/")),
        (Method::GET, format!("/v1/boms/{a}/diff/?against={mine}")),
        (Method::GET, format!("/v1/boms/{mine}/diff/?against={a}")),
        (Method::GET, format!("/v1/boms/{a}/export/?format=csv")),
    ] {
        let r = app.rest(method.clone(), &path, &other, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        let r = app.rest(method, &path, "", None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    // a viewer of the team reads, compares and exports
    let r = app
        .rest(
            Method::GET,
            &format!("/v1/boms/{a}/export/?format=json"),
            &viewer,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}
