//! What the benchmarks share: catalogue rows inserted in bulk, below the API, so that
//! setting up thousands of parts is not what gets timed.
use std::future::Future;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use entity::part;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::builders::Part;
use crate::{TeamRole, TestApp};

/// A component part of a team's catalogue.
pub fn catalogue_part(
    team_id: i32,
    name: String,
    ipn: String,
    mpn: &str,
    manufacturer: &str,
) -> part::ActiveModel {
    service::part::new_row(
        team_id,
        &service::part::PartInput {
            name: Some(name),
            ipn: Some(ipn),
            mpn: Some(mpn.to_owned()),
            manufacturer: Some(manufacturer.to_owned()),
            ..Default::default()
        },
    )
}

/// Inserts the parts in chunks; returns the team's part ids in insertion order.
pub async fn insert_parts(app: &TestApp, team_id: i32, parts: Vec<part::ActiveModel>) -> Vec<i32> {
    let mut parts = parts.into_iter().peekable();
    while parts.peek().is_some() {
        let chunk: Vec<_> = parts.by_ref().take(500).collect();
        part::Entity::insert_many(chunk)
            .exec(&app.state.db)
            .await
            .expect("insert parts");
    }
    part::Entity::find()
        .filter(part::Column::TeamId.eq(team_id))
        .order_by_asc(part::Column::Id)
        .all(&app.state.db)
        .await
        .expect("read parts")
        .into_iter()
        .map(|p| p.id)
        .collect()
}

/// A fresh app with one admin, as every benchmark starts.
pub struct Setup {
    pub app: TestApp,
    /// The backend's name, for the printed figures.
    pub backend: &'static str,
    pub token: String,
    pub team_id: i32,
}

pub async fn setup() -> Setup {
    let app = TestApp::new().await;
    let backend = if app.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let token = app.user("bench", "bench", TeamRole::Admin).await;
    let team_id = app.team_ids(&token).await[0];
    Setup {
        app,
        backend,
        token,
        team_id,
    }
}

/// The assembly a benchmark's BOM is of, made as an InvenTree client makes it; its pk.
pub async fn assembly(app: &TestApp, token: &str) -> i64 {
    Part::named("Big assembly")
        .assembly()
        .create_rest(app, token)
        .await
}

/// Submits one BOM line under `assembly` for each part, through InvenTree's import: the
/// i-th part `i % 5 + 1` times, at designator `R<i>`.
pub async fn submit_lines(app: &TestApp, token: &str, assembly: i64, parts: &[i32]) {
    let items: Vec<Value> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| json!({"part": assembly, "sub_part": p, "quantity": i % 5 + 1, "reference": format!("R{i}")}))
        .collect();
    app.with_token(token)
        .post("/api/bom/import/submit/", json!({"items": items}))
        .await
        .expect(StatusCode::CREATED);
}

/// The median of `runs` timings of `f`, and what its last run gave.
pub async fn median<T, F, Fut>(runs: usize, mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f().await);
        times.push(start.elapsed());
    }
    times.sort();
    (times[runs / 2], last.expect("at least one run"))
}
