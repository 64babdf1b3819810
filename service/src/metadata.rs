//! Metadata on BOMs, lines and substitutes: a JSON object, read, replaced or merged, by one
//! reader and one writer for every table that carries it.
use crate::events::{self, Change, Event};
use chrono::Utc;
use entity::{bom, bom_line, substitute};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait, Set,
};
use serde_json::{Map, Value};

use crate::auth::Principal;
use crate::{FieldErrors, ServiceError, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataMode {
    /// The new object is the whole metadata.
    Replace,
    /// Top-level keys of the new object overwrite or add to the old ones.
    Merge,
}

/// The metadata after applying `incoming`; only JSON objects are accepted.
pub fn apply(current: Option<&Value>, incoming: Value, mode: MetadataMode) -> ServiceResult<Value> {
    crate::input::check_json(Some("metadata"), &incoming)?;
    let Value::Object(incoming) = incoming else {
        return Err(FieldErrors::single(
            "metadata",
            "Metadata must be a JSON object.",
        ));
    };
    let merged = match (mode, current) {
        (MetadataMode::Merge, Some(Value::Object(old))) => {
            let mut out: Map<String, Value> = old.clone();
            out.extend(incoming);
            out
        }
        _ => incoming,
    };
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_and_replace() {
        let old = json!({"a": 1, "b": {"x": 1}});
        let merged = apply(
            Some(&old),
            json!({"b": {"y": 2}, "c": 3}),
            MetadataMode::Merge,
        )
        .unwrap();
        assert_eq!(merged, json!({"a": 1, "b": {"y": 2}, "c": 3}));
        let replaced = apply(Some(&old), json!({"c": 3}), MetadataMode::Replace).unwrap();
        assert_eq!(replaced, json!({"c": 3}));
        assert!(apply(None, json!([1]), MetadataMode::Merge).is_err());
    }
}

/// What carries metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Bom,
    BomLine,
    Substitute,
}

/// The metadata of a BOM, line or substitute the principal can read.
pub async fn read(
    db: &DatabaseConnection,
    p: &Principal,
    target: Target,
    id: i32,
) -> ServiceResult<Option<Value>> {
    match target {
        Target::Bom => read_row::<bom::Entity>(db, p, id).await,
        Target::BomLine => read_row::<bom_line::Entity>(db, p, id).await,
        Target::Substitute => read_row::<substitute::Entity>(db, p, id).await,
    }
}

/// Replaces or merges the metadata of a BOM, line or substitute; returns the result.
pub async fn write(
    db: &DatabaseConnection,
    p: &Principal,
    target: Target,
    id: i32,
    value: Value,
    mode: MetadataMode,
) -> ServiceResult<Option<Value>> {
    match target {
        Target::Bom => write_row::<bom::Entity>(db, p, id, value, mode).await,
        Target::BomLine => write_row::<bom_line::Entity>(db, p, id, value, mode).await,
        Target::Substitute => write_row::<substitute::Entity>(db, p, id, value, mode).await,
    }
}

/// A table whose rows carry metadata and belong to a team.
trait Carrier: EntityTrait {
    /// The row's name in a not-found or forbidden error.
    const WHAT: &'static str;
    fn team(row: &Self::Model) -> i32;
    fn metadata(row: &Self::Model) -> Option<&Value>;
    /// The row with its new metadata, ready to update.
    fn with_metadata(row: Self::Model, metadata: Value) -> Self::ActiveModel;
    /// What watchers of the row's BOM are told. A substitute's metadata is shown by no
    /// subscription, so it announces nothing.
    fn event(_row: &Self::Model) -> Option<Event> {
        None
    }
}

impl Carrier for bom::Entity {
    const WHAT: &'static str = "bom";
    fn team(row: &bom::Model) -> i32 {
        row.team_id
    }
    fn metadata(row: &bom::Model) -> Option<&Value> {
        row.metadata.as_ref()
    }
    fn with_metadata(row: bom::Model, metadata: Value) -> bom::ActiveModel {
        let mut am: bom::ActiveModel = row.into();
        am.metadata = Set(Some(metadata));
        am.updated_at = Set(Utc::now());
        am
    }
    fn event(row: &bom::Model) -> Option<Event> {
        Some(Event::bom(row.id, Change::Updated))
    }
}

impl Carrier for bom_line::Entity {
    const WHAT: &'static str = "bom line";
    fn team(row: &bom_line::Model) -> i32 {
        row.team_id
    }
    fn metadata(row: &bom_line::Model) -> Option<&Value> {
        row.metadata.as_ref()
    }
    fn with_metadata(row: bom_line::Model, metadata: Value) -> bom_line::ActiveModel {
        let mut am: bom_line::ActiveModel = row.into();
        am.metadata = Set(Some(metadata));
        am
    }
    fn event(row: &bom_line::Model) -> Option<Event> {
        Some(crate::bom_line::changed(row))
    }
}

impl Carrier for substitute::Entity {
    const WHAT: &'static str = "substitute";
    fn team(row: &substitute::Model) -> i32 {
        row.team_id
    }
    fn metadata(row: &substitute::Model) -> Option<&Value> {
        row.metadata.as_ref()
    }
    fn with_metadata(row: substitute::Model, metadata: Value) -> substitute::ActiveModel {
        let mut am: substitute::ActiveModel = row.into();
        am.metadata = Set(Some(metadata));
        am
    }
}

async fn read_row<E>(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
) -> ServiceResult<Option<Value>>
where
    E: Carrier,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    let row = E::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::not_found(E::WHAT))?;
    p.ensure_read(E::team(&row), E::WHAT)?;
    Ok(E::metadata(&row).cloned())
}

/// The one metadata writer: the row locked, read and write access checked, the new
/// metadata applied and stored in one transaction.
async fn write_row<E>(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    value: Value,
    mode: MetadataMode,
) -> ServiceResult<Option<Value>>
where
    E: Carrier,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<E::ActiveModel>,
{
    let txn = crate::db::write(db).await?;
    let row = crate::db::find_for_update::<E>(&txn, id)
        .await?
        .ok_or(ServiceError::not_found(E::WHAT))?;
    p.ensure_read(E::team(&row), E::WHAT)?;
    p.ensure_write(E::team(&row), E::WHAT)?;
    let merged = apply(E::metadata(&row), value, mode)?;
    let saved = E::with_metadata(row, merged).update(&txn).await?;
    events::commit(db, txn, E::event(&saved)).await?;
    Ok(E::metadata(&saved).cloned())
}
