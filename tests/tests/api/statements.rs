//! The number of SQL statements of one request does not grow with the number of lines.
use serde_json::json;
use service::db::INSERT_ROWS;
use tests::builders::{app_with_admin, bom, line_ids, substitute, Part};
use tests::TestApp;

const QUERY: &str = "query($b: ID!) { bom(id: $b) { name assemblyPart { name } lines {
  quantity reference validated
  part { name mpn offers { supplier priceBreaks { quantity unitPrice } } }
  substitutes { part { name offers { supplier priceBreaks { quantity unitPrice } } } }
  availableStock availableSubstituteStock availableVariantStock onOrder building externalStock
  pricingMin pricingMax pricingMinTotal pricingMaxTotal
} } }";

/// A BOM of `n` lines, each with its own part and two substitutes, every part with an offer
/// and two price breaks; returns the statements one query for all of it runs.
async fn statements_for(app: &TestApp, token: &str, n: usize) -> (u64, usize) {
    let offers = json!([{"supplier": "S", "priceBreaks": [{"quantity": "1", "unitPrice": "0.1"}, {"quantity": "100", "unitPrice": "0.05"}]}]);
    let asm = Part::named(format!("Assembly {n}"))
        .assembly()
        .create(app, token)
        .await;
    let mut lines = Vec::new();
    let mut subs = Vec::new();
    for i in 0..n {
        let p = Part::named(format!("P{n}-{i}"))
            .with(json!({"inStock": "5", "offers": offers}))
            .create(app, token)
            .await;
        let s1 = Part::named(format!("S{n}-{i}-a"))
            .with(json!({"inStock": "1", "offers": offers}))
            .create(app, token)
            .await;
        let s2 = Part::named(format!("S{n}-{i}-b"))
            .with(json!({"inStock": "2", "offers": offers}))
            .create(app, token)
            .await;
        lines.push(json!({"partId": p, "quantity": "2", "allowVariants": true}));
        subs.push((s1, s2));
    }
    let b = bom(
        app,
        token,
        json!({"name": format!("Big {n}"), "assemblyPartId": asm, "lines": lines}),
    )
    .await;
    for (line, (s1, s2)) in line_ids(app, token, &b).await.iter().zip(subs) {
        for s in [s1, s2] {
            substitute(app, token, line, &s).await;
        }
    }
    let before = app.statements();
    let got = app.data(token, QUERY, json!({"b": b})).await;
    let used = app.statements() - before;
    let lines = got["bom"]["lines"].as_array().unwrap();
    assert!(lines
        .iter()
        .all(|l| l["substitutes"].as_array().unwrap().len() == 2));
    assert!(lines.iter().all(|l| l["part"]["offers"][0]["priceBreaks"]
        .as_array()
        .unwrap()
        .len()
        == 2));
    assert!(lines
        .iter()
        .all(|l| l["availableSubstituteStock"] == "3" && l["pricingMinTotal"] == "0.1"));
    (used, lines.len())
}

#[tokio::test]
async fn statement_count_is_constant_in_the_number_of_lines() {
    let (mut app, t) = app_with_admin().await;
    // the job worker's polling would count too
    app.stop_worker().await;
    let (small, n_small) = statements_for(&app, &t, 20).await;
    let (large, n_large) = statements_for(&app, &t, 200).await;
    assert_eq!((n_small, n_large), (20, 200));
    println!("statements for one BOM query: 20 lines = {small}, 200 lines = {large}");
    assert!(large <= 8, "200 lines took {large} statements");
    assert_eq!(
        small, large,
        "statement count must not depend on the line count"
    );
}

