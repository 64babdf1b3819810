//! Mutations in one shape: each takes one `input` and answers a payload with what changed
//! (the object, its parent where a list changed, `deletedId` on removals), so a normalised
//! client cache (Apollo, Relay) updates from the answer without a refetch.
use serde_json::{json, Value};
use tests::builders::{app_with_admin, approve, bom, line, line_ids, program, Part};

/// The name of a type reference, through its non-null and list wrappers.
fn named(ty: &Value) -> String {
    match ty["name"].as_str() {
        Some(name) => name.to_owned(),
        None => named(&ty["ofType"]),
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

#[tokio::test]
async fn every_mutation_takes_one_input_and_answers_its_payload() {
    let (app, t) = app_with_admin().await;
    let schema = app
        .data(
            &t,
            "{ __schema { mutationType { fields { name
                 args { name type { kind name ofType { kind name } } }
                 type { kind name ofType { kind name } } } } } }",
            json!({}),
        )
        .await;
    let fields = schema["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap();
    assert!(fields.len() > 30, "{fields:?}");
    let mut wrong = Vec::new();
    for field in fields {
        let name = field["name"].as_str().unwrap();
        let stem = capitalised(name);
        let args = field["args"].as_array().unwrap();
        let one_input = args.len() == 1
            && args[0]["name"] == "input"
            && args[0]["type"]["kind"] == "NON_NULL"
            && named(&args[0]["type"]) == format!("{stem}Input");
        let payload = field["type"]["kind"] == "NON_NULL"
            && named(&field["type"]) == format!("{stem}Payload");
        if !(one_input && payload) {
            wrong.push(format!("{name}({args:?}): {}", named(&field["type"])));
        }
    }
    assert!(wrong.is_empty(), "not in one shape:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn create_and_update_answer_the_object() {
    let (app, t) = app_with_admin().await;
    let r = Part::named("R 10k").create(&app, &t).await;
    let made = app
        .data(
            &t,
            "mutation($p: ID!) { createBom(input: {name: \"Board\", lines: [{partId: $p, quantity: \"2\"}]})
               { bom { name lineCount lines { quantity part { id } } } } }",
            json!({"p": r}),
        )
        .await;
    assert_eq!(
        made["createBom"],
        json!({"bom": {"name": "Board", "lineCount": 1,
                       "lines": [{"quantity": "2", "part": {"id": r}}]}})
    );

    let updated = app
        .data(
            &t,
            "mutation($p: ID!) { updatePart(input: {id: $p, description: \"thick film\"}) { part { id description } } }",
            json!({"p": r}),
        )
        .await;
    assert_eq!(
        updated["updatePart"],
        json!({"part": {"id": r, "description": "thick film"}})
    );

    let b = bom(&app, &t, json!({"name": "Tagged"})).await;
    let tagged = app
        .data(
            &t,
            "mutation($b: ID!) { setMetadata(input: {target: BOM, id: $b, metadata: {owner: \"ee\"}})
               { metadata node { id ... on Bom { metadata } } } }",
            json!({"b": b}),
        )
        .await;
    assert_eq!(
        tagged["setMetadata"],
        json!({"metadata": {"owner": "ee"}, "node": {"id": b, "metadata": {"owner": "ee"}}})
    );
}

