//! Times list requests over a team with 10,000 BOM lines: InvenTree's BOM list and GraphQL
//! `bomLines`, with filters that page in SQL and with the computed ones that need figures.
//!
//!     cargo run --release -p tests --bin list_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin list_bench
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tests::bench;

const LINES: usize = 10_000;
const RUNS: usize = 7;

/// The median of `RUNS` timings of one request, after one warm-up.
async fn median<F, Fut>(mut request: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    request().await;
    bench::median(RUNS, request).await.0
}

#[tokio::main]
async fn main() {
    let setup = bench::setup().await;
    let (app, t, backend) = (&setup.app, &setup.token, setup.backend);
    let (_, parts) = bench::numbered_parts(app, setup.team_id, LINES, None).await;
    let asm = bench::assembly(app, t).await;
    bench::submit_lines(app, t, asm, &parts).await;

    let rest = |path: String| {
        move || {
            let path = path.clone();
            async move {
                let r = app.rest(Method::GET, &path, t, None).await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            }
        }
    };
    let gql = |filter: Value| {
        move || {
            let filter = filter.clone();
            async move {
                app.data(
                    t,
                    "query($f: BomLineFilterInput) { bomLines(filter: $f, first: 50) { totalCount nodes { id quantity reference part { name } } } }",
                    json!({"f": filter}),
                )
                .await;
            }
        }
    };
    let bom_id =
        app.data(t, "{ boms { nodes { id } } }", json!({})).await["boms"]["nodes"][0]["id"].clone();
    let whole_bom = || {
        let bom_id = bom_id.clone();
        async move {
            let got = app
                .data(
                    t,
                    "query($b: ID!) { bom(id: $b) { lines { id quantity reference availableStock pricingMin part { name ipn } substitutes { part { name } } } } }",
                    json!({"b": bom_id}),
                )
                .await;
            assert_eq!(got["bom"]["lines"].as_array().map(Vec::len), Some(LINES));
        }
    };
    let cases: Vec<(&str, Duration)> = vec![
        (
            "GraphQL bom(id) with every line, its part, substitutes and figures",
            median(whole_bom).await,
        ),
        (
            "REST part=<assembly>, limit 50",
            median(rest(format!("/api/bom/?part={asm}&limit=50"))).await,
        ),
        (
            "REST search=P-0999, limit 50",
            median(rest("/api/bom/?search=P-0999&limit=50".into())).await,
        ),
        (
            "REST ordering=-allow_variants, offset 9,950",
            median(rest(
                "/api/bom/?ordering=-allow_variants&limit=50&offset=9950".into(),
            ))
            .await,
        ),
        (
            "REST has_pricing=false (computed), limit 50",
            median(rest("/api/bom/?has_pricing=false&limit=50".into())).await,
        ),
        (
            "GraphQL bomLines search P-09, first 50",
            median(gql(json!({"search": "P-09"}))).await,
        ),
        (
            "GraphQL bomLines subPartTrackable false, first 50",
            median(gql(json!({"subPartTrackable": false}))).await,
        ),
        (
            "GraphQL bomLines availableStock false (computed), first 50",
            median(gql(json!({"availableStock": false}))).await,
        ),
    ];
    for (name, d) in cases {
        println!(
            "{backend}: {LINES} lines: {name}: {:.1} ms",
            d.as_secs_f64() * 1000.0
        );
    }
}
