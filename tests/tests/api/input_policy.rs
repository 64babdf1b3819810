//! One input policy on both backends: NUL characters, JSON nesting, decimal places,
//! pagination parameters and list sizes are refused with the field named, and nothing is
//! stored; every GraphQL error carries a code and every refusal reads as a sentence.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::builders::{app_with_admin, bom, line, Part};
use tests::error_codes;

const CREATE_PART: &str =
    "mutation($i: CreatePartInput!) { createPart(input: $i) { part { id } } }";

async fn part_count(app: &tests::TestApp, token: &str) -> i64 {
    app.data(token, "{ parts(first: 1) { totalCount } }", json!({}))
        .await["parts"]["totalCount"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn nul_characters_are_refused_with_the_field_named() {
    let (app, token) = app_with_admin().await;
    let before = part_count(&app, &token).await;
    let resp = app
        .gql(&token, CREATE_PART, json!({"i": {"name": "R\u{0}1"}}))
        .await;
    assert_eq!(error_codes(&resp), ["VALIDATION"]);
    assert_eq!(
        resp["errors"][0]["extensions"]["fields"]["name"],
        json!(["Null characters are not allowed."])
    );
    let resp = app
        .gql(
            &token,
            r#"{ parts(search: "a\u0000") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&resp), ["VALIDATION"]);

    let reply = app
        .rest(
            Method::POST,
            "/api/part/",
            &token,
            Some(json!({"name": "X\u{0}"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"name": ["Null characters are not allowed."]})
    );
    let reply = app
        .rest(Method::GET, "/api/bom/?search=r%00", &token, None)
        .await;
    assert_eq!(
        reply.json(),
        json!({"search": ["Null characters are not allowed."]})
    );
    let id = bom(&app, &token, json!({"name": "B"})).await;
    let reply = app
        .rest(
            Method::PATCH,
            &format!("/v1/boms/{id}/"),
            &token,
            Some(json!({"metadata": {"k\u{0}": 1}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json(),
        json!({"metadata": ["Null characters are not allowed."]})
    );
    assert_eq!(part_count(&app, &token).await, before, "nothing was stored");

    let assembly = Part::named("Board")
        .assembly()
        .create_rest(&app, &token)
        .await;
    let csv = b"part_name,quantity\nR\x001,2\n";
    let (status, body) = tests::import::upload(&app, &token, assembly, false, "bom.csv", csv).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"data_file": ["Null characters are not allowed."]})
    );
}

fn nested(depth: usize) -> Value {
    let mut v = json!("leaf");
    for _ in 0..depth {
        v = json!({ "k": v });
    }
    v
}

#[tokio::test]
async fn deep_json_is_refused_alike_on_both_surfaces() {
    let (app, token) = app_with_admin().await;
    let id = bom(&app, &token, json!({"name": "B"})).await;
    let part = Part::named("R1").create(&app, &token).await;
    let line = line(&app, &token, &id, json!({"partId": part, "quantity": "1"})).await;
    let line = app.row_id(&token, &line).await;
    let set = "mutation($id: ID!, $m: JSON!) { setMetadata(input: {target: BOM, id: $id, metadata: $m}) { metadata } }";
    let resp = app
        .gql(&token, set, json!({"id": id, "m": nested(100)}))
        .await;
    assert_eq!(error_codes(&resp), ["VALIDATION"], "{resp}");
    let message = resp["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("Nested more than 32 levels deep."),
        "{message}"
    );

    let reply = app
        .rest(
            Method::PUT,
            &format!("/api/bom/{line}/metadata/"),
            &token,
            Some(json!({"metadata": nested(100)})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body = reply.json();
    let (field, messages) = body.as_object().unwrap().iter().next().unwrap();
    assert!(field.starts_with("metadata"), "{body}");
    assert_eq!(messages, &json!(["Nested more than 32 levels deep."]));
    // Past what any JSON reader here follows (128), both surfaces refuse the body itself.
    let bearer = format!("Bearer {token}");
    let reply = app
        .request(
            Method::POST,
            "/graphql",
            &[("authorization", &bearer)],
            Some(json!({"query": set, "variables": {"id": id, "m": nested(200)}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_codes(&reply.json()), ["BAD_REQUEST"]);
    let reply = app
        .rest(
            Method::PUT,
            &format!("/api/bom/{line}/metadata/"),
            &token,
            Some(json!({"metadata": nested(200)})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // 32 levels are fine.
    let ok = app
        .gql(&token, set, json!({"id": id, "m": nested(31)}))
        .await;
    assert!(error_codes(&ok).is_empty(), "{ok}");
}

#[tokio::test]
async fn more_decimal_places_than_kept_are_refused_not_rounded() {
    let (app, token) = app_with_admin().await;
    let part = Part::named("R1").create(&app, &token).await;
    let id = bom(&app, &token, json!({"name": "B"})).await;
    let tiny = "0.00000000000000000000000000001";
    let add = "mutation($i: AddBomLineInput!) { addBomLine(input: $i) { bomLine { id } } }";
    let resp = app
        .gql(
            &token,
            add,
            json!({"i": {"bomId": id, "partId": part, "quantity": tiny}}),
        )
        .await;
    assert_eq!(error_codes(&resp), ["VALIDATION"]);
    assert_eq!(
        resp["errors"][0]["extensions"]["fields"]["quantity"],
        json!(["Ensure that there are no more than 15 decimal places."])
    );
    let literal = format!(
        "mutation {{ addBomLine(input: {{bomId: \"{id}\", partId: \"{part}\", quantity: {tiny}}}) {{ bomLine {{ id }} }} }}"
    );
    assert_eq!(
        error_codes(&app.gql(&token, &literal, json!({})).await),
        ["VALIDATION"]
    );

    let reply = app
        .rest(
            Method::POST,
            &format!("/v1/boms/{id}/lines/"),
            &token,
            Some(json!({"part_id": part, "quantity": tiny})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert!(reply.text().contains("no more than 15 decimal places"));
    let lines = app
        .data(
            &token,
            "query($b: ID!) { bom(id: $b) { lineCount } }",
            json!({"b": id}),
        )
        .await;
    assert_eq!(lines["bom"]["lineCount"], 0, "nothing was stored");
    // Fifteen places are kept exactly.
    let kept = "0.000000000000001";
    let resp = app
        .data(
            &token,
            "mutation($i: AddBomLineInput!) { addBomLine(input: $i) { bomLine { quantity } } }",
            json!({"i": {"bomId": id, "partId": part, "quantity": kept}}),
        )
        .await;
    assert_eq!(resp["addBomLine"]["bomLine"]["quantity"], kept);
}

#[tokio::test]
async fn pagination_parameters_out_of_range_are_400() {
    let (app, token) = app_with_admin().await;
    for (query, field, message) in [
        (
            "limit=-1",
            "limit",
            "Ensure this value is greater than or equal to 0.",
        ),
        ("limit=x", "limit", "A valid integer is required."),
        (
            "limit=5&offset=99999999999999999999",
            "offset",
            "A valid integer is required.",
        ),
        (
            "limit=5&offset=9999999999",
            "offset",
            "Ensure this value is less than or equal to 2147483647.",
        ),
    ] {
        for path in ["/api/bom/", "/api/part/", "/v1/boms/"] {
            let reply = app
                .rest(Method::GET, &format!("{path}?{query}"), &token, None)
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}?{query}");
            assert_eq!(reply.json(), json!({ field: [message] }), "{path}?{query}");
        }
    }
}

#[tokio::test]
async fn unpaginated_lists_stop_at_their_documented_maximum() {
    let (app, token) = app_with_admin().await;
    let team = app.team_row_ids(&token).await[0];
    let max = service::page::MAX_UNPAGINATED as usize;
    let parts = (0..=max)
        .map(|i| tests::bench::catalogue_part(team, format!("P{i}"), format!("IPN{i}"), "M", "X"))
        .collect();
    tests::bench::insert_parts(&app, team, parts).await;
    let reply = app.rest(Method::GET, "/api/part/", &token, None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.json()["limit"][0]
        .as_str()
        .unwrap()
        .contains("page through it"));
    let page = app
        .rest(Method::GET, "/api/part/?limit=3&offset=9999", &token, None)
        .await;
    assert_eq!(page.json()["count"], max + 1);
    assert_eq!(page.json()["results"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn every_graphql_error_has_a_code_and_reads_as_a_sentence() {
    let (app, token) = app_with_admin().await;
    for query in [
        "{ parts(first: \"x\") { totalCount } }",
        "{ bom { id } }",
        "{ nothingHere }",
        "{ parts(first: 1) { totalCount }",
    ] {
        let resp = app.gql(&token, query, json!({})).await;
        let codes = error_codes(&resp);
        assert!(
            !codes.is_empty() && codes.iter().all(|c| c == "BAD_REQUEST"),
            "{query}: {resp}"
        );
    }
    let bearer = format!("Bearer {token}");
    let auth = [("authorization", bearer.as_str())];
    for (body, words) in [
        (
            json!(vec![json!({"query": "{ me { username } }"}); 21]),
            "at most 20 operations",
        ),
        (json!([]), "no operation"),
        (json!({"query": 5}), "not a GraphQL request"),
    ] {
        let reply = app
            .request(Method::POST, "/graphql", &auth, Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let resp = reply.json();
        assert_eq!(error_codes(&resp), ["BAD_REQUEST"]);
        let message = resp["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(words) && !message.contains("Error {"),
            "{message}"
        );
    }
    let reply = app
        .request(Method::GET, "/graphql?variables=%7B", &auth, None)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_codes(&reply.json()), ["BAD_REQUEST"]);
}

#[tokio::test]
async fn a_wrong_password_is_not_called_a_token() {
    let (app, _) = app_with_admin().await;
    let reply = app.with_password("alice", "wrong").get("/api/bom/").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.json(),
        json!({"detail": "Invalid username/password."})
    );
    let reply = app
        .rest(Method::GET, "/api/bom/", "not-a-token", None)
        .await;
    assert_eq!(reply.json(), json!({"detail": "Invalid token."}));
}