/// Statements one upsert of `n` raw lines runs: matched lines with an alternative MPN that
/// becomes a substitute, unknown MPNs and custom parts, a third each.
async fn upsert_statements(app: &TestApp, token: &str, n: usize) -> u64 {
    let p = service::auth::authenticate_token(&app.state.db, token)
        .await
        .unwrap();
    let lines: Vec<_> = (0..n)
        .map(|i| match i % 3 {
            0 => json!({"mpn": format!("MPN-{n}-{i}"), "alternative_mpns": [format!("ALT-{n}-{i}")], "quantity": "1"}),
            1 => json!({"mpn": format!("UNKNOWN-{n}-{i}"), "quantity": "2"}),
            _ => json!({"custom_id": format!("Bracket {n}-{i}"), "is_custom_part": true, "quantity": "1"}),
        })
        .collect();
    for i in (0..n).step_by(3) {
        Part::named(format!("P{i}"))
            .with(json!({"mpn": format!("MPN-{n}-{i}")}))
            .create(app, token)
            .await;
        Part::named(format!("A{i}"))
            .with(json!({"mpn": format!("ALT-{n}-{i}")}))
            .create(app, token)
            .await;
    }
    let body: service::raw_bom::UpsertBom = serde_json::from_value(
        json!({"name": format!("Synced {n}"), "integration_record_id": format!("rec-{n}"), "lines": lines}),
    )
    .unwrap();
    let mut counts = Vec::new();
    // the first upsert creates the BOM and its custom parts, the second finds them again
    for _ in 0..2 {
        let before = app.statements();
        service::raw_bom::upsert(&app.state.db, &p, &body)
            .await
            .unwrap();
        counts.push(app.statements() - before);
    }
    let got = app
        .data(
            token,
            "query($r: String) { boms(filter: {name: $r}) { nodes { lines { matchStatus substitutes { id } } } } }",
            json!({"r": format!("Synced {n}")}),
        )
        .await;
    let lines = got["boms"]["nodes"][0]["lines"].as_array().unwrap().clone();
    assert_eq!(lines.len(), n);
    let status = |s: &str| lines.iter().filter(|l| l["matchStatus"] == s).count();
    assert_eq!(
        (status("MATCHED"), status("NO_MATCH"), status("CUSTOM")),
        (n.div_ceil(3), (n + 1) / 3, n / 3)
    );
    assert!(lines
        .iter()
        .filter(|l| l["matchStatus"] == "MATCHED")
        .all(|l| l["substitutes"].as_array().unwrap().len() == 1));
    assert!(counts[1] <= counts[0], "{counts:?}");
    counts[0]
}

#[tokio::test]
async fn upsert_statements_do_not_grow_with_the_lines() {
    let (mut app, t) = app_with_admin().await;
    app.stop_worker().await;
    let (small_n, large_n) = (21, 180);
    let small = upsert_statements(&app, &t, small_n).await;
    let large = upsert_statements(&app, &t, large_n).await;
    println!("statements for one upsert: {small_n} lines = {small}, {large_n} lines = {large}");
    // only the multi-row INSERTs of lines and of new custom parts (a third) grow
    let inserts = |n: usize| (n.div_ceil(INSERT_ROWS) + (n / 3).div_ceil(INSERT_ROWS)) as u64;
    assert_eq!(
        large - small,
        inserts(large_n) - inserts(small_n),
        "matching and writing a BOM is a bounded number of statements"
    );
}

/// A list of ids on PostgreSQL is looked up through a hash or an index, never compared
/// with each row one id at a time (a 10,000-line BOM's price breaks took 16 s that way).
#[tokio::test]
async fn postgresql_looks_ids_up_without_scanning_the_list() {
    let app = TestApp::new().await;
    if !app.is_postgres() {
        return;
    }
    use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryTrait};
    let backend = app.state.db.get_database_backend();
    let ids = 1..=10_000;
    let queries = [
        entity::price_break::Entity::find()
            .filter(service::db::one_of(
                backend,
                entity::price_break::Column::OfferId,
                ids.clone(),
            ))
            .build(backend),
        entity::part::Entity::find()
            .filter(service::db::one_of(backend, entity::part::Column::Id, ids))
            .build(backend),
    ];
    for query in queries {
        let explain = sea_orm::Statement::from_sql_and_values(
            backend,
            format!("EXPLAIN {}", query.sql),
            query.values.map(|v| v.0).unwrap_or_default(),
        );
        let plan: Vec<String> = app
            .state
            .db
            .query_all_raw(explain)
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<String>("", "QUERY PLAN").unwrap())
            .collect();
        let scanned = plan.iter().find(|line| line.contains("= ANY"));
        assert!(
            scanned.is_none(),
            "the ids are scanned per row: {}...",
            scanned.map(|l| &l[..l.len().min(80)]).unwrap_or_default()
        );
    }
}
