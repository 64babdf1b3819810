//! Times a 10,000-row BOM import through InvenTree's upload, extract and submit endpoints.
//!
//!     cargo run --release -p tests --bin import_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin import_bench
use std::time::Instant;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::bench;
use tests::request::multipart;

const ROWS: usize = 10_000;

#[tokio::main]
async fn main() {
    let bench::Setup {
        app,
        backend,
        token: t,
        team_id,
    } = bench::setup().await;
    let asm = bench::assembly(&app, &t).await;
    // catalogue set-up, not timed
    let names: Vec<String> = (0..ROWS).map(|i| format!("P-{i:05}")).collect();
    let rows = names
        .iter()
        .map(|n| bench::catalogue_part(team_id, n.clone(), n.clone(), "", ""))
        .collect();
    bench::insert_parts(&app, team_id, rows).await;
    let mut csv = String::from("part_ipn,quantity,reference\n");
    for (i, n) in names.iter().enumerate() {
        csv.push_str(&format!("{n},{},R{i}\n", i % 5 + 1));
    }

    let (content_type, body) = multipart(
        &[("part", &asm.to_string())],
        Some(("bom.csv", csv.as_bytes())),
    );

    let start = Instant::now();
    let up = app
        .raw(
            Method::POST,
            "/api/bom/import/upload/",
            &t,
            &content_type,
            body,
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text());
    let up = up.json();
    let t_upload = start.elapsed();

    let columns: Vec<Value> = up["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| up["file_fields"][c.as_str().unwrap()]["value"].clone())
        .collect();
    let start = Instant::now();
    let ex = app
        .rest(
            Method::POST,
            "/api/bom/import/extract/",
            &t,
            Some(json!({"columns": columns, "rows": up["rows"]})),
        )
        .await;
    assert_eq!(ex.status, StatusCode::CREATED);
    let t_extract = start.elapsed();
    let items: Vec<Value> = ex.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!({"part": asm, "sub_part": r["part"], "quantity": r["quantity"], "reference": r["reference"]}))
        .collect();

    let start = Instant::now();
    let sub = app
        .rest(
            Method::POST,
            "/api/bom/import/submit/",
            &t,
            Some(json!({"items": items})),
        )
        .await;
    assert_eq!(sub.status, StatusCode::CREATED, "{}", sub.text());
    let t_submit = start.elapsed();
    assert_eq!(sub.json()["created"], ROWS);

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{backend}: {ROWS}-row import: upload {:.0} ms, extract {:.0} ms, submit {:.0} ms, total {:.0} ms",
        ms(t_upload),
        ms(t_extract),
        ms(t_submit),
        ms(t_upload + t_extract + t_submit)
    );
}
