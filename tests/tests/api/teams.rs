//! Team administration over GraphQL: admins manage members, everyone manages their own
//! API tokens.
use serde_json::json;
use tests::builders::bom;
use tests::fails;
use tests::{error_codes, TeamRole, TestApp};

const SET: &str = "mutation($t: ID!, $u: String!, $r: String!) { setTeamMember(input: {teamId: $t, username: $u, role: $r}) { teamMember { username role } } }";
const REMOVE: &str =
    "mutation($t: ID!, $u: String!) { removeTeamMember(input: {teamId: $t, username: $u}) { deletedId } }";

#[tokio::test]
async fn admins_manage_members_and_roles_take_effect_at_once() {
    let app = TestApp::new().await;
    let admin = app.user("ada", "hw", TeamRole::Admin).await;
    let bob = app.user("bob", "elsewhere", TeamRole::Admin).await;
    let team = app.team_ids(&admin).await.remove(0);
    let secret = bom(&app, &admin, json!({"name": "Secret"})).await;
    let read = "query($b: ID!) { bom(id: $b) { name } }";

    // bob is not in the team: its BOM does not exist for him
    let (code, _) = fails(&app, &bob, read, json!({"b": secret})).await;
    assert_eq!(code, "NOT_FOUND");

    let added = app
        .data(&admin, SET, json!({"t": team, "u": "bob", "r": "viewer"}))
        .await;
    assert_eq!(
        added["setTeamMember"]["teamMember"],
        json!({"username": "bob", "role": "viewer"})
    );
    assert_eq!(
        app.data(&bob, read, json!({"b": secret})).await["bom"]["name"],
        "Secret"
    );
    let create =
        "mutation($t: ID!) { createPart(input: {name: \"x\", teamId: $t}) { part { id } } }";
    let (code, _) = fails(&app, &bob, create, json!({"t": team})).await;
    assert_eq!(code, "FORBIDDEN", "a viewer reads only");

    app.data(&admin, SET, json!({"t": team, "u": "bob", "r": "editor"}))
        .await;
    app.data(&bob, create, json!({"t": team})).await;
    let members = app
        .data(
            &bob,
            "query($t: ID!) { teamMembers(teamId: $t) { username role } }",
            json!({"t": team}),
        )
        .await;
    assert_eq!(
        members["teamMembers"],
        json!([{"username": "ada", "role": "admin"}, {"username": "bob", "role": "editor"}])
    );

    // an editor cannot change members; nobody outside the team can either
    let (code, _) = fails(
        &app,
        &bob,
        SET,
        json!({"t": team, "u": "bob", "r": "admin"}),
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    let carol = app.user("carol", "third", TeamRole::Admin).await;
    let (code, _) = fails(
        &app,
        &carol,
        SET,
        json!({"t": team, "u": "carol", "r": "admin"}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = fails(
        &app,
        &carol,
        "query($t: ID!) { teamMembers(teamId: $t) { username } }",
        json!({"t": team}),
    )
    .await;
    assert_eq!(code, "NOT_FOUND");

    let (code, err) = fails(
        &app,
        &admin,
        SET,
        json!({"t": team, "u": "nobody", "r": "viewer"}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["username"].is_array(), "{err}");
    let (code, _) = fails(
        &app,
        &admin,
        SET,
        json!({"t": team, "u": "bob", "r": "owner"}),
    )
    .await;
    assert_eq!(code, "VALIDATION");

    let removed = app
        .data(&admin, REMOVE, json!({"t": team, "u": "bob"}))
        .await;
    assert!(
        removed["removeTeamMember"]["deletedId"].is_string(),
        "{removed}"
    );
    let (code, _) = fails(&app, &bob, read, json!({"b": secret})).await;
    assert_eq!(code, "NOT_FOUND", "a removed member sees nothing");
    let (code, _) = fails(&app, &admin, REMOVE, json!({"t": team, "u": "bob"})).await;
    assert_eq!(code, "NOT_FOUND");
}

#[tokio::test]
async fn a_team_keeps_an_admin() {
    let app = TestApp::new().await;
    let admin = app.user("ada", "hw", TeamRole::Admin).await;
    app.user("bob", "elsewhere", TeamRole::Admin).await;
    let team = app.team_ids(&admin).await.remove(0);
    for (q, vars) in [
        (SET, json!({"t": team, "u": "ada", "r": "editor"})),
        (REMOVE, json!({"t": team, "u": "ada"})),
    ] {
        let (code, _) = fails(&app, &admin, q, vars).await;
        assert_eq!(code, "CONFLICT");
    }
    // with a second admin, the first may step down
    app.data(&admin, SET, json!({"t": team, "u": "bob", "r": "admin"}))
        .await;
    app.data(&admin, SET, json!({"t": team, "u": "ada", "r": "viewer"}))
        .await;
    let me = app
        .data(&admin, "{ me { teams { role } } }", json!({}))
        .await;
    assert_eq!(me["me"]["teams"][0]["role"], "viewer");
}

#[tokio::test]
async fn users_create_list_and_revoke_their_own_tokens() {
    let app = TestApp::new().await;
    let t = app.user("ada", "hw", TeamRole::Viewer).await;
    let other = app.user("bob", "hw2", TeamRole::Admin).await;
    let create =
        "mutation { createApiToken(input: {name: \"ci\"}) { key token { id name revoked } } }";
    // a token cannot make more tokens: a leaked one would outlive its revocation
    let (code, _) = fails(&app, &t, create, json!({})).await;
    assert_eq!(code, "FORBIDDEN");
    let made = app
        .with_password("ada", "password123")
        .post("/graphql", json!({"query": create}))
        .await
        .json()["data"]["createApiToken"]
        .clone();
    let key = made["key"].as_str().unwrap().to_owned();
    assert_eq!(made["token"]["name"], "ci");
    let me = "{ me { username } }";
    assert_eq!(app.data(&key, me, json!({})).await["me"]["username"], "ada");

    let listed = app
        .data(&t, "{ apiTokens { id name revoked } }", json!({}))
        .await;
    let names: Vec<&str> = listed["apiTokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"ci"), "{listed}");
    assert!(
        !listed.to_string().contains(&key),
        "keys are never shown again"
    );

    let revoke = "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { token { revoked } } }";
    let (code, _) = fails(&app, &other, revoke, json!({"id": made["token"]["id"]})).await;
    assert_eq!(
        code, "NOT_FOUND",
        "another user's token does not exist for them"
    );
    assert_eq!(app.data(&key, me, json!({})).await["me"]["username"], "ada");

    let revoked = app
        .data(&t, revoke, json!({"id": made["token"]["id"]}))
        .await;
    assert_eq!(revoked["revokeApiToken"]["token"]["revoked"], true);
    let resp = app.gql(&key, me, json!({})).await;
    assert_eq!(error_codes(&resp), ["UNAUTHENTICATED"]);
    assert_eq!(app.data(&t, me, json!({})).await["me"]["username"], "ada");
}
