//! Substitutes: approved alternative parts for one BOM line.
use crate::events;
use entity::{bom_line::Model as LineModel, substitute};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;

use crate::auth::Principal;
use crate::db::one_of;
use crate::page::{Page, PageRequest};
use crate::{bom as boms, bom_line, part, FieldErrors, ServiceError, ServiceResult};

pub async fn get(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<substitute::Model> {
    let sub = crate::owned::find::<substitute::Entity>(db, p, id).await?;
    Ok(sub)
}

pub async fn for_lines(
    db: &impl ConnectionTrait,
    p: &Principal,
    line_ids: &[i32],
) -> ServiceResult<Vec<substitute::Model>> {
    if line_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(substitute::Entity::find()
        .filter(one_of(
            db.get_database_backend(),
            substitute::Column::BomLineId,
            line_ids.iter().copied(),
        ))
        .filter(one_of(
            db.get_database_backend(),
            substitute::Column::TeamId,
            p.team_ids(),
        ))
        .order_by_asc(substitute::Column::Id)
        .all(db)
        .await?)
}

/// The rules of a substitute: a part of the line's team, never the line's own part, and
/// unique per (line, part). `except` is the substitute being changed, if any.
async fn check(
    db: &impl ConnectionTrait,
    p: &Principal,
    line: &LineModel,
    part_id: i32,
    except: Option<i32>,
) -> ServiceResult<()> {
    let part = part::get(db, p, part_id)
        .await
        .map_err(|_| FieldErrors::single("part_id", "Select a valid part."))?;
    if part.team_id != line.team_id {
        return Err(FieldErrors::single("part_id", "Select a valid part."));
    }
    if line.part_id == Some(part_id) {
        return Err(FieldErrors::single(
            "part_id",
            "Substitute part cannot be the same as the master part",
        ));
    }
    let mut dup = substitute::Entity::find()
        .filter(substitute::Column::BomLineId.eq(line.id))
        .filter(substitute::Column::PartId.eq(part_id));
    if let Some(id) = except {
        dup = dup.filter(substitute::Column::Id.ne(id));
    }
    if dup.count(db).await? > 0 {
        return Err(FieldErrors::single(
            "non_field_errors",
            "The fields part, bom_item must make a unique set.",
        ));
    }
    Ok(())
}

/// A line, checked changeable (its BOM is writable and not approved).
async fn line_for_write(
    db: &impl ConnectionTrait,
    p: &Principal,
    line_id: i32,
) -> ServiceResult<LineModel> {
    let line = bom_line::get(db, p, line_id).await?;
    boms::get_for_write(db, p, line.bom_id, true).await?;
    Ok(line)
}

/// A new substitute row, for batch inserts by code that has already checked the rules.
pub(crate) fn row(team_id: i32, line_id: i32, part_id: i32) -> substitute::ActiveModel {
    substitute::ActiveModel {
        team_id: Set(team_id),
        bom_line_id: Set(line_id),
        part_id: Set(part_id),
        metadata: Set(None),
        ..Default::default()
    }
}

/// Substitutes are part of the BOM's structure, so an approved BOM's substitutes are fixed.
pub async fn add(
    db: &DatabaseConnection,
    p: &Principal,
    line_id: i32,
    part_id: i32,
    metadata: Option<Value>,
) -> ServiceResult<substitute::Model> {
    if metadata.as_ref().is_some_and(|m| !m.is_object()) {
        return Err(FieldErrors::single(
            "metadata",
            "Metadata must be a JSON object.",
        ));
    }
    let txn = crate::db::write(db).await?;
    let line = line_for_write(&txn, p, line_id)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound { .. } => {
                FieldErrors::single("bom_line_id", "Select a valid BOM line.")
            }
            other => other,
        })?;
    check(&txn, p, &line, part_id, None).await?;
    let sub = substitute::ActiveModel {
        team_id: Set(line.team_id),
        bom_line_id: Set(line_id),
        part_id: Set(part_id),
        metadata: Set(metadata),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    events::commit(db, txn, [crate::bom_line::changed(&line)]).await?;
    Ok(sub)
}

/// Moves a substitute to another line and/or part, under the same rules as `add`.
pub async fn update(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    line_id: Option<i32>,
    part_id: Option<i32>,
) -> ServiceResult<substitute::Model> {
    let txn = crate::db::write(db).await?;
    let sub = get(&txn, p, id).await?;
    let was_on = line_for_write(&txn, p, sub.bom_line_id).await?;
    let line_id = line_id.unwrap_or(sub.bom_line_id);
    let line = line_for_write(&txn, p, line_id)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound { .. } => {
                FieldErrors::single("bom_line_id", "Select a valid BOM line.")
            }
            other => other,
        })?;
    if line.team_id != sub.team_id {
        return Err(FieldErrors::single(
            "bom_line_id",
            "Select a BOM line of the substitute's own team.",
        ));
    }
    let part_id = part_id.unwrap_or(sub.part_id);
    check(&txn, p, &line, part_id, Some(id)).await?;
    let mut am: substitute::ActiveModel = sub.into();
    am.bom_line_id = Set(line_id);
    am.part_id = Set(part_id);
    let saved = am.update(&txn).await?;
    let mut events = vec![crate::bom_line::changed(&line)];
    if was_on.id != line.id {
        events.push(crate::bom_line::changed(&was_on));
    }
    events::commit(db, txn, events).await?;
    Ok(saved)
}

/// Substitutes of the principal's teams, optionally of one line and/or one part, by id.
pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
    line_id: Option<i32>,
    part_id: Option<i32>,
    page: PageRequest,
) -> ServiceResult<Page<substitute::Model>> {
    let mut q = substitute::Entity::find().filter(substitute::Column::TeamId.is_in(p.team_ids()));
    if let Some(l) = line_id {
        q = q.filter(substitute::Column::BomLineId.eq(l));
    }
    if let Some(part) = part_id {
        q = q.filter(substitute::Column::PartId.eq(part));
    }
    let total = q.clone().count(db).await?;
    let window = page.window(total);
    let items = q
        .order_by_asc(substitute::Column::Id)
        .offset(window.offset)
        .limit(window.limit)
        .all(db)
        .await?;
    Ok(Page {
        items,
        total,
        window,
    })
}

pub async fn remove(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = crate::db::write(db).await?;
    let sub = get(&txn, p, id).await?;
    let line = line_for_write(&txn, p, sub.bom_line_id).await?;
    substitute::Entity::delete_by_id(id).exec(&txn).await?;
    events::commit(db, txn, [crate::bom_line::changed(&line)]).await?;
    Ok(())
}

/// The substitute parts of each of these lines, in batches.
pub async fn lines_substitutes(
    db: &impl ConnectionTrait,
    lines: impl IntoIterator<Item = &LineModel>,
) -> ServiceResult<std::collections::HashMap<i32, Vec<i32>>> {
    let mut out: std::collections::HashMap<i32, Vec<i32>> = std::collections::HashMap::new();
    let ids: Vec<i32> = lines.into_iter().map(|l| l.id).collect();
    let backend = db.get_database_backend();
    // one statement up to 10,000 lines: the ids are one array on PostgreSQL
    let found = crate::db::in_chunks(&ids, |chunk| {
        substitute::Entity::find()
            .filter(one_of(backend, substitute::Column::BomLineId, chunk))
            .all(db)
    })
    .await?;
    for s in found {
        out.entry(s.bom_line_id).or_default().push(s.part_id);
    }
    Ok(out)
}
