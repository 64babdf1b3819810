//! Cofactr's upsert of a whole BOM (`PUT /integrations/async_boms/`, run as a job): the
//! BOM found or made, its lines replaced by the body's, in one transaction.
use crate::events::{self, Change, Event};
use chrono::Utc;
use entity::{bom, bom_line};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::check::check_upsert;
use super::insert::insert_prepared;
use super::prepare::prepare;
use super::wire::UpsertBom;
use crate::auth::Principal;
use crate::bom as boms;
use crate::progress::Progress;
use crate::{ServiceError, ServiceResult};

/// Upserts a BOM: found by `integration_record_id` when given, else by name and version;
/// its lines become exactly the body's lines, in one transaction. An approved BOM is
/// refused and left unchanged.
pub async fn upsert(
    db: &DatabaseConnection,
    p: &Principal,
    body: &UpsertBom,
) -> ServiceResult<bom::Model> {
    upsert_reporting(db, p, body, &Progress::default()).await
}

/// [`upsert`], reporting its progress: 10 once the BOM is found or made, 50 once the lines
/// are matched, then up to 95 as the lines are written.
pub async fn upsert_reporting(
    db: &DatabaseConnection,
    p: &Principal,
    body: &UpsertBom,
    progress: &Progress,
) -> ServiceResult<bom::Model> {
    check_upsert(body)?;
    let team_id = p.write_team(body.team_id)?;
    let txn = crate::db::write(db).await?;
    // A key nobody holds yet has no row to lock: two instances upserting one new record
    // would each create a BOM. The team's upsert lock comes before any row lock.
    crate::db::lock_team(&txn, crate::db::TeamLock::Upsert, team_id).await?;
    let version = body.version.clone().unwrap_or_default();
    let mut q = bom::Entity::find()
        .filter(bom::Column::TeamId.eq(team_id))
        .filter(bom::Column::Archived.eq(false));
    q = match &body.integration_record_id {
        Some(id) => q.filter(bom::Column::IntegrationRecordId.eq(id.clone())),
        None => q
            .filter(bom::Column::Name.eq(body.name.clone()))
            .filter(bom::Column::Version.eq(version.clone())),
    };
    // Locked, so an approval cannot slip in between this check and the new lines.
    let existing = q
        .order_by_desc(bom::Column::Id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let synced_at = body.synced_from_integration_at.or(Some(Utc::now()));
    let bom = match existing {
        Some(b) if b.approved => {
            return Err(ServiceError::Conflict(format!(
                "BOM {} ({} {}) is approved; an upsert cannot change it.",
                b.id, b.name, b.version
            )))
        }
        Some(b) => {
            bom_line::Entity::delete_many()
                .filter(bom_line::Column::BomId.eq(b.id))
                .exec(&txn)
                .await?;
            let mut am: bom::ActiveModel = b.into();
            am.name = Set(body.name.trim().to_owned());
            am.version = Set(version);
            am.part_number = Set(body.part_number.clone().unwrap_or_default());
            am.metadata = Set(body.metadata.clone());
            if body.integration_record_id.is_some() {
                am.integration_record_id = Set(body.integration_record_id.clone());
            }
            am.integration_source_name = Set(body.integration_source_name.clone());
            am.synced_from_integration = Set(body.synced_from_integration.unwrap_or(true));
            am.synced_from_integration_at = Set(synced_at);
            am.updated_at = Set(Utc::now());
            am.update(&txn).await?
        }
        None => {
            let created = boms::create_in(&txn, p, body.bom_input(Some(team_id))).await?;
            let mut am: bom::ActiveModel = created.into();
            am.synced_from_integration = Set(body.synced_from_integration.unwrap_or(true));
            am.synced_from_integration_at = Set(synced_at);
            am.update(&txn).await?
        }
    };
    progress.set(10);
    let prepared = prepare(&txn, &bom, &body.lines).await?;
    progress.set(50);
    insert_prepared(&txn, &bom, prepared, Some((progress, 50, 95))).await?;
    let bom = if body.approved {
        let mut am: bom::ActiveModel = bom.into();
        boms::mark_approved(&mut am, p);
        am.update(&txn).await?
    } else {
        bom
    };
    let mut events = vec![Event::bom(bom.id, Change::LinesChanged)];
    if body.approved {
        events.push(Event::bom(bom.id, Change::Approved));
    }
    events::commit(db, txn, events).await?;
    Ok(bom)
}
