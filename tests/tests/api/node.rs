//! Global Object Identification: every object is found again by its id through `node`,
//! `nodes` reads each type in one statement, another team's ids read as missing ones, and an
//! id of the wrong type or no id at all is a `VALIDATION` error naming the field.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::{app_with_admin, bom, line, program, queue_availability, substitute, Part};
use tests::request::NODE_TYPES;
use tests::{error_codes, fails, global_id, TeamRole, TestApp};

/// `node(id)` with its type, id and, whatever the type, its row id.
fn refetch_query() -> String {
    let fragments: String = NODE_TYPES
        .iter()
        .map(|t| format!(" ... on {t} {{ rowId }}"))
        .collect();
    format!("query($id: ID!) {{ node(id: $id) {{ __typename id{fragments} }} }}")
}

fn nodes_query() -> String {
    let fragments: String = NODE_TYPES
        .iter()
        .map(|t| format!(" ... on {t} {{ rowId }}"))
        .collect();
    format!("query($ids: [ID!]!) {{ nodes(ids: $ids) {{ __typename id{fragments} }} }}")
}

/// One object of every `Node` type, made as a client makes them: (type, id).
async fn one_of_each(app: &TestApp, t: &str) -> Vec<(&'static str, String)> {
    let r = Part::named("R 10k").priced("0.01").create(app, t).await;
    let alt = Part::named("R 10k alt").create(app, t).await;
    let b = bom(app, t, json!({"name": "Board"})).await;
    let l = line(app, t, &b, json!({"partId": r, "quantity": "2"})).await;
    let s = substitute(app, t, &l, &alt).await;
    let prog = program(app, t, "Pilot").await;
    let made = app
        .data(
            t,
            "mutation($p: ID!, $b: ID!, $r: ID!) {
              addProgramLine(input: {programId: $p, bomId: $b, quantity: \"5\"}) { programLine { id } }
              addPartOverride(input: {programId: $p, partId: $r, exclude: true}) { partOverride { id } }
              setManufacturerAlias(input: {alias: \"TI\", manufacturer: \"Texas Instruments\"}) { manufacturerAlias { id } }
            }",
            json!({"p": prog, "b": b, "r": r}),
        )
        .await;
    let job = queue_availability(app, t, &prog).await;
    let read = app
        .data(
            t,
            "query($r: ID!) {
              part(id: $r) { offers { id priceBreaks { id } } }
              me { id teams { team { id } } }
              apiTokens { id }
            }",
            json!({"r": r}),
        )
        .await;
    let team = read["me"]["teams"][0]["team"]["id"].clone();
    let members = app
        .data(
            t,
            "query($t: ID!) { teamMembers(teamId: $t) { id userId } }",
            json!({"t": team}),
        )
        .await;
    let s_ = |v: &Value| v.as_str().expect("an id").to_owned();
    vec![
        ("ApiToken", s_(&read["apiTokens"][0]["id"])),
        ("Bom", b),
        ("BomLine", l),
        ("Job", s_(&job)),
        (
            "ManufacturerAlias",
            s_(&made["setManufacturerAlias"]["manufacturerAlias"]["id"]),
        ),
        ("Me", s_(&read["me"]["id"])),
        ("Offer", s_(&read["part"]["offers"][0]["id"])),
        ("Part", r),
        (
            "PartOverride",
            s_(&made["addPartOverride"]["partOverride"]["id"]),
        ),
        (
            "PriceBreak",
            s_(&read["part"]["offers"][0]["priceBreaks"][0]["id"]),
        ),
        ("Program", s_(&prog)),
        (
            "ProgramLine",
            s_(&made["addProgramLine"]["programLine"]["id"]),
        ),
        ("Substitute", s),
        ("Team", s_(&team)),
        ("TeamMember", s_(&members["teamMembers"][0]["id"])),
        ("User", s_(&members["teamMembers"][0]["userId"])),
    ]
}

#[tokio::test]
async fn every_node_type_is_found_again_by_its_id() {
    let (app, t) = app_with_admin().await;
    let objects = one_of_each(&app, &t).await;
    let types: Vec<&str> = objects.iter().map(|(ty, _)| *ty).collect();
    assert_eq!(types, NODE_TYPES, "one object of every Node type");
    for (ty, id) in &objects {
        let node = &app.data(&t, &refetch_query(), json!({"id": id})).await["node"];
        assert_eq!(node["__typename"], *ty, "{id}");
        assert_eq!(node["id"], *id);
        // opaque to clients, but documented: base64url of "<TypeName>:<rowId>"
        let row = node["rowId"].as_i64().expect("a rowId");
        assert_eq!(*id, global_id(ty, row), "{ty}");
    }
    let ids: Vec<&String> = objects.iter().map(|(_, id)| id).collect();
    let all = app.data(&t, &nodes_query(), json!({"ids": ids})).await;
    let found: Vec<(Value, Value)> = all["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["__typename"].clone(), n["id"].clone()))
        .collect();
    let expected: Vec<(Value, Value)> = objects
        .iter()
        .map(|(ty, id)| (json!(ty), json!(id)))
        .collect();
    assert_eq!(found, expected, "in the order asked");
}

#[tokio::test]
async fn row_id_is_the_id_the_rest_dialects_use() {
    let (app, t) = app_with_admin().await;
    let pk = Part::named("Made over REST").create_rest(&app, &t).await;
    let gql = app
        .data(
            &t,
            "{ parts(filter: {search: \"Made over REST\"}) { nodes { id rowId } } }",
            json!({}),
        )
        .await;
    let part = &gql["parts"]["nodes"][0];
    assert_eq!(part["rowId"], pk);
    let bom = app
        .with_token(&t)
        .post("/v1/boms/", json!({"name": "Cofactr BOM"}))
        .await
        .expect(StatusCode::CREATED);
    let found = app
        .data(
            &t,
            "{ boms(filter: {name: \"Cofactr BOM\"}) { nodes { id rowId } } }",
            json!({}),
        )
        .await;
    let node = &found["boms"]["nodes"][0];
    assert_eq!(node["rowId"], bom["id"]);
    assert_eq!(app.row_id(&t, &node["id"]).await, bom["id"]);
    // and the REST object is the GraphQL one
    let rest = app
        .with_token(&t)
        .get(&format!("/api/part/{pk}/"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(rest["pk"], part["rowId"]);
}

/// Statements of one request, less those any request costs (authentication).
async fn statements_of(app: &TestApp, t: &str, query: &str, vars: Value) -> (u64, Value) {
    let before = app.statements();
    app.data(t, "{ me { id } }", json!({})).await;
    let baseline = app.statements() - before;
    let before = app.statements();
    let data = app.data(t, query, vars).await;
    (app.statements() - before - baseline, data)
}

#[tokio::test]
async fn nodes_reads_the_ids_of_one_type_in_one_statement() {
    let (mut app, t) = app_with_admin().await;
    // the job worker's polling would count too
    app.stop_worker().await;
    let mut ids = Vec::new();
    let b = bom(&app, &t, json!({"name": "Board"})).await;
    for i in 0..3 {
        let p = Part::named(format!("P{i}")).create(&app, &t).await;
        ids.push(line(&app, &t, &b, json!({"partId": p, "quantity": "1"})).await);
        ids.push(p);
    }
    ids.push(b);
    ids.push(bom(&app, &t, json!({"name": "Case"})).await);
    ids.push(global_id("Part", 999_999));
    let (used, data) = statements_of(&app, &t, &nodes_query(), json!({"ids": ids})).await;
    let types: Vec<Value> = data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["__typename"].clone())
        .collect();
    let expected = [
        "BomLine", "Part", "BomLine", "Part", "BomLine", "Part", "Bom", "Bom",
    ];
    assert_eq!(types[..8], expected.map(|t| json!(t)));
    assert_eq!(types[8], Value::Null, "the missing part");
    assert_eq!(used, 3, "one statement each for parts, BOMs and lines");

    // aliases of `node` are batched the same way
    let aliases = "query($a: ID!, $b: ID!, $c: ID!) {
      a: node(id: $a) { id } b: node(id: $b) { id } c: node(id: $c) { id } }";
    let vars = json!({"a": ids[1], "b": ids[3], "c": ids[5]});
    let (used, data) = statements_of(&app, &t, aliases, vars).await;
    assert_eq!(data["c"]["id"], ids[5]);
    assert_eq!(used, 1, "three parts, one statement");
}

#[tokio::test]
async fn another_teams_ids_answer_like_ids_of_nothing() {
    let (app, t) = app_with_admin().await;
    let mallory = app.user("mallory", "rivals", TeamRole::Admin).await;
    let theirs = one_of_each(&app, &mallory).await;
    let missing: Vec<(&str, String)> = theirs
        .iter()
        .map(|(ty, _)| (*ty, global_id(ty, 999_999)))
        .collect();
    for (ty, id) in theirs.iter().chain(&missing) {
        let resp = app.gql(&t, &refetch_query(), json!({"id": id})).await;
        assert_eq!(resp, json!({"data": {"node": null}}), "{ty} {id}");
    }
    let mine = Part::named("Mine").create(&app, &t).await;
    let ids = [
        mine.clone(),
        theirs[7].1.clone(),
        missing[7].1.clone(),
        mine.clone(),
    ];
    let resp = app.gql(&t, &nodes_query(), json!({"ids": ids})).await;
    assert!(resp.get("errors").is_none(), "{resp}");
    let found: Vec<&Value> = resp["data"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["id"])
        .collect();
    assert_eq!(
        found,
        [&json!(mine), &Value::Null, &Value::Null, &json!(mine)]
    );

    // mutations: another team's id is refused exactly as an id of nothing
    let by_type = |list: &[(&str, String)], ty: &str| {
        list.iter()
            .find(|(t, _)| *t == ty)
            .map(|(_, id)| id.clone())
            .unwrap()
    };
    for (mutation, ty) in [
        (
            "mutation($id: ID!) { approveBom(input: {id: $id}) { bom { id } } }",
            "Bom",
        ),
        (
            "mutation($id: ID!) { removeBomLine(input: {id: $id}) { deletedId } }",
            "BomLine",
        ),
        (
            "mutation($id: ID!) { removeSubstitute(input: {id: $id}) { deletedId } }",
            "Substitute",
        ),
        (
            "mutation($id: ID!) { deletePart(input: {id: $id}) { deletedId } }",
            "Part",
        ),
        (
            "mutation($id: ID!) { deleteProgram(input: {id: $id}) { deletedId } }",
            "Program",
        ),
        (
            "mutation($id: ID!) { removeProgramLine(input: {id: $id}) { deletedId } }",
            "ProgramLine",
        ),
        (
            "mutation($id: ID!) { removePartOverride(input: {id: $id}) { deletedId } }",
            "PartOverride",
        ),
        (
            "mutation($id: ID!) { removeManufacturerAlias(input: {id: $id}) { deletedId } }",
            "ManufacturerAlias",
        ),
        (
            "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { token { id } } }",
            "ApiToken",
        ),
    ] {
        let (code, foreign) = fails(&app, &t, mutation, json!({"id": by_type(&theirs, ty)})).await;
        let (_, nothing) = fails(&app, &t, mutation, json!({"id": by_type(&missing, ty)})).await;
        assert_eq!(code, "NOT_FOUND", "{mutation}");
        assert_eq!(foreign, nothing, "{mutation}");
    }
    // their objects are untouched
    let still = app
        .data(
            &mallory,
            &refetch_query(),
            json!({"id": by_type(&theirs, "Part")}),
        )
        .await;
    assert_eq!(still["node"]["__typename"], "Part");

    // a user is found once they share a team with the caller
    let their_user = by_type(&theirs, "User");
    let team = app.team_ids(&t).await.remove(0);
    app.data(
        &t,
        "mutation($t: ID!) { setTeamMember(input: {teamId: $t, username: \"mallory\", role: \"viewer\"}) { teamMember { id } } }",
        json!({"t": team}),
    )
    .await;
    let user = app
        .data(&t, &refetch_query(), json!({"id": their_user}))
        .await;
    assert_eq!(user["node"]["__typename"], "User");
}

#[tokio::test]
async fn an_id_of_the_wrong_type_is_a_validation_error_naming_the_field() {
    let (app, t) = app_with_admin().await;
    let p = Part::named("R").create(&app, &t).await;
    let b = bom(&app, &t, json!({"name": "Board"})).await;
    let l = line(&app, &t, &b, json!({"partId": p, "quantity": "1"})).await;
    for (query, vars, field) in [
        (
            "mutation($b: ID!) { addBomLine(input: {bomId: $b, quantity: \"1\"}) { bomLine { id } } }",
            json!({"b": l}),
            "bomId",
        ),
        (
            "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p}) { substitute { id } } }",
            json!({"l": b, "p": p}),
            "bomLineId",
        ),
        (
            "mutation($l: ID!, $p: ID!) { addSubstitute(input: {bomLineId: $l, partId: $p}) { substitute { id } } }",
            json!({"l": l, "p": l}),
            "partId",
        ),
        (
            "mutation($p: ID!) { createBom(input: {name: \"X\", assemblyPartId: $p}) { bom { id } } }",
            json!({"p": b}),
            "assemblyPartId",
        ),
        (
            "mutation($id: ID!) { updateBomLine(input: {id: $id, partId: $id}) { bomLine { id } } }",
            json!({"id": l}),
            "partId",
        ),
        (
            "mutation($id: ID!) { setMetadata(input: {target: BOM_LINE, id: $id, metadata: {}}) { metadata } }",
            json!({"id": b}),
            "id",
        ),
        (
            "query($id: ID!) { bom(id: $id) { id } }",
            json!({"id": p}),
            "id",
        ),
        (
            "query($p: ID!) { bomLines(filter: {uses: $p}) { totalCount } }",
            json!({"p": b}),
            "uses",
        ),
    ] {
        let (code, err) = fails(&app, &t, query, vars).await;
        assert_eq!(code, "VALIDATION", "{query}: {err}");
        let fields = err["extensions"]["fields"].as_object().unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), [field], "{query}: {err}");
        assert!(fields[field][0].as_str().unwrap().contains("the id of a"));
    }
    // nothing was written
    let lines = app
        .data(
            &t,
            "query($b: ID!) { bom(id: $b) { lines { part { id } substitutes { id } } } }",
            json!({"b": b}),
        )
        .await;
    assert_eq!(
        lines["bom"]["lines"],
        json!([{"part": {"id": p}, "substitutes": []}])
    );
}

#[tokio::test]
async fn a_malformed_id_is_a_validation_error() {
    let (app, t) = app_with_admin().await;
    let p = Part::named("R").create(&app, &t).await;
    let row = app.row_id(&t, &p).await;
    for bad in [
        json!(row.to_string()),
        json!("not an id"),
        json!(""),
        json!(global_id("Nothing", 1)),
        json!(format!("{p}==")),
    ] {
        let (code, err) = fails(&app, &t, &refetch_query(), json!({"id": bad})).await;
        assert_eq!(code, "VALIDATION", "{bad}: {err}");
        assert!(err["extensions"]["fields"]["id"].is_array(), "{err}");
        let (code, err) = fails(
            &app,
            &t,
            "query($id: ID!) { part(id: $id) { id } }",
            json!({"id": bad}),
        )
        .await;
        assert_eq!(code, "VALIDATION", "{bad}: {err}");
    }
    let (code, err) = fails(&app, &t, &nodes_query(), json!({"ids": [p, "nope"]})).await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["ids[1]"].is_array(), "{err}");
}

#[tokio::test]
async fn nodes_takes_at_most_a_hundred_ids() {
    let (app, t) = app_with_admin().await;
    let p = Part::named("R").create(&app, &t).await;
    let hundred = vec![p.clone(); 100];
    let all = app
        .data(
            &t,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({"ids": hundred}),
        )
        .await;
    assert_eq!(all["nodes"].as_array().unwrap().len(), 100);
    let resp = app
        .gql(
            &t,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({"ids": vec![p; 101]}),
        )
        .await;
    assert_eq!(error_codes(&resp), ["VALIDATION"], "{resp}");
    let message = resp["errors"][0]["extensions"]["fields"]["ids"][0]
        .as_str()
        .unwrap();
    assert!(message.contains("no more than 100 ids"), "{message}");
}
