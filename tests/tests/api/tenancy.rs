use serde_json::json;
use tests::builders::{bom, line, program, substitute, Part, ADD_LINE};
use tests::fails;
use tests::{error_codes, TeamRole, TestApp};

/// Team B's user can neither see nor touch team A's data, through any query or mutation.
#[tokio::test]
async fn teams_are_isolated() {
    let app = TestApp::new().await;
    let a = app.user("alice", "team-a", TeamRole::Admin).await;
    let b = app.user("mallory", "team-b", TeamRole::Admin).await;
    let part_a = Part::named("Secret part").create(&app, &a).await;
    let sub_part = Part::named("Secret sub").create(&app, &a).await;
    let bom_a = bom(&app, &a, json!({"name": "Secret BOM"})).await;
    let line_a = line(&app, &a, &bom_a, json!({"partId": part_a, "quantity": "1"})).await;
    let sub = substitute(&app, &a, &line_a, &sub_part).await;
    let prog = program(&app, &a, "Run").await;

    // reads
    for (q, vars) in [
        (
            "query($id: ID!) { part(id: $id) { id } }",
            json!({"id": part_a}),
        ),
        (
            "query($id: ID!) { bom(id: $id) { id } }",
            json!({"id": bom_a}),
        ),
        (
            "query($id: ID!) { bomLine(id: $id) { id } }",
            json!({"id": line_a}),
        ),
        (
            "query($id: ID!) { substitute(id: $id) { id } }",
            json!({"id": sub}),
        ),
        (
            "query($id: ID!) { program(id: $id) { id } }",
            json!({"id": prog}),
        ),
        (
            "query($id: ID!) { bomExplosion(bomId: $id) { quantity } }",
            json!({"id": bom_a}),
        ),
        (
            "query($id: ID!) { whereUsed(partId: $id) { id } }",
            json!({"id": part_a}),
        ),
    ] {
        let (code, _) = fails(&app, &b, q, vars).await;
        assert_eq!(code, "NOT_FOUND", "{q}");
    }
    let lists = app
        .data(&b, "{ parts { totalCount } boms { totalCount } bomLines { totalCount } programs { totalCount } }", json!({}))
        .await;
    for list in ["parts", "boms", "bomLines", "programs"] {
        assert_eq!(lists[list]["totalCount"], 0, "{list}");
    }
    let by_filter = app
        .data(&b, "query($p: ID!, $b: ID!) { x: bomLines(filter: {uses: $p}) { totalCount } y: bomLines(filter: {bomId: $b}) { totalCount } }", json!({"p": part_a, "b": bom_a}))
        .await;
    assert_eq!(by_filter["x"]["totalCount"], 0);
    assert_eq!(by_filter["y"]["totalCount"], 0);

    // writes
    for (q, vars) in [
        (
            "mutation($id: ID!) { updatePart(input: {id: $id, name: \"pwned\"}) { part { id } } }",
            json!({"id": part_a}),
        ),
        (
            "mutation($id: ID!) { deletePart(input: {id: $id}) { deletedId } }",
            json!({"id": part_a}),
        ),
        (
            "mutation($id: ID!) { updateBom(input: {id: $id, name: \"pwned\"}) { bom { id } } }",
            json!({"id": bom_a}),
        ),
        (
            "mutation($id: ID!) { deleteBom(input: {id: $id}) { deletedId } }",
            json!({"id": bom_a}),
        ),
        (
            "mutation($id: ID!) { approveBom(input: {id: $id}) { bom { id } } }",
            json!({"id": bom_a}),
        ),
        (ADD_LINE, json!({"i": {"bomId": bom_a, "quantity": "1"}})),
        (
            "mutation($id: ID!) { updateBomLine(input: {id: $id, quantity: \"9\"}) { bomLine { id } } }",
            json!({"id": line_a}),
        ),
        (
            "mutation($id: ID!) { removeBomLine(input: {id: $id}) { deletedId } }",
            json!({"id": line_a}),
        ),
        (
            "mutation($id: ID!) { validateBomLine(input: {id: $id, valid: true}) { bomLine { id } } }",
            json!({"id": line_a}),
        ),
        (
            "mutation($id: ID!) { removeSubstitute(input: {id: $id}) { deletedId } }",
            json!({"id": sub}),
        ),
        (
            "mutation($id: ID!) { setMetadata(input: {target: BOM, id: $id, metadata: {x: 1}}) { metadata } }",
            json!({"id": bom_a}),
        ),
        (
            "mutation($id: ID!) { setMetadata(input: {target: BOM_LINE, id: $id, metadata: {x: 1}}) { metadata } }",
            json!({"id": line_a}),
        ),
        (
            "mutation($id: ID!) { setMetadata(input: {target: SUBSTITUTE, id: $id, metadata: {x: 1}}) { metadata } }",
            json!({"id": sub}),
        ),
        (
            "mutation($id: ID!) { updateProgram(input: {id: $id, name: \"pwned\"}) { program { id } } }",
            json!({"id": prog}),
        ),
        (
            "mutation($id: ID!) { deleteProgram(input: {id: $id}) { deletedId } }",
            json!({"id": prog}),
        ),
    ] {
        let (code, _) = fails(&app, &b, q, vars).await;
        assert_eq!(code, "NOT_FOUND", "{q}");
    }
    // B cannot use A's part in its own BOM, nor A's BOM in its own program
    let bom_b = bom(&app, &b, json!({"name": "Mine"})).await;
    let (code, _) = fails(
        &app,
        &b,
        ADD_LINE,
        json!({"i": {"bomId": bom_b, "partId": part_a, "quantity": "1"}}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let prog_b = program(&app, &b, "Mine").await;
    let (code, _) = fails(
        &app,
        &b,
        "mutation($p: ID!, $b: ID!) { addProgramLine(input: {programId: $p, bomId: $b, quantity: \"1\"}) { programLine { id } } }",
        json!({"p": prog_b, "b": bom_a}),
    )
    .await;
    assert_eq!(code, "VALIDATION");

    // and nothing of A's changed
    let still = app
        .data(&a, "query($p: ID!, $b: ID!) { part(id: $p) { name } bom(id: $b) { name approved lines { quantity metadata substitutes { id } } } }", json!({"p": part_a, "b": bom_a}))
        .await;
    assert_eq!(still["part"]["name"], "Secret part");
    assert_eq!(still["bom"]["name"], "Secret BOM");
    assert_eq!(still["bom"]["approved"], false);
    assert_eq!(
        still["bom"]["lines"],
        json!([{"quantity": "1", "metadata": null, "substitutes": [{"id": sub}]}])
    );
}

#[tokio::test]
async fn viewers_read_but_cannot_write() {
    let app = TestApp::new().await;
    let admin = app.user("admin", "shared", TeamRole::Admin).await;
    let viewer = app.user("viewer", "shared", TeamRole::Viewer).await;
    let p = Part::named("P").create(&app, &admin).await;
    let got = app
        .data(
            &viewer,
            "query($p: ID!) { part(id: $p) { name } }",
            json!({"p": p}),
        )
        .await;
    assert_eq!(got["part"]["name"], "P");
    let (code, _) = fails(
        &app,
        &viewer,
        "mutation($p: ID!) { updatePart(input: {id: $p, name: \"x\"}) { part { id } } }",
        json!({"p": p}),
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    let resp = app
        .gql(
            &viewer,
            "mutation { createPart(input: {name: \"x\"}) { part { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&resp), ["FORBIDDEN"]);
}

#[tokio::test]
async fn users_in_several_teams_choose_one() {
    let app = TestApp::new().await;
    let t = app.user("multi", "one", TeamRole::Editor).await;
    app.user("multi", "two", TeamRole::Editor).await;
    let me = app
        .data(&t, "{ me { teams { teamId teamName } } }", json!({}))
        .await;
    let teams = me["me"]["teams"].as_array().unwrap().clone();
    assert_eq!(teams.len(), 2);
    let (code, _) = fails(
        &app,
        &t,
        "mutation { createPart(input: {name: \"x\"}) { part { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    let made = app
        .data(
            &t,
            "mutation($team: ID!) { createPart(input: {name: \"x\", teamId: $team}) { part { teamId } } }",
            json!({"team": teams[1]["teamId"]}),
        )
        .await;
    assert_eq!(made["createPart"]["part"]["teamId"], teams[1]["teamId"]);
}

/// Through REST too: a user of several teams names the team of a new row; a team they are
/// not in is a field error, as DRF reports an unknown primary key.
#[tokio::test]
async fn rest_writes_name_their_team() {
    use axum::http::{Method, StatusCode};
    let app = TestApp::new().await;
    let t = app.user("multi", "one", TeamRole::Editor).await;
    app.user("multi", "two", TeamRole::Editor).await;
    let other = app.user("stranger", "elsewhere", TeamRole::Admin).await;
    let foreign = app.team_row_ids(&other).await[0];
    let mine = app.team_row_ids(&t).await[1];

    let r = app
        .rest(Method::POST, "/api/part/", &t, Some(json!({"name": "x"})))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.json()["team_id"].is_array(), "{}", r.text());
    let r = app
        .rest(
            Method::POST,
            "/api/part/",
            &t,
            Some(json!({"name": "x", "team_id": mine})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["team_id"], mine);

    for (path, body) in [
        ("/api/part/", json!({"name": "x", "team_id": foreign})),
        ("/v1/boms/", json!({"name": "x", "team_id": foreign})),
        ("/v1/programs/", json!({"name": "x", "team_id": foreign})),
    ] {
        let r = app.rest(Method::POST, path, &t, Some(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text());
        assert!(r.json()["team_id"].is_array(), "{path}: {}", r.text());
    }
    let parts = app
        .data(
            &other,
            "{ parts { totalCount } boms { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(parts["parts"]["totalCount"], 0);
    assert_eq!(parts["boms"]["totalCount"], 0);
}
