//! Times a job's progress update to its subscriber: a `jobUpdated` subscription over a real
//! WebSocket, and 200 progress updates announced as a running job's worker announces them
//! (`service::events::publish`, a NOTIFY on PostgreSQL), each timed until the client has
//! read the message that carries it.
//!
//!     cargo run --release -p tests --bin subscription_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin subscription_bench
use std::time::{Duration, Instant};

use entity::job;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;
use service::events::{self, Event};
use tests::bench;
use tests::ws::{WsClient, TRANSPORT_WS};

const UPDATES: usize = 200;

#[tokio::main]
async fn main() {
    let mut setup = bench::setup().await;
    setup.app.stop_worker().await;
    let (app, t) = (&setup.app, &setup.token);
    let queued = app
        .data(
            t,
            "mutation($i: UpsertBomAsyncInput!) { upsertBomAsync(input: $i) { job { id } } }",
            json!({"i": {"name": "Timed", "version": "A", "lines": []}}),
        )
        .await["upsertBomAsync"]["job"]["id"]
        .clone();
    let id = app.row_id(t, &queued).await as i32;
    // the job runs, as far as its subscribers can tell
    let row = job::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .expect("read the job")
        .expect("the job");
    let mut running: job::ActiveModel = row.into();
    running.status = Set(job::JobStatus::Running);
    running
        .update(&app.state.db)
        .await
        .expect("mark it running");

    let addr = app.serve().await;
    let mut client = WsClient::ready(addr, TRANSPORT_WS, t).await;
    client
        .subscribe(
            "job",
            "subscription($id: ID!) { jobUpdated(id: $id) { status progress } }",
            json!({"id": queued}),
        )
        .await;
    client.next_data("job").await;

    let mut times = Vec::with_capacity(UPDATES);
    for n in 0..UPDATES {
        // every update differs from the one before, so each one is sent
        let progress = 1 + (n % 98) as i32;
        let start = Instant::now();
        events::publish(&app.state.db, Event::job(id, progress)).await;
        loop {
            let data = client.next_data("job").await;
            if data["jobUpdated"]["progress"] == progress {
                break;
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{}: progress update -> subscriber, {UPDATES} updates: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        setup.backend,
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
    );
}
