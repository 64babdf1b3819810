use serde_json::{json, Value};

use tests::builders::{app_with_admin, Part};
use tests::fails;

fn names(v: &Value) -> Vec<String> {
    v["parts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

const Q: &str = "query($first: Int, $after: String, $last: Int, $before: String) {
  parts(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } } nodes { name } } }";

#[tokio::test]
async fn relay_pagination_edges() {
    let (app, t) = app_with_admin().await;
    for i in 0..7 {
        Part::named(format!("P{i}")).create(&app, &t).await;
    }
    let first = app.data(&t, Q, json!({"first": 3})).await;
    assert_eq!(names(&first), ["P0", "P1", "P2"]);
    assert_eq!(first["parts"]["totalCount"], 7);
    assert_eq!(first["parts"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["parts"]["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(first["parts"]["nodes"].as_array().unwrap().len(), 3);

    // walk forward through every page
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.data(&t, Q, json!({"first": 3, "after": after})).await;
        seen.extend(names(&page));
        if page["parts"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["parts"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["P0", "P1", "P2", "P3", "P4", "P5", "P6"]);

    let last = app.data(&t, Q, json!({"last": 2})).await;
    assert_eq!(names(&last), ["P5", "P6"]);
    assert_eq!(last["parts"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(last["parts"]["pageInfo"]["hasNextPage"], false);

    let before = last["parts"]["pageInfo"]["startCursor"].clone();
    let prev = app.data(&t, Q, json!({"last": 2, "before": before})).await;
    assert_eq!(names(&prev), ["P3", "P4"]);

    let end = last["parts"]["pageInfo"]["endCursor"].clone();
    let beyond = app.data(&t, Q, json!({"first": 3, "after": end})).await;
    assert_eq!(names(&beyond), Vec::<String>::new());
    assert_eq!(beyond["parts"]["pageInfo"]["hasNextPage"], false);

    let (code, _) = fails(&app, &t, Q, json!({"first": 2, "after": "garbage"})).await;
    assert_eq!(code, "VALIDATION");
    let (code, _) = fails(&app, &t, Q, json!({"first": -1})).await;
    assert_eq!(code, "VALIDATION");
}

#[tokio::test]
async fn page_size_is_capped() {
    let (app, t) = app_with_admin().await;
    for i in 0..3 {
        Part::named(format!("N{i}")).create(&app, &t).await;
    }
    let all = app.data(&t, Q, json!({"first": 100000})).await;
    assert_eq!(names(&all).len(), 3);
    assert_eq!(service::page::MAX_PAGE_SIZE, 500);
    let w = service::page::PageRequest {
        first: Some(100000),
        ..Default::default()
    }
    .window(10_000);
    assert_eq!(w.limit, 500);
}
