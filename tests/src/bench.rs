//! What the benchmarks share: catalogue rows inserted in bulk, below the API, so that
//! setting up thousands of parts is not what gets timed.
use chrono::Utc;
use entity::part;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::TestApp;

/// A component part of a team's catalogue.
pub fn catalogue_part(
    team_id: i32,
    name: String,
    ipn: String,
    mpn: &str,
    manufacturer: &str,
) -> part::ActiveModel {
    let now = Utc::now();
    part::ActiveModel {
        team_id: Set(team_id),
        name: Set(name),
        ipn: Set(ipn),
        description: Set(String::new()),
        mpn_key: Set(service::matching::mpn_key(mpn)),
        mpn_loose_key: Set(service::matching::mpn_loose_key(mpn)),
        mpn: Set(mpn.to_owned()),
        manufacturer: Set(manufacturer.to_owned()),
        revision: Set(String::new()),
        units: Set(String::new()),
        keywords: Set(String::new()),
        link: Set(String::new()),
        active: Set(true),
        assembly: Set(false),
        component: Set(true),
        purchaseable: Set(true),
        salable: Set(false),
        trackable: Set(false),
        is_virtual: Set(false),
        is_template: Set(false),
        variant_of: Set(None),
        in_stock: Set("0".into()),
        allocated: Set("0".into()),
        on_order: Set("0".into()),
        building: Set("0".into()),
        external_stock: Set("0".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
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
