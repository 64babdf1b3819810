//! Times the async upsert of a 5,000-line raw BOM: matching against a 2,500-part catalogue
//! and writing the BOM, as the job reports it, plus the whole round trip over HTTP.
//!
//!     cargo run --release -p tests --bin upsert_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin upsert_bench
use std::time::Instant;

use axum::http::{Method, StatusCode};
use entity::job;
use sea_orm::EntityTrait;
use serde_json::{json, Value};
use tests::bench;

const LINES: usize = 5_000;
const CATALOGUE: usize = 2_500;

fn new_part(team_id: i32, i: usize) -> entity::part::ActiveModel {
    let manufacturer = if i.is_multiple_of(2) {
        "Acme"
    } else {
        "Globex"
    };
    bench::catalogue_part(
        team_id,
        format!("Part {i}"),
        String::new(),
        &format!("ABC{i:05}-XYZ"),
        manufacturer,
    )
}

#[tokio::main]
async fn main() {
    let setup = bench::setup().await;
    let (app, t) = (&setup.app, &setup.token);
    let parts = (0..CATALOGUE).map(|i| new_part(setup.team_id, i)).collect();
    bench::insert_parts(app, setup.team_id, parts).await;
    // messy MPNs: case, spacing, punctuation and packaging suffixes; some unknown parts
    let lines: Vec<Value> = (0..LINES)
        .map(|i| {
            let n = i % (CATALOGUE + 100);
            let mpn = match i % 4 {
                0 => format!("ABC{n:05}-XYZ"),
                1 => format!(" abc{n:05}-xyz "),
                2 => format!("ABC{n:05}XYZ"),
                _ => format!("ABC{n:05}-XYZ-TR"),
            };
            json!({"mpn": mpn, "manufacturer_name": "Acme", "quantity": (i % 7) + 1,
                   "reference_designators_string": format!("R{}", i + 1)})
        })
        .collect();
    let body = json!({"name": "Big raw BOM", "version": "1", "lines": lines, "integration_record_id": "bench"});
    let start = Instant::now();
    let r = app
        .rest(Method::PUT, "/integrations/async_boms/", t, Some(body))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let accepted = start.elapsed();
    let id = r.json();
    let done = app.with_token(t).wait_job(id.as_str().unwrap()).await;
    let total = start.elapsed();
    assert_eq!(done["status"], "succeeded", "{done}");
    let row = job::Entity::find_by_id(id.as_str().unwrap().parse::<i32>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let ran = row.finished_at.unwrap() - row.started_at.unwrap();
    let matched = app
        .data(
            t,
            "query($b: ID!) { bom(id: $b) { lines { matchStatus } } }",
            json!({"b": done["result"]["bom_id"].to_string()}),
        )
        .await;
    let matched = matched["bom"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["matchStatus"] == "MATCHED")
        .count();
    println!(
        "{}: upsert of {LINES} raw lines ({matched} matched): accepted in {:.0} ms, job ran {} ms, done after {:.0} ms",
        setup.backend,
        accepted.as_secs_f64() * 1000.0,
        ran.num_milliseconds(),
        total.as_secs_f64() * 1000.0
    );
}
