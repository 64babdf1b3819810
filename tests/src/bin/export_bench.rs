//! Times the revision paths on a 10,000-line BOM whose parts each have an offer with two
//! price breaks: exports (csv, xlsx, json), `reviseBom`, and `bomDiff` between the two
//! revisions (a hundred lines changed).
//!
//!     cargo run --release -p tests --bin export_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin export_bench
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use entity::{price_break, supplier_offer};
use sea_orm::{EntityTrait, Set};
use serde_json::json;
use tests::bench;
use tests::builders::{approve, update_line};

const LINES: usize = 10_000;
const RUNS: usize = 5;

#[tokio::main]
async fn main() {
    let setup = bench::setup().await;
    let (app, t, backend, team_id) = (&setup.app, &setup.token, setup.backend, setup.team_id);
    // set-up, not timed: the catalogue with offers, then the BOM through the import
    let (_, ids) = bench::numbered_parts(app, team_id, LINES, Some("Acme")).await;
    let offers: Vec<supplier_offer::ActiveModel> = ids
        .iter()
        .map(|&part_id| supplier_offer::ActiveModel {
            team_id: Set(team_id),
            part_id: Set(part_id),
            supplier: Set("Acme".into()),
            sku: Set(format!("SKU-{part_id}")),
            stock: Set("100000".parse().expect("decimal")),
            moq: Set("1".parse().expect("decimal")),
            order_multiple: Set("1".parse().expect("decimal")),
            lead_days: Set(Some(7)),
            currency: Set("USD".into()),
            ..Default::default()
        })
        .collect();
    bench::insert_all(app, offers).await;
    let offer_ids: Vec<i32> = supplier_offer::Entity::find()
        .all(&app.state.db)
        .await
        .expect("offers")
        .into_iter()
        .map(|o| o.id)
        .collect();
    let breaks: Vec<price_break::ActiveModel> = offer_ids
        .iter()
        .flat_map(|&offer_id| {
            [("1", "0.10"), ("1000", "0.05")].map(|(q, p)| price_break::ActiveModel {
                team_id: Set(team_id),
                offer_id: Set(offer_id),
                quantity: Set(q.parse().expect("decimal")),
                unit_price: Set(p.parse().expect("decimal")),
                ..Default::default()
            })
        })
        .collect();
    bench::insert_all(app, breaks).await;
    let asm = bench::assembly(app, t).await;
    bench::submit_lines(app, t, asm, &ids).await;
    let found = app
        .data(
            t,
            "query($p: ID!) { boms(filter: {assemblyPartId: $p}) { nodes { id rowId } } }",
            json!({"p": tests::global_id("Part", asm)}),
        )
        .await;
    let bom = found["boms"]["nodes"][0]["id"].as_str().unwrap().to_owned();
    let bom_row = found["boms"]["nodes"][0]["rowId"].as_i64().unwrap();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (format, query) in [
        ("csv", "format=csv&quantity=100"),
        ("xlsx", "format=xlsx&quantity=100"),
        ("json", "format=json&quantity=100"),
    ] {
        let (time, size) = bench::median(RUNS, || async {
            let r = app
                .rest(
                    Method::GET,
                    &format!("/v1/boms/{bom_row}/export/?{query}"),
                    t,
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.body.len()
        })
        .await;
        println!(
            "{backend}: export of {LINES} lines as {format}: {:.0} ms (median of {RUNS}), {} KiB",
            ms(time),
            size / 1024
        );
    }

    approve(app, t, &bom).await;
    let start = Instant::now();
    let revised = app
        .data(
            t,
            "mutation($id: ID!) { reviseBom(input: {id: $id}) { bom { id } } }",
            json!({"id": bom}),
        )
        .await["reviseBom"]["bom"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    println!(
        "{backend}: reviseBom of {LINES} lines: {:.0} ms",
        ms(start.elapsed())
    );
    let lines = app
        .data(
            t,
            "query($id: ID!) { bomLines(first: 100, filter: {bomId: $id}) { nodes { id } } }",
            json!({"id": revised}),
        )
        .await;
    let lines = lines["bomLines"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for l in &lines {
        update_line(app, t, l["id"].as_str().unwrap(), json!({"quantity": "9"})).await;
    }
    let diff = "query($f: ID!, $t: ID!) { bomDiff(from: $f, to: $t, quantity: \"100\") { lines { kind name changes { field old new } } summary { changed unchanged costChange { amount } } } }";
    let statements = app.statements();
    let (time, changed) = bench::median(RUNS, || async {
        let d = app.data(t, diff, json!({"f": bom, "t": revised})).await;
        d["bomDiff"]["summary"]["changed"].clone()
    })
    .await;
    println!(
        "{backend}: bomDiff of two {LINES}-line revisions ({changed} lines changed): {:.0} ms (median of {RUNS}), {} statements",
        ms(time),
        (app.statements() - statements) / RUNS as u64
    );
}
