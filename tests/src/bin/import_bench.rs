//! Times a 10,000-row BOM import through InvenTree's upload, extract and submit endpoints.
//!
//!     cargo run --release -p tests --bin import_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin import_bench
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use tests::bench;
use tests::import::{columns_matched, extract, items_extracted, submit, upload};

const ROWS: usize = 10_000;

#[tokio::main]
async fn main() {
    let setup = bench::setup().await;
    let (app, t) = (&setup.app, setup.token.as_str());
    let asm = bench::assembly(app, t).await;
    // catalogue set-up, not timed
    let (names, _) = bench::numbered_parts(app, setup.team_id, ROWS, None).await;
    let mut csv = String::from("part_ipn,quantity,reference\n");
    for (i, n) in names.iter().enumerate() {
        csv.push_str(&format!("{n},{},R{i}\n", i % 5 + 1));
    }

    let start = Instant::now();
    let (status, up) = upload(app, t, asm, false, "bom.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let t_upload = start.elapsed();

    let start = Instant::now();
    let (status, extracted) = extract(app, t, columns_matched(&up)).await;
    assert_eq!(status, StatusCode::CREATED);
    let t_extract = start.elapsed();
    let items = items_extracted(asm, &extracted);

    let start = Instant::now();
    let (status, submitted) = submit(app, t, items).await;
    assert_eq!(status, StatusCode::CREATED, "{submitted}");
    let t_submit = start.elapsed();
    assert_eq!(submitted["created"], ROWS);

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{}: {ROWS}-row import: upload {:.0} ms, extract {:.0} ms, submit {:.0} ms, total {:.0} ms",
        setup.backend,
        ms(t_upload),
        ms(t_extract),
        ms(t_submit),
        ms(t_upload + t_extract + t_submit)
    );
}
