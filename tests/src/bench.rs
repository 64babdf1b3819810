//! What the benchmarks share: catalogue rows inserted in bulk, below the API, so that
//! setting up thousands of parts is not what gets timed.
use std::future::Future;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use entity::part;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
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

/// Inserts rows of any table in chunks of 500 (under both backends' limit on bound values).
pub async fn insert_all<A>(app: &TestApp, rows: Vec<A>)
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(500).collect();
        A::Entity::insert_many(chunk)
            .exec(&app.state.db)
            .await
            .expect("insert rows");
    }
}

/// Inserts the parts in chunks; returns the team's part ids in insertion order.
pub async fn insert_parts(app: &TestApp, team_id: i32, parts: Vec<part::ActiveModel>) -> Vec<i32> {
    insert_all(app, parts).await;
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

/// `count` catalogue parts named and numbered `P-00000`, `P-00001`, ... (the IPN is the
/// name); with a `maker`, each has its name as MPN and is made by `maker`. Their names and
/// ids, in order.
pub async fn numbered_parts(
    app: &TestApp,
    team_id: i32,
    count: usize,
    maker: Option<&str>,
) -> (Vec<String>, Vec<i32>) {
    let names: Vec<String> = (0..count).map(|i| format!("P-{i:05}")).collect();
    let rows = names
        .iter()
        .map(|n| {
            let (mpn, manufacturer) = maker.map_or(("", ""), |m| (n.as_str(), m));
            catalogue_part(team_id, n.clone(), n.clone(), mpn, manufacturer)
        })
        .collect();
    let ids = insert_parts(app, team_id, rows).await;
    (names, ids)
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
    let team_id = app.team_row_ids(&token).await[0];
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
