//! InvenTree's BOM API behaviours, ported onto bomgraph's `/api/bom/...` shim.
use axum::http::{Method, StatusCode};
use base64::Engine;
use serde_json::{json, Value};
use tests::{TeamRole, TestApp};

struct Env {
    app: TestApp,
    t: String,
    asm: i64,
    r: i64,
    c: i64,
}

async fn post(app: &TestApp, t: &str, path: &str, body: Value) -> Value {
    let r = app.rest(Method::POST, path, t, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text());
    r.json()
}

async fn get(app: &TestApp, t: &str, path: &str) -> Value {
    let r = app.rest(Method::GET, path, t, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    r.json()
}

async fn part(app: &TestApp, t: &str, body: Value) -> i64 {
    post(app, t, "/api/part/", body).await["pk"]
        .as_i64()
        .unwrap()
}

async fn env() -> Env {
    let app = TestApp::new().await;
    let t = app.user("inv", "lab", TeamRole::Admin).await;
    let asm = part(&app, &t, json!({"name": "Assembly", "assembly": true})).await;
    let r = part(
        &app,
        &t,
        json!({"name": "Resistor", "IPN": "R-001", "description": "thick film"}),
    )
    .await;
    let c = part(
        &app,
        &t,
        json!({"name": "Capacitor", "keywords": "ceramic"}),
    )
    .await;
    Env { app, t, asm, r, c }
}

async fn item(e: &Env, sub_part: i64, extra: Value) -> Value {
    let mut body = json!({"part": e.asm, "sub_part": sub_part, "quantity": 2});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    post(&e.app, &e.t, "/api/bom/", body).await
}

fn pks(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["pk"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn root_and_authentication() {
    let e = env().await;
    let root = e.app.rest(Method::GET, "/api/", "", None).await;
    assert_eq!(root.status, StatusCode::OK);
    assert_eq!(root.content_type.as_deref(), Some("application/json"));
    assert_eq!(root.json()["server"], "InvenTree");
    assert!(root.json()["apiVersion"].as_i64().unwrap() >= 206);

    let anon = e.app.rest(Method::GET, "/api/bom/", "", None).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anon.json(),
        json!({"detail": "Authentication credentials were not provided."})
    );
    assert_eq!(
        e.app
            .rest(Method::GET, "/api/bom/", "nope", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        e.app
            .rest(Method::GET, "/api/schema/", "", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("inv:password123")
    );
    let token = e
        .app
        .request(
            Method::GET,
            "/api/user/token/?name=script",
            &[("authorization", &basic)],
            None,
        )
        .await;
    assert_eq!(token.status, StatusCode::OK);
    let key = token.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(get(&e.app, &key, "/api/user/me/").await["username"], "inv");
    let from_token = e
        .app
        .rest(Method::GET, "/api/user/token/", &key, None)
        .await;
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
async fn create_detail_update_delete() {
    let e = env().await;
    let created = item(&e, e.r, json!({"reference": "R1 R2", "note": "n", "overage": "5%", "validated": true, "pk": 999, "bogus": 1})).await;
    let pk = created["pk"].as_i64().unwrap();
    assert_ne!(pk, 999, "pk is read-only");
    assert_eq!(created["part"], e.asm);
    assert_eq!(created["sub_part"], e.r);
    assert_eq!(created["quantity"], 2.0);
    assert_eq!(created["validated"], false, "validated is not writable");
    for key in [
        "available_stock",
        "available_substitute_stock",
        "available_variant_stock",
        "on_order",
        "building",
        "external_stock",
        "pricing_min",
        "pricing_max",
        "substitutes",
    ] {
        assert!(created.get(key).is_some(), "{key}");
    }
    // the client PATCHes back the whole object it read, with a change
    let mut read = get(&e.app, &e.t, &format!("/api/bom/{pk}/")).await;
    read["quantity"] = json!(3.5);
    read["note"] = json!("changed");
    let patched = e
        .app
        .rest(
            Method::PATCH,
            &format!("/api/bom/{pk}/?format=json"),
            &e.t,
            Some(read),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.json()["quantity"], 3.5);
    assert_eq!(patched.json()["note"], "changed");
    // PUT needs the required fields
    let put = e
        .app
        .rest(
            Method::PUT,
            &format!("/api/bom/{pk}/"),
            &e.t,
            Some(json!({"quantity": 1})),
        )
        .await;
    assert_eq!(put.status, StatusCode::BAD_REQUEST);
    assert!(put.json()["part"].is_array() && put.json()["sub_part"].is_array());
    let put = e
        .app
        .rest(
            Method::PUT,
            &format!("/api/bom/{pk}/"),
            &e.t,
            Some(json!({"part": e.asm, "sub_part": e.c, "quantity": "4"})),
        )
        .await;
    assert_eq!(put.json()["sub_part"], e.c);
    // duplicate slashes reach the same item
    assert_eq!(
        get(&e.app, &e.t, &format!("/api/bom//{pk}/")).await["pk"],
        pk
    );
    let del = e
        .app
        .rest(
            Method::DELETE,
            &format!("/api/bom/{pk}/"),
            &e.t,
            Some(json!({})),
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert!(del.body.is_empty());
    let gone = e
        .app
        .rest(Method::GET, &format!("/api/bom/{pk}/"), &e.t, None)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.json(), json!({"detail": "Not found."}));
    assert_eq!(
        e.app
            .rest(Method::GET, "/api/bom/abc/", &e.t, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn create_is_validated() {
    let e = env().await;
    let bad = |body: Value| {
        let app = &e.app;
        let t = &e.t;
        async move {
            let r = app.rest(Method::POST, "/api/bom/", t, Some(body)).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
            r.json()
        }
    };
    let self_ref = bad(json!({"part": e.asm, "sub_part": e.asm, "quantity": 1})).await;
    assert!(self_ref["sub_part"].is_array(), "{self_ref}");
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": 0})).await["quantity"].is_array()
    );
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": "x"})).await["quantity"].is_array()
    );
    let missing = bad(json!({})).await;
    for key in ["part", "sub_part", "quantity"] {
        assert_eq!(missing[key], json!(["This field is required."]), "{key}");
    }
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": 1, "overage": "150%"})).await
            ["overage"]
            .is_array()
    );
    assert!(
        bad(json!({"part": e.asm, "sub_part": e.r, "quantity": 1, "note": "x".repeat(501)})).await
            ["note"]
            .is_array()
    );
    assert!(
        bad(json!({"part": e.r, "sub_part": e.c, "quantity": 1})).await["part"].is_array(),
        "part must be an assembly"
    );
    let tracked = part(&e.app, &e.t, json!({"name": "Tracked", "trackable": true})).await;
    assert!(
        bad(json!({"part": e.asm, "sub_part": tracked, "quantity": 1.5})).await["quantity"]
            .is_array()
    );
    // a loop through a sub-assembly
    let sub = part(&e.app, &e.t, json!({"name": "Sub", "assembly": true})).await;
    post(
        &e.app,
        &e.t,
        "/api/bom/",
        json!({"part": e.asm, "sub_part": sub, "quantity": 1}),
    )
    .await;
    assert!(
        bad(json!({"part": sub, "sub_part": e.asm, "quantity": 1})).await["sub_part"].is_array()
    );
    assert_eq!(
        get(&e.app, &e.t, "/api/bom/")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn list_filters_search_ordering_pagination() {
    let e = env().await;
    let tracked = part(
        &e.app,
        &e.t,
        json!({"name": "Chip", "trackable": true, "assembly": true}),
    )
    .await;
    let a = item(&e, e.r, json!({"reference": "R1", "quantity": 1})).await["pk"]
        .as_i64()
        .unwrap();
    let b = item(
        &e,
        e.c,
        json!({"reference": "C1", "quantity": 5, "optional": true, "consumable": true}),
    )
    .await["pk"]
        .as_i64()
        .unwrap();
    let c = item(
        &e,
        tracked,
        json!({"reference": "U1", "quantity": 3, "allow_variants": true, "inherited": false}),
    )
    .await["pk"]
        .as_i64()
        .unwrap();
    e.app
        .rest(
            Method::PATCH,
            &format!("/api/bom/{a}/validate/"),
            &e.t,
            Some(json!({"valid": true})),
        )
        .await;

    let list = |q: &str| {
        let app = &e.app;
        let t = &e.t;
        let path = format!("/api/bom/{q}");
        async move { pks(&get(app, t, &path).await) }
    };
    assert_eq!(list("").await, [a, b, c]);
    assert_eq!(list(&format!("?part={}", e.asm)).await, [a, b, c]);
    assert_eq!(list(&format!("?uses={}", e.c)).await, [b]);
    assert_eq!(list("?validated=true").await, [a]);
    assert_eq!(list("?validated=False").await, [b, c]);
    assert_eq!(list("?optional=1").await, [b]);
    assert_eq!(
        list("?optional=maybe").await,
        [a, b, c],
        "other values ignore the filter"
    );
    assert_eq!(list("?consumable=true").await, [b]);
    assert_eq!(list("?inherited=false").await, [c]);
    assert_eq!(list("?allow_variants=true").await, [c]);
    assert_eq!(list("?sub_part_trackable=true").await, [c]);
    assert_eq!(list("?sub_part_assembly=true").await, [c]);
    assert_eq!(list("?part_active=true").await, [a, b, c]);
    assert_eq!(list("?has_pricing=true").await, Vec::<i64>::new());
    assert_eq!(list("?available_stock=false").await, [a, b, c]);
    assert_eq!(list("?on_order=true").await, Vec::<i64>::new());
    assert_eq!(list("?search=thick").await, [a]);
    assert_eq!(list("?search=ceramic%20C1").await, [b]);
    assert_eq!(list("?search=R-001").await, [a]);
    assert_eq!(list("?ordering=-quantity").await, [b, c, a]);
    assert_eq!(list("?ordering=quantity").await, [a, c, b]);
    assert_eq!(list("?ordering=sub_part").await, [b, c, a]);
    assert_eq!(list("?ordering=nonsense").await, [a, b, c]);
    // several fields apply in turn, as DRF's OrderingFilter does
    assert_eq!(list("?ordering=optional,-quantity").await, [c, a, b]);
    assert_eq!(
        list("?ordering=-consumable,-allow_variants").await,
        [b, c, a],
        "ordered in SQL"
    );
    assert_eq!(list("?ordering=nonsense,-quantity").await, [b, c, a]);
    assert_eq!(
        list("?ordering=-allow_variants").await,
        [c, a, b],
        "ordered in SQL"
    );
    let paged = get(&e.app, &e.t, "/api/bom/?ordering=optional&limit=2").await;
    assert_eq!(
        (pks(&paged["results"]), paged["count"].as_i64()),
        (vec![a, c], Some(3))
    );
    assert_eq!(
        list("?colour=blue").await,
        [a, b, c],
        "unknown parameters are ignored"
    );

    let bad = e
        .app
        .rest(Method::GET, "/api/bom/?part=999999", &e.t, None)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["part"][0]
        .as_str()
        .unwrap()
        .starts_with("Select a valid choice"));
    assert_eq!(
        e.app
            .rest(Method::GET, "/api/bom/?uses=x", &e.t, None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let page = get(&e.app, &e.t, "/api/bom/?limit=2").await;
    assert_eq!(page["count"], 3);
    assert_eq!(pks(&page["results"]), [a, b]);
    assert_eq!(page["next"], "http://localhost/api/bom/?limit=2&offset=2");
    assert_eq!(page["previous"], Value::Null);
    let page2 = get(&e.app, &e.t, "/api/bom/?limit=2&offset=2").await;
    assert_eq!(pks(&page2["results"]), [c]);
    assert_eq!(page2["next"], Value::Null);
    assert_eq!(page2["previous"], "http://localhost/api/bom/?limit=2");

    let detailed = get(
        &e.app,
        &e.t,
        "/api/bom/?part_detail=true&sub_part_detail=true&limit=1",
    )
    .await;
    let first = &detailed["results"][0];
    assert_eq!(first["part_detail"]["name"], "Assembly");
    assert_eq!(first["sub_part_detail"]["IPN"], "R-001");
    assert_eq!(first["sub_part_detail"]["full_name"], "R-001 | Resistor");
    let plain = get(&e.app, &e.t, "/api/bom/").await;
    assert!(plain[0].get("part_detail").is_none());
}

#[tokio::test]
async fn substitutes() {
    let e = env().await;
    let line = item(&e, e.r, json!({})).await["pk"].as_i64().unwrap();
    let sub = post(
        &e.app,
        &e.t,
        "/api/bom/substitute/",
        json!({"bom_item": line, "part": e.c}),
    )
    .await;
    assert_eq!(sub["bom_item"], line);
    assert_eq!(sub["part_detail"]["name"], "Capacitor");
    let again = e
        .app
        .rest(
            Method::POST,
            "/api/bom/substitute/",
            &e.t,
            Some(json!({"bom_item": line, "part": e.c})),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.json()["non_field_errors"].is_array());
    let own = e
        .app
        .rest(
            Method::POST,
            "/api/bom/substitute/",
            &e.t,
            Some(json!({"bom_item": line, "part": e.r})),
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(own.json()["part"].is_array());
    let spk = sub["pk"].as_i64().unwrap();
    assert_eq!(
        pks(&get(
            &e.app,
            &e.t,
            &format!("/api/bom/substitute/?bom_item={line}")
        )
        .await),
        [spk]
    );
    assert_eq!(
        pks(&get(&e.app, &e.t, "/api/bom/substitute/?bom_item=0").await),
        Vec::<i64>::new()
    );
    assert_eq!(
        get(&e.app, &e.t, "/api/bom/substitute/?limit=1").await["count"],
        1
    );
    assert_eq!(
        get(&e.app, &e.t, &format!("/api/bom/substitute/{spk}/")).await["part"],
        e.c
    );
    let nested = get(&e.app, &e.t, &format!("/api/bom/{line}/")).await;
    assert_eq!(nested["substitutes"][0]["pk"], spk);
    // a substitute is used by its line
    assert_eq!(
        pks(&get(&e.app, &e.t, &format!("/api/bom/?uses={}", e.c)).await),
        [line]
    );
    let del = e
        .app
        .rest(
            Method::DELETE,
            &format!("/api/bom/substitute/{spk}/"),
            &e.t,
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        e.app
            .rest(
                Method::GET,
                &format!("/api/bom/substitute/{spk}/"),
                &e.t,
                None
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn metadata_and_validation() {
    let e = env().await;
    let line = item(&e, e.r, json!({})).await["pk"].as_i64().unwrap();
    let sub = post(
        &e.app,
        &e.t,
        "/api/bom/substitute/",
        json!({"bom_item": line, "part": e.c}),
    )
    .await["pk"]
        .as_i64()
        .unwrap();
    for base in [
        format!("/api/bom/{line}/metadata/"),
        format!("/api/bom/substitute/{sub}/metadata/"),
    ] {
        assert_eq!(get(&e.app, &e.t, &base).await, json!({"metadata": null}));
        let put = e
            .app
            .rest(
                Method::PUT,
                &base,
                &e.t,
                Some(json!({"metadata": {"a": 1, "b": 2}})),
            )
            .await;
        assert_eq!(put.json(), json!({"metadata": {"a": 1, "b": 2}}));
        let patch = e
            .app
            .rest(
                Method::PATCH,
                &base,
                &e.t,
                Some(json!({"metadata": {"b": 3, "c": 4}})),
            )
            .await;
        assert_eq!(patch.json(), json!({"metadata": {"a": 1, "b": 3, "c": 4}}));
        let put = e
            .app
            .rest(
                Method::PUT,
                &base,
                &e.t,
                Some(json!({"metadata": {"z": 0}})),
            )
            .await;
        assert_eq!(put.json(), json!({"metadata": {"z": 0}}));
        let bad = e
            .app
            .rest(
                Method::PATCH,
                &base,
                &e.t,
                Some(json!({"metadata": [1, 2]})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.json()["metadata"].is_array());
        assert_eq!(
            get(&e.app, &e.t, &base).await,
            json!({"metadata": {"z": 0}})
        );
    }
    let validate = format!("/api/bom/{line}/validate/");
    let r = e
        .app
        .rest(Method::PUT, &validate, &e.t, Some(json!({"valid": true})))
        .await;
    assert_eq!(r.json(), json!({"valid": true}));
    assert_eq!(
        get(&e.app, &e.t, &format!("/api/bom/{line}/")).await["validated"],
        true
    );
    e.app
        .rest(
            Method::PATCH,
            &format!("/api/bom/{line}/"),
            &e.t,
            Some(json!({"note": "only a note"})),
        )
        .await;
    assert_eq!(
        get(&e.app, &e.t, &format!("/api/bom/{line}/")).await["validated"],
        true
    );
    e.app
        .rest(
            Method::PATCH,
            &format!("/api/bom/{line}/"),
            &e.t,
            Some(json!({"quantity": 7})),
        )
        .await;
    assert_eq!(
        get(&e.app, &e.t, &format!("/api/bom/{line}/")).await["validated"],
        false
    );
    e.app
        .rest(Method::PATCH, &validate, &e.t, Some(json!({"valid": true})))
        .await;
    let r = e
        .app
        .rest(
            Method::PATCH,
            &validate,
            &e.t,
            Some(json!({"valid": false})),
        )
        .await;
    assert_eq!(r.json(), json!({"valid": false}));
    let wrong = e.app.rest(Method::GET, &validate, &e.t, None).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        wrong.json(),
        json!({"detail": "Method \"GET\" not allowed."})
    );
}

#[tokio::test]
async fn bulk_delete() {
    let e = env().await;
    let a = item(&e, e.r, json!({})).await["pk"].as_i64().unwrap();
    let b = item(&e, e.c, json!({"optional": true})).await["pk"]
        .as_i64()
        .unwrap();
    let c = item(&e, e.c, json!({})).await["pk"].as_i64().unwrap();
    for (body, needle) in [
        (json!({}), "List of items or filters"),
        (json!({"items": 5}), "'items' must be supplied as a list"),
        (
            json!({"filters": [1]}),
            "'filters' must be supplied as a dict",
        ),
    ] {
        let r = e
            .app
            .rest(Method::DELETE, "/api/bom/", &e.t, Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains(needle), "{}", r.text());
    }
    for empty in [json!({"filters": {}}), json!({"items": []})] {
        let r = e
            .app
            .rest(Method::DELETE, "/api/bom/", &e.t, Some(empty))
            .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "an empty request deletes nothing"
        );
    }
    assert_eq!(pks(&get(&e.app, &e.t, "/api/bom/").await).len(), 3);
    let r = e
        .app
        .rest(
            Method::DELETE,
            "/api/bom/",
            &e.t,
            Some(json!({"filters": {"colour": "red"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("colour"));
    let r = e
        .app
        .rest(
            Method::DELETE,
            "/api/bom/",
            &e.t,
            Some(json!({"filters": {"optional": true}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(pks(&get(&e.app, &e.t, "/api/bom/").await), [a, c]);
    let r = e
        .app
        .rest(
            Method::DELETE,
            "/api/bom/",
            &e.t,
            Some(json!({"items": [a]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(pks(&get(&e.app, &e.t, "/api/bom/").await), [c]);
    let _ = b;
}

#[tokio::test]
async fn bulk_delete_is_all_or_nothing() {
    let e = env().await;
    let a = item(&e, e.r, json!({})).await["pk"].as_i64().unwrap();
    // a line of an approved BOM cannot be deleted, so neither is the other one
    let board = part(&e.app, &e.t, json!({"name": "Board", "assembly": true})).await;
    let locked = post(
        &e.app,
        &e.t,
        "/api/bom/",
        json!({"part": board, "sub_part": e.c, "quantity": 1}),
    )
    .await["pk"]
        .as_i64()
        .unwrap();
    let bom_id = e
        .app
        .data(
            &e.t,
            "{ boms(filter: {search: \"Board\"}) { nodes { id } } }",
            json!({}),
        )
        .await["boms"]["nodes"][0]["id"]
        .clone();
    e.app
        .data(
            &e.t,
            "mutation($b: ID!) { approveBom(id: $b) { id } }",
            json!({"b": bom_id}),
        )
        .await;
    let r = e
        .app
        .rest(
            Method::DELETE,
            "/api/bom/",
            &e.t,
            Some(json!({"items": [a, locked]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(pks(&get(&e.app, &e.t, "/api/bom/").await), [a, locked]);
}

#[tokio::test]
async fn errors_and_unknown_paths() {
    let e = env().await;
    let r = e
        .app
        .rest(Method::GET, "/api/nothing/here/", &e.t, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    let r = e
        .app
        .raw(
            Method::POST,
            "/api/bom/",
            &e.t,
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .starts_with("JSON parse error"));
    let r = e
        .app
        .rest(Method::PUT, "/api/bom/", &e.t, Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let options = e.app.rest(Method::OPTIONS, "/api/bom/", &e.t, None).await;
    assert_eq!(options.status, StatusCode::OK);
    let post = &options.json()["actions"]["POST"];
    assert_eq!(post["quantity"]["required"], true);
    assert_eq!(post["pk"]["read_only"], true);
    assert_eq!(post["reference"]["max_length"], 5000);
}

#[tokio::test]
async fn openapi_document_lists_every_operation() {
    let e = env().await;
    let doc = get(&e.app, &e.t, "/api/schema/").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/api/bom/", &["delete", "get", "post"][..]),
        ("/api/bom/import/extract/", &["post"]),
        ("/api/bom/import/submit/", &["post"]),
        ("/api/bom/import/upload/", &["post"]),
        ("/api/bom/substitute/", &["get", "post"]),
        (
            "/api/bom/substitute/{id}/",
            &["delete", "get", "patch", "put"],
        ),
        (
            "/api/bom/substitute/{id}/metadata/",
            &["get", "patch", "put"],
        ),
        ("/api/bom/{id}/", &["delete", "get", "patch", "put"]),
        ("/api/bom/{id}/metadata/", &["get", "patch", "put"]),
        ("/api/bom/{id}/validate/", &["patch", "put"]),
    ];
    let mut count = 0;
    for (path, methods) in expected {
        for m in methods {
            assert!(
                doc["paths"][path][m].is_object(),
                "{m} {path} is not documented"
            );
            count += 1;
        }
    }
    assert_eq!(count, 24);
}

#[tokio::test]
async fn teams_are_isolated_over_rest() {
    let e = env().await;
    let other = e.app.user("eve", "elsewhere", TeamRole::Admin).await;
    let line = item(&e, e.r, json!({})).await["pk"].as_i64().unwrap();
    let sub = post(
        &e.app,
        &e.t,
        "/api/bom/substitute/",
        json!({"bom_item": line, "part": e.c}),
    )
    .await["pk"]
        .as_i64()
        .unwrap();
    assert_eq!(get(&e.app, &other, "/api/bom/").await, json!([]));
    assert_eq!(get(&e.app, &other, "/api/bom/substitute/").await, json!([]));
    assert_eq!(get(&e.app, &other, "/api/part/").await, json!([]));
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
        let r = e.app.rest(method.clone(), &path, &other, body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    let r = e
        .app
        .rest(
            Method::POST,
            "/api/bom/",
            &other,
            Some(json!({"part": e.asm, "sub_part": e.r, "quantity": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = e
        .app
        .rest(
            Method::GET,
            &format!("/api/bom/?part={}", e.asm),
            &other,
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "another team's part is not a valid choice"
    );
    let r = e
        .app
        .rest(
            Method::DELETE,
            "/api/bom/",
            &other,
            Some(json!({"items": [line]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let still = get(&e.app, &e.t, &format!("/api/bom/{line}/")).await;
    assert_eq!(still["quantity"], 2.0);
    assert_eq!(still["substitutes"][0]["pk"], sub);

    // a member of both teams cannot move a line into the other team's BOM
    let both = e.app.user("bob", "lab", TeamRole::Admin).await;
    e.app.user("bob", "elsewhere", TeamRole::Admin).await;
    let foreign = e
        .app
        .rest(
            Method::POST,
            "/api/part/",
            &other,
            Some(json!({"name": "Their assembly", "assembly": true})),
        )
        .await
        .json()["pk"]
        .as_i64()
        .unwrap();
    let r = e
        .app
        .rest(
            Method::PATCH,
            &format!("/api/bom/{line}/"),
            &both,
            Some(json!({"part": foreign})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(
        get(&e.app, &e.t, &format!("/api/bom/{line}/")).await["part"],
        e.asm
    );

    let viewer = e.app.user("val", "lab", TeamRole::Viewer).await;
    assert_eq!(pks(&get(&e.app, &viewer, "/api/bom/").await), [line]);
    let r = e
        .app
        .rest(
            Method::PATCH,
            &format!("/api/bom/{line}/"),
            &viewer,
            Some(json!({"quantity": 9})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.json(),
        json!({"detail": "You do not have permission to perform this action."})
    );
}
