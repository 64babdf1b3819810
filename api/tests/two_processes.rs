//! Two `bomgraph serve` processes on one database (PostgreSQL when TEST_DATABASE_URL is
//! set): every queued job runs, and runs exactly once.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use entity::job::{self, JobStatus};
use sea_orm::EntityTrait;
use serde_json::json;
use service::raw_bom::{RawLine, UpsertBom};
use tests::{TeamRole, TestApp};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(url: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_bomgraph"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start bomgraph serve");
    Server(child)
}

#[tokio::test]
async fn two_server_processes_run_each_job_once() {
    let mut app = TestApp::new().await;
    // only the two processes may run jobs
    app.stop_worker().await;
    let token = app.user("ops", "plant", TeamRole::Admin).await;
    let principal = service::auth::authenticate_token(&app.state.db, &token)
        .await
        .unwrap();
    let mut ids = Vec::new();
    // as many as one team may queue at once
    for i in 0..service::job::MAX_ACTIVE_JOBS_PER_TEAM {
        let body = UpsertBom {
            name: format!("Board {i}"),
            lines: vec![RawLine {
                mpn: Some(format!("MPN-{i}")),
                quantity: 2.into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        ids.push(
            service::job::enqueue_upsert(&app.state.db, &principal, body)
                .await
                .unwrap()
                .id,
        );
    }
    let url = app.database_url();
    let servers = [serve(&url), serve(&url)];
    let deadline = Instant::now() + Duration::from_secs(120);
    let jobs = loop {
        let jobs: Vec<job::Model> = job::Entity::find().all(&app.state.db).await.unwrap();
        if jobs
            .iter()
            .all(|j| matches!(j.status, JobStatus::Succeeded | JobStatus::Failed))
        {
            break jobs;
        }
        assert!(Instant::now() < deadline, "jobs did not finish: {jobs:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    drop(servers);
    assert_eq!(jobs.len(), ids.len());
    for j in &jobs {
        assert_eq!(j.status, JobStatus::Succeeded, "{j:?}");
        assert_eq!(j.attempts, 1, "job {} was claimed more than once", j.id);
    }
    let boms = app.data(&token, "{ boms { totalCount } }", json!({})).await;
    assert_eq!(
        boms["boms"]["totalCount"],
        ids.len(),
        "each upsert wrote its BOM once"
    );
    let workers: std::collections::HashSet<_> = jobs.iter().map(|j| j.locked_by.clone()).collect();
    println!("{} jobs run by {} worker(s)", ids.len(), workers.len());
}
