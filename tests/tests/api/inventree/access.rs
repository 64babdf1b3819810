//! Who may call the InvenTree API: the root, the authentication schemes and tokens, other
//! teams and viewers.
use axum::http::{Method, StatusCode};
use serde_json::json;
use tests::TeamRole;

use super::{pks, Env};

#[tokio::test]
async fn root_and_authentication() {
    let e = Env::new().await;
    let anonymous = e.app.with_token("");
    let root = anonymous.get("/api/").await.expect(StatusCode::OK);
    assert_eq!(root["server"], "InvenTree");
    assert!(root["apiVersion"].as_i64().unwrap() >= 206);

    let anon = anonymous.get("/api/bom/").await;
    assert_eq!(
        anon.expect(StatusCode::UNAUTHORIZED),
        json!({"detail": "Authentication credentials were not provided."})
    );
    let wrong = e.app.with_token("nope").get("/api/bom/").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let schema = anonymous.get("/api/schema/").await;
    assert_eq!(schema.status, StatusCode::UNAUTHORIZED);

    let token = e
        .app
        .with_password("inv", "password123")
        .get("/api/user/token/?name=script")
        .await;
    let key = token.expect(StatusCode::OK)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let script = e.app.with_token(&key);
    let me = script.get("/api/user/me/").await.expect(StatusCode::OK);
    assert_eq!(me["username"], "inv");
    let from_token = script.get("/api/user/token/").await;
    assert_eq!(
        from_token.status,
        StatusCode::FORBIDDEN,
        "a token cannot make more tokens"
    );
    let bearer = format!("Bearer {key}");
    let me = e
        .app
        .request(
            Method::GET,
            "/api/user/me/",
            &[("authorization", &bearer)],
            None,
        )
        .await;
    assert_eq!(me.json()["username"], "inv");
}

#[tokio::test]
async fn teams_are_isolated_over_rest() {
    let e = Env::new().await;
    let other = e.app.user("eve", "elsewhere", TeamRole::Admin).await;
    let theirs = e.app.with_token(&other);
    let line = e.item(e.r, json!({})).await;
    let sub = e.substitute(line, e.c).await;
    for path in ["/api/bom/", "/api/bom/substitute/", "/api/part/"] {
        assert_eq!(theirs.get(path).await.expect(StatusCode::OK), json!([]));
    }
    for (method, path, body) in [
        (Method::GET, format!("/api/bom/{line}/"), None),
        (
            Method::PATCH,
            format!("/api/bom/{line}/"),
            Some(json!({"quantity": 9})),
        ),
        (Method::DELETE, format!("/api/bom/{line}/"), None),
        (Method::GET, format!("/api/bom/{line}/metadata/"), None),
        (
            Method::PUT,
            format!("/api/bom/{line}/metadata/"),
            Some(json!({"metadata": {"x": 1}})),
        ),
        (
            Method::PATCH,
            format!("/api/bom/{line}/validate/"),
            Some(json!({"valid": true})),
        ),
        (Method::GET, format!("/api/bom/substitute/{sub}/"), None),
        (Method::DELETE, format!("/api/bom/substitute/{sub}/"), None),
        (
            Method::PATCH,
            format!("/api/bom/substitute/{sub}/metadata/"),
            Some(json!({"metadata": {"x": 1}})),
        ),
        (Method::GET, format!("/api/part/{}/", e.r), None),
        (
            Method::PATCH,
            format!("/api/part/{}/", e.r),
            Some(json!({"name": "mine"})),
        ),
    ] {
        let r = theirs.send(method.clone(), &path, body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    let r = theirs
        .post(
            "/api/bom/",
            json!({"part": e.asm, "sub_part": e.r, "quantity": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = theirs.get(&format!("/api/bom/?part={}", e.asm)).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "another team's part is not a valid choice"
    );
    let r = theirs
        .send(Method::DELETE, "/api/bom/", Some(json!({"items": [line]})))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let still = e.get(&format!("/api/bom/{line}/")).await;
    assert_eq!(still["quantity"], 2.0);
    assert_eq!(still["substitutes"][0]["pk"], sub);

    // a member of both teams cannot move a line into the other team's BOM
    let both = e.app.user("bob", "lab", TeamRole::Admin).await;
    e.app.user("bob", "elsewhere", TeamRole::Admin).await;
    let foreign = theirs
        .post(
            "/api/part/",
            json!({"name": "Their assembly", "assembly": true}),
        )
        .await
        .json()["pk"]
        .as_i64()
        .unwrap();
    let r = e
        .app
        .with_token(&both)
        .patch(&format!("/api/bom/{line}/"), json!({"part": foreign}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(e.get(&format!("/api/bom/{line}/")).await["part"], e.asm);

    let viewer = e.app.user("val", "lab", TeamRole::Viewer).await;
    let viewer = e.app.with_token(&viewer);
    let listed = viewer.get("/api/bom/").await.expect(StatusCode::OK);
    assert_eq!(pks(&listed), [line]);
    let r = viewer
        .patch(&format!("/api/bom/{line}/"), json!({"quantity": 9}))
        .await;
    assert_eq!(
        r.expect(StatusCode::FORBIDDEN),
        json!({"detail": "You do not have permission to perform this action."})
    );
}
