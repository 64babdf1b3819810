use axum::http::{Method, StatusCode};
use serde_json::json;
use tests::{error_codes, TeamRole, TestApp};

#[tokio::test]
async fn schema_file_matches_export() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let on_disk = std::fs::read_to_string(path).expect("schema.graphql at the repository root");
    assert!(
        on_disk == api::graphql::sdl(),
        "schema.graphql is stale: run `cargo run --bin bomgraph -- export-schema > schema.graphql`"
    );
}

#[tokio::test]
async fn health_and_metrics() {
    let mut app = TestApp::new().await;
    // the idle job worker's polls count too
    app.stop_worker().await;
    let health = app.request(Method::GET, "/healthz", &[], None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["database"], "ok");
    let token = app.user("m", "t", TeamRole::Admin).await;
    app.data(&token, "{ parts { totalCount } }", json!({}))
        .await;
    let metrics = app.request(Method::GET, "/metrics", &[], None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = metrics.text();
    assert!(
        text.contains(
            "bomgraph_http_requests_total{method=\"POST\",path=\"/graphql\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("bomgraph_http_request_duration_seconds_bucket"),
        "{text}"
    );
    let statements: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("bomgraph_db_statements_total "))
        .expect("statement counter")
        .parse()
        .unwrap();
    assert!(statements > 0 && statements == app.statements());
}

#[tokio::test]
async fn graphiql_is_served_without_a_cdn() {
    let app = TestApp::new().await;
    let page = app.request(Method::GET, "/graphiql", &[], None).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("/graphiql/graphiql.min.js") && html.contains("url: '/graphql'"));
    assert!(
        !html.contains("https://"),
        "GraphiQL must not load anything from the internet"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        let r = app
            .request(Method::GET, &format!("/graphiql/{asset}"), &[], None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{asset}");
        assert!(r.body.len() > 1000, "{asset}");
    }
    // subscriptions: the page names the socket, and the bundle carries the client that
    // speaks graphql-transport-ws
    assert!(html.contains("subscriptionUrl") && html.contains("/graphql/ws"));
    let bundle = app
        .request(Method::GET, "/graphiql/graphiql.min.js", &[], None)
        .await;
    assert!(bundle.text().contains("graphql-transport-ws"));
}

/// The query GraphiQL sends to load the schema must pass the depth and complexity limits.
#[tokio::test]
async fn graphiql_introspection_passes_limits() {
    let app = TestApp::new().await;
    let query = r#"
      query IntrospectionQuery {
        __schema {
          queryType { name } mutationType { name } subscriptionType { name }
          types { ...FullType }
          directives { name description locations args { ...InputValue } }
        }
      }
      fragment FullType on __Type {
        kind name description
        fields(includeDeprecated: true) {
          name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
        }
        inputFields { ...InputValue }
        interfaces { ...TypeRef }
        enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
        possibleTypes { ...TypeRef }
      }
      fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
      fragment TypeRef on __Type {
        kind name ofType { kind name ofType { kind name ofType { kind name ofType {
          kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
      }"#;
    let resp = app.gql("", query, json!({})).await;
    assert!(resp.get("errors").is_none(), "{resp:#}");
    assert_eq!(resp["data"]["__schema"]["queryType"]["name"], "Query");
}

/// A list costs its page size: many aliased full pages are refused before any SQL runs,
/// while a large single page of a front-end's usual fields is fine.
#[tokio::test]
async fn list_complexity_follows_page_size() {
    let mut app = TestApp::new().await;
    // the idle job worker's polls would count as statements
    app.stop_worker().await;
    let t = app.user("bob", "t", TeamRole::Editor).await;
    let page = "boms(first: 500) { totalCount nodes { id name version approved lines { id quantity part { id name } } } }";
    let resp = app.gql(&t, &format!("{{ {page} }}"), json!({})).await;
    assert!(resp.get("errors").is_none(), "{resp:#}");
    let aliased: String = (0..20).map(|i| format!("a{i}: {page} ")).collect();
    let before = app.statements();
    app.gql(&t, "{ __typename }", json!({})).await;
    let authentication = app.statements() - before;
    let before = app.statements();
    let resp = app.gql(&t, &format!("{{ {aliased} }}"), json!({})).await;
    let message = resp["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too complex"), "{resp:#}");
    assert_eq!(
        app.statements() - before,
        authentication,
        "refused before any query of data"
    );
}

#[tokio::test]
async fn authentication_schemes() {
    let app = TestApp::new().await;
    let token = app.user("bob", "t", TeamRole::Editor).await;
    let me = json!({"query": "{ me { username teams { teamName role } } }"});
    for scheme in ["Bearer", "Token", "Api-Key"] {
        let client = app.with_authorization(&format!("{scheme} {token}"));
        let r = client.post("/graphql", me.clone()).await;
        assert_eq!(r.json()["data"]["me"]["username"], "bob", "{scheme}");
    }
    let basic = app.with_password("bob", "password123");
    let r = basic.post("/graphql", me.clone()).await;
    assert_eq!(r.json()["data"]["me"]["teams"][0]["role"], "editor");

    for refused in [
        app.with_password("bob", "nope"),
        app.with_authorization("Bearer not-a-token"),
    ] {
        let r = refused.post("/graphql", me.clone()).await;
        // a GraphQL error that GraphQL clients show, not a network error
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(error_codes(&r.json()), ["UNAUTHENTICATED"]);
    }

    let anonymous = app.gql("", "{ parts { totalCount } }", json!({})).await;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"]);
    let anonymous = app
        .gql(
            "",
            "mutation { createPart(input: {name: \"x\"}) { part { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn get_reads_but_never_writes() {
    let app = TestApp::new().await;
    let token = app.user("g", "t", TeamRole::Admin).await;
    let auth = format!("Bearer {token}");
    let r = app
        .request(
            Method::GET,
            "/graphql?query=%7B%20me%20%7B%20username%20%7D%20%7D",
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(r.json()["data"]["me"]["username"], "g");
    let r = app
        .request(
            Method::GET,
            "/graphql?query=mutation%20%7B%20createPart(input%3A%20%7Bname%3A%20%22x%22%7D)%20%7B%20part%20%7B%20id%20%7D%20%7D%20%7D",
            &[("authorization", &auth)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let parts = app
        .data(&token, "{ parts { totalCount } }", json!({}))
        .await;
    assert_eq!(parts["parts"]["totalCount"], 0);
}

#[tokio::test]
async fn revoked_tokens_stop_working() {
    let app = TestApp::new().await;
    let keep = app.user("rita", "t", TeamRole::Editor).await;
    let gone = service::auth::create_token(&app.state.db, "rita", "laptop")
        .await
        .unwrap();
    let me = "{ me { username } }";
    assert_eq!(
        app.data(&gone, me, json!({})).await["me"]["username"],
        "rita"
    );
    let n = service::auth::revoke_tokens(&app.state.db, "rita", Some("laptop"))
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        error_codes(&app.gql(&gone, me, json!({})).await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        app.data(&keep, me, json!({})).await["me"]["username"],
        "rita",
        "other tokens still work"
    );
}

/// When the database cannot check a credential, the answer is a server error, not a 401
/// that would tell a client its valid token is wrong.
#[tokio::test]
async fn a_database_failure_during_authentication_is_a_server_error() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let t = app.user("u", "team", TeamRole::Admin).await;
    app.state
        .db
        .execute_unprepared("ALTER TABLE api_token RENAME TO api_token_gone")
        .await
        .unwrap();
    let r = app.rest(Method::GET, "/api/bom/", &t, None).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text());
    let r = app
        .request(
            Method::POST,
            "/graphql",
            &[("authorization", &format!("Bearer {t}"))],
            Some(json!({"query": "{ me { username } }"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text());
    assert_eq!(error_codes(&r.json()), ["INTERNAL"], "{}", r.text());
    assert!(
        !r.text().contains("api_token"),
        "no SQL leaks: {}",
        r.text()
    );
}

/// A nullable variable left out of the request, used for an argument with a default, is
/// the client's mistake to fix (async-graphql reads it as null): `BAD_REQUEST`, never
/// `INTERNAL`.
#[tokio::test]
async fn an_absent_variable_for_a_defaulted_argument_is_a_bad_request() {
    let app = TestApp::new().await;
    let token = app.user("v", "t", TeamRole::Admin).await;
    let resp = app
        .gql(
            &token,
            "query($q: Decimal) { bomExplosion(bomId: \"1\", quantity: $q) { quantity } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&resp), vec!["BAD_REQUEST"], "{resp}");
}
