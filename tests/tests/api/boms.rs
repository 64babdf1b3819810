use serde_json::json;

use tests::builders::{app_with_admin, bom, line, lines_of, substitute, Part, ADD_LINE};
use tests::fails;

#[tokio::test]
async fn create_bom_with_lines_and_read_it_back() {
    let (app, t) = app_with_admin().await;
    let asm = Part::named("Board").create(&app, &t).await;
    let r = Part::named("R").create(&app, &t).await;
    let c = Part::named("C").create(&app, &t).await;
    let b = bom(
        &app,
        &t,
        json!({"name": "Board", "version": "A", "partNumber": "PCBA-1", "assemblyPartId": asm,
               "metadata": {"origin": "test"},
               "lines": [{"partId": r, "quantity": "4", "reference": "R1-R4", "overage": "5%"},
                         {"partId": c, "quantity": "2", "reference": "C1, C2", "optional": true, "note": "bulk"}]}),
    )
    .await;
    let got = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { name version partNumber approved archived metadata lineCount
               assemblyPart { name }
               lines { quantity reference referenceDesignators overage optional note matchStatus part { name } } } }",
            json!({"b": b}),
        )
        .await["bom"]
        .clone();
    assert_eq!(got["assemblyPart"]["name"], "Board");
    assert_eq!(got["metadata"], json!({"origin": "test"}));
    assert_eq!(got["lineCount"], 2);
    assert_eq!(
        got["lines"][0]["referenceDesignators"],
        json!(["R1", "R2", "R3", "R4"])
    );
    assert_eq!(got["lines"][0]["matchStatus"], "MATCHED");
    assert_eq!(got["lines"][1]["referenceDesignators"], json!(["C1", "C2"]));
    assert_eq!(got["lines"][1]["optional"], true);
    assert_eq!(got["lines"][1]["part"]["name"], "C");
}

