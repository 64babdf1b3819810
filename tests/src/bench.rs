//! What the benchmarks share: catalogue rows inserted in bulk, below the API, so that
//! setting up thousands of parts is not what gets timed.
use entity::part;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

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