#[tokio::test]
async fn adding_a_line_answers_the_line_and_the_bom_that_lists_it() {
    let (app, t) = app_with_admin().await;
    let (r, c) = (
        Part::named("R").create(&app, &t).await,
        Part::named("C").create(&app, &t).await,
    );
    let b = bom(&app, &t, json!({"name": "Board"})).await;
    // the BOM's lines are read before each add, in the same request: each payload still
    // shows the BOM as it is after its own add
    let added = app
        .data(
            &t,
            "mutation($b: ID!, $r: ID!, $c: ID!) {
               first: addBomLine(input: {bomId: $b, partId: $r, quantity: \"1\"})
                 { bomLine { id } bom { id lineCount lines { id } } }
               second: addBomLine(input: {bomId: $b, partId: $c, quantity: \"2\"})
                 { bomLine { id quantity } bom { id lineCount lines { id } } }
             }",
            json!({"b": b, "r": r, "c": c}),
        )
        .await;
    let (first, second) = (&added["first"], &added["second"]);
    assert_eq!(first["bom"]["id"], b);
    assert_eq!(first["bom"]["lineCount"], 1);
    assert_eq!(
        first["bom"]["lines"],
        json!([{"id": first["bomLine"]["id"]}])
    );
    assert_eq!(second["bomLine"]["quantity"], "2");
    assert_eq!(second["bom"]["lineCount"], 2);
    assert_eq!(
        second["bom"]["lines"],
        json!([{"id": first["bomLine"]["id"]}, {"id": second["bomLine"]["id"]}])
    );

    let sub = app
        .data(
            &t,
            "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p})
               { substitute { id part { name } } bomLine { id substitutes { id } } } }",
            json!({"l": first["bomLine"]["id"], "p": c}),
        )
        .await["addSubstitute"]
        .clone();
    assert_eq!(sub["substitute"]["part"]["name"], "C");
    assert_eq!(sub["bomLine"]["id"], first["bomLine"]["id"]);
    assert_eq!(
        sub["bomLine"]["substitutes"],
        json!([{"id": sub["substitute"]["id"]}])
    );

    let p = program(&app, &t, "Pilot").await;
    let pl = app
        .data(
            &t,
            "mutation($p: ID!, $b: ID!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: \"5\"})
               { programLine { id quantity } program { id lines { id } } } }",
            json!({"p": p, "b": b}),
        )
        .await["addProgramLine"]
        .clone();
    assert_eq!(pl["programLine"]["quantity"], "5");
    assert_eq!(pl["program"]["id"], p);
    assert_eq!(
        pl["program"]["lines"],
        json!([{"id": pl["programLine"]["id"]}])
    );
}

#[tokio::test]
async fn removing_a_line_answers_its_id_and_the_bom_without_it() {
    let (app, t) = app_with_admin().await;
    let b = bom(&app, &t, json!({"name": "Board"})).await;
    let keep = line(&app, &t, &b, json!({"quantity": "1"})).await;
    let gone = line(&app, &t, &b, json!({"quantity": "2"})).await;
    let removed = app
        .data(
            &t,
            "mutation($l: ID!) { removeBomLine(input: {id: $l}) { deletedId bom { id lineCount lines { id } } } }",
            json!({"l": gone}),
        )
        .await;
    assert_eq!(
        removed["removeBomLine"],
        json!({"deletedId": gone, "bom": {"id": b, "lineCount": 1, "lines": [{"id": keep}]}})
    );
    assert_eq!(line_ids(&app, &t, &b).await, [keep]);
}

#[tokio::test]
async fn deleting_answers_the_deleted_id_and_an_archived_bom() {
    let (app, t) = app_with_admin().await;
    let part = Part::named("Spare").create(&app, &t).await;
    let deleted = app
        .data(
            &t,
            "mutation($p: ID!) { deletePart(input: {id: $p}) { deletedId } }",
            json!({"p": part}),
        )
        .await;
    assert_eq!(deleted["deletePart"], json!({"deletedId": part}));

    let delete_bom = "mutation($b: ID!) { deleteBom(input: {id: $b}) { deletedId outcome bom { id archived } } }";
    let draft = bom(&app, &t, json!({"name": "Draft"})).await;
    assert_eq!(
        app.data(&t, delete_bom, json!({"b": draft})).await["deleteBom"],
        json!({"deletedId": draft, "outcome": "DELETED", "bom": null})
    );
    let released = bom(&app, &t, json!({"name": "Released"})).await;
    approve(&app, &t, &released).await;
    assert_eq!(
        app.data(&t, delete_bom, json!({"b": released})).await["deleteBom"],
        json!({"deletedId": released, "outcome": "ARCHIVED",
               "bom": {"id": released, "archived": true}})
    );
}