#[tokio::test]
async fn create_bom_is_all_or_nothing() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let (code, err) = fails(
        &app,
        &t,
        "mutation($i: CreateBomInput!) { createBom(input: $i) { bom { id } } }",
        json!({"i": {"name": "Bad", "lines": [{"partId": r, "quantity": "1"}, {"partId": r, "quantity": "0"}]}}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(
        err["extensions"]["fields"]["lines[1].quantity"].is_array(),
        "{err}"
    );
    let count = app
        .data(
            &t,
            "{ boms { totalCount } bomLines { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(count["boms"]["totalCount"], 0);
    assert_eq!(count["bomLines"]["totalCount"], 0);
}

#[tokio::test]
async fn update_bom_fields() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Old"})).await;
    let got = app
        .data(&t, "mutation($b: ID!) { updateBom(input: {id: $b, name: \"New\", version: \"2\"}) { bom { name version } } }", json!({"b": b}))
        .await;
    assert_eq!(
        got["updateBom"]["bom"],
        json!({"name": "New", "version": "2"})
    );
    let (code, _) = fails(
        &app,
        &t,
        "mutation($b: ID!) { updateBom(input: {id: $b, name: \"\"}) { bom { name } } }",
        json!({"b": b}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
}

#[tokio::test]
async fn approval_is_one_way_and_freezes_lines() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let c = Part::named("C").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    let approved = app
        .data(
            &t,
            "mutation($b: ID!) { approveBom(input: {id: $b}) { bom { approved approvedAt approvedBy } } }",
            json!({"b": b}),
        )
        .await;
    assert_eq!(approved["approveBom"]["bom"]["approved"], true);
    assert!(approved["approveBom"]["bom"]["approvedAt"].is_string());
    assert!(approved["approveBom"]["bom"]["approvedBy"].is_string());
    let again = app
        .data(
            &t,
            "mutation($b: ID!) { approveBom(input: {id: $b}) { bom { approved } } }",
            json!({"b": b}),
        )
        .await;
    assert_eq!(again["approveBom"]["bom"]["approved"], true);

    let attempts = [
        (
            ADD_LINE,
            json!({"i": {"bomId": b, "partId": c, "quantity": "1"}}),
        ),
        (
            "mutation($l: ID!) { updateBomLine(input: {id: $l, quantity: \"2\"}) { bomLine { id } } }",
            json!({"l": l}),
        ),
        (
            "mutation($l: ID!) { removeBomLine(input: {id: $l}) { deletedId } }",
            json!({"l": l}),
        ),
        (
            "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p}) { substitute { id } } }",
            json!({"l": l, "p": c}),
        ),
        (
            "mutation($b: ID!, $p: ID!) { updateBom(input: {id: $b, assemblyPartId: $p}) { bom { id } } }",
            json!({"b": b, "p": c}),
        ),
    ];
    for (q, vars) in attempts {
        let (code, err) = fails(&app, &t, q, vars).await;
        assert_eq!(code, "CONFLICT", "{q}");
        assert!(
            err["message"].as_str().unwrap().contains("approved"),
            "{err}"
        );
    }
    let got = lines_of(&app, &t, b.as_str(), "quantity").await;
    assert_eq!(got, [json!({"quantity": "1"})]);
    // the BOM's own descriptive fields stay editable
    app.data(
        &t,
        "mutation($b: ID!) { updateBom(input: {id: $b, description: \"rev note\"}) { bom { id } } }",
        json!({"b": b}),
    )
    .await;
}

#[tokio::test]
async fn delete_removes_draft_and_archives_approved() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let draft = bom(
        &app,
        &t,
        json!({"name": "Draft", "lines": [{"partId": r, "quantity": "1"}]}),
    )
    .await;
    let released = bom(
        &app,
        &t,
        json!({"name": "Released", "lines": [{"partId": r, "quantity": "1"}]}),
    )
    .await;
    app.data(
        &t,
        "mutation($b: ID!) { approveBom(input: {id: $b}) { bom { id } } }",
        json!({"b": released}),
    )
    .await;

    let del = "mutation($b: ID!) { deleteBom(input: {id: $b}) { deletedId outcome } }";
    assert_eq!(
        app.data(&t, del, json!({"b": draft})).await["deleteBom"]["outcome"],
        "DELETED"
    );
    assert_eq!(
        app.data(&t, del, json!({"b": released})).await["deleteBom"]["outcome"],
        "ARCHIVED"
    );

    let (code, _) = fails(
        &app,
        &t,
        "query($b: ID!) { bom(id: $b) { id } }",
        json!({"b": draft}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    let kept = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { archived lines { id } } }",
            json!({"b": released}),
        )
        .await;
    assert_eq!(kept["bom"]["archived"], true);
    assert_eq!(kept["bom"]["lines"].as_array().unwrap().len(), 1);
    let lists = app
        .data(&t, "{ a: boms { totalCount } b: boms(filter: {includeArchived: true}) { nodes { name } } }", json!({}))
        .await;
    assert_eq!(lists["a"]["totalCount"], 0);
    assert_eq!(lists["b"]["nodes"], json!([{"name": "Released"}]));
    let (code, _) = fails(
        &app,
        &t,
        "mutation($b: ID!) { updateBom(input: {id: $b, name: \"x\"}) { bom { id } } }",
        json!({"b": released}),
    )
    .await;
    assert_eq!(code, "CONFLICT");
}

#[tokio::test]
async fn metadata_merge_and_replace() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R").create(&app, &t).await;
    let s = Part::named("S").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "B"})).await;
    let l = line(&app, &t, &b, json!({"partId": r, "quantity": "1"})).await;
    let sub = substitute(&app, &t, &l, &s).await;
    let set = "mutation($t: MetadataTarget!, $id: ID!, $m: JSON!, $mode: MetadataMode!) { setMetadata(input: {target: $t, id: $id, metadata: $m, mode: $mode}) { metadata } }";
    for (target, id) in [
        ("BOM", b.as_str()),
        ("BOM_LINE", l.as_str()),
        ("SUBSTITUTE", sub.as_str()),
    ] {
        let first = app
            .data(
                &t,
                set,
                json!({"t": target, "id": id, "m": {"a": 1, "b": {"x": 1}}, "mode": "REPLACE"}),
            )
            .await;
        assert_eq!(
            first["setMetadata"]["metadata"],
            json!({"a": 1, "b": {"x": 1}})
        );
        let merged = app
            .data(
                &t,
                set,
                json!({"t": target, "id": id, "m": {"b": {"y": 2}, "c": 3}, "mode": "MERGE"}),
            )
            .await;
        assert_eq!(
            merged["setMetadata"]["metadata"],
            json!({"a": 1, "b": {"y": 2}, "c": 3}),
            "{target}"
        );
        let replaced = app
            .data(
                &t,
                set,
                json!({"t": target, "id": id, "m": {"z": true}, "mode": "REPLACE"}),
            )
            .await;
        assert_eq!(replaced["setMetadata"]["metadata"], json!({"z": true}));
        let (code, _) = fails(
            &app,
            &t,
            set,
            json!({"t": target, "id": id, "m": [1, 2], "mode": "MERGE"}),
        )
        .await;
        assert_eq!(code, "VALIDATION");
    }
    let read = app
        .data(&t, "query($b: ID!, $s: ID!) { bom(id: $b) { metadata lines { metadata } } substitute(id: $s) { metadata } }", json!({"b": b, "s": sub}))
        .await;
    assert_eq!(read["bom"]["metadata"], json!({"z": true}));
    assert_eq!(read["bom"]["lines"][0]["metadata"], json!({"z": true}));
    assert_eq!(read["substitute"]["metadata"], json!({"z": true}));
}

/// An approval racing line additions never lets a line into the approved BOM: every line
/// it holds was added before the approval, and every addition after it is refused.
#[tokio::test]
async fn approval_and_concurrent_line_adds_do_not_interleave() {
    let (app, t) = app_with_admin().await;
    let mut parts = Vec::new();
    for i in 0..16 {
        parts.push(Part::named(format!("P{i}")).create(&app, &t).await);
    }
    let b = bom(&app, &t, json!({"name": "Race"})).await;
    let adds = parts.iter().map(|p| {
        app.gql(
            &t,
            ADD_LINE,
            json!({"i": {"bomId": b, "partId": p, "quantity": "1"}}),
        )
    });
    let approve = app.gql(
        &t,
        "mutation($b: ID!) { approveBom(input: {id: $b}) { bom { approved } } }",
        json!({"b": b}),
    );
    let (added, approved) = futures::join!(futures::future::join_all(adds), approve);
    assert_eq!(
        approved["data"]["approveBom"]["bom"]["approved"], true,
        "{approved}"
    );
    let mut accepted = 0;
    for resp in &added {
        match tests::error_codes(resp).first() {
            None => accepted += 1,
            Some(code) => assert_eq!(code, "CONFLICT", "{resp}"),
        }
    }
    let got = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { approvedAt lines { createdAt } } }",
            json!({"b": b}),
        )
        .await;
    let approved_at = got["bom"]["approvedAt"].as_str().unwrap().to_owned();
    let lines = got["bom"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), accepted, "{got}");
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    for l in lines {
        assert!(
            parse(l["createdAt"].as_str().unwrap()) <= parse(&approved_at),
            "a line was added after the approval: {got}"
        );
    }
}
