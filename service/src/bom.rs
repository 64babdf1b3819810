//! BOMs: creation (optionally with lines), approval, deletion-or-archive, metadata.
use chrono::Utc;
use entity::{bom, program_line};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;

use crate::auth::Principal;
use crate::bom_line::{self, LineInput};
pub(crate) use crate::bom_lookup::get_for_write;
pub use crate::bom_lookup::{by_ids, for_assembly, get};
use crate::events::{self, Change, Event};
use crate::page::{Page, PageRequest};
use crate::{limits, part, search, structure, FieldErrors, ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct BomInput {
    pub team_id: Option<i32>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub part_number: Option<String>,
    pub description: Option<String>,
    /// The first revision's label (`A` when left out); set when a revision is made.
    pub revision: Option<String>,
    /// `Some(None)` clears it.
    pub assembly_part_id: Option<Option<i32>>,
    pub metadata: Option<Value>,
    pub integration_record_id: Option<String>,
    pub integration_source_name: Option<String>,
    /// Lines created with the BOM, in one transaction.
    pub lines: Option<Vec<LineInput>>,
}

#[derive(Debug, Clone, Default)]
pub struct BomFilter {
    pub search: Option<String>,
    pub approved: Option<bool>,
    /// Archived BOMs are hidden unless asked for.
    pub include_archived: bool,
    /// Only archived (true) or only live (false) BOMs; overrides `include_archived`.
    pub archived: Option<bool>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub assembly_part_id: Option<i32>,
    pub team_id: Option<i32>,
}

/// What `delete` did: an approved BOM is kept, archived, for traceability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    Archived,
}

/// The rules of a BOM's own fields, for every path that writes them: create, update and the
/// Cofactr upsert (new or existing BOM).
pub(crate) fn validate(input: &BomInput, creating: bool) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(n) if n.trim().is_empty() => errors.add("name", "This field may not be blank."),
        None if creating => errors.add("name", "This field is required."),
        _ => {}
    }
    for (field, value) in [
        ("name", &input.name),
        ("version", &input.version),
        ("part_number", &input.part_number),
        ("integration_record_id", &input.integration_record_id),
        ("integration_source_name", &input.integration_source_name),
    ] {
        if let Some(value) = value {
            limits::check_length(&mut errors, field, value, limits::BOM_TEXT);
        }
    }
    if input.metadata.as_ref().is_some_and(|m| !m.is_object()) {
        errors.add("metadata", "Metadata must be a JSON object.");
    }
    match &input.revision {
        Some(_) if !creating => errors.add(
            "revision",
            "A revision's label is given when it is made (createBom or reviseBom).",
        ),
        Some(label) => {
            if let Err(message) = crate::revision::check_label_text(label) {
                errors.add("revision", message);
            }
        }
        None => {}
    }
    errors.into_result()
}

pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
    filter: &BomFilter,
    page: PageRequest,
) -> ServiceResult<Page<bom::Model>> {
    let mut q = bom::Entity::find().filter(bom::Column::TeamId.is_in(p.team_ids()));
    if let Some(team) = filter.team_id {
        q = q.filter(bom::Column::TeamId.eq(team));
    }
    match filter.archived {
        Some(a) => q = q.filter(bom::Column::Archived.eq(a)),
        None if !filter.include_archived => q = q.filter(bom::Column::Archived.eq(false)),
        None => {}
    }
    if let Some(n) = &filter.name {
        q = q.filter(bom::Column::Name.eq(n.clone()));
    }
    if let Some(v) = &filter.version {
        q = q.filter(bom::Column::Version.eq(v.clone()));
    }
    if let Some(a) = filter.approved {
        q = q.filter(bom::Column::Approved.eq(a));
    }
    if let Some(part) = filter.assembly_part_id {
        q = q.filter(bom::Column::AssemblyPartId.eq(part));
    }
    for term in search::terms(filter.search.as_deref()) {
        q = q.filter(search::any_contains(
            db.get_database_backend(),
            [bom::Column::Name, bom::Column::PartNumber].map(|c| (bom::Entity, c)),
            term,
        ));
    }
    let total = q.clone().count(db).await?;
    let window = page.window(total);
    let items = q
        .order_by_asc(bom::Column::Name)
        .order_by_asc(bom::Column::Version)
        .order_by_asc(bom::Column::Id)
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

async fn check_assembly(
    db: &impl ConnectionTrait,
    p: &Principal,
    team_id: i32,
    bom_id: Option<i32>,
    assembly: i32,
) -> ServiceResult<()> {
    let part = part::get(db, p, assembly)
        .await
        .map_err(|_| FieldErrors::single("assembly_part_id", "Select a valid part."))?;
    if part.team_id != team_id {
        return Err(FieldErrors::single(
            "assembly_part_id",
            "Select a valid part.",
        ));
    }
    if let Some(bom_id) = bom_id {
        structure::check_assembly_change(db, team_id, bom_id, assembly).await?;
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    p: &Principal,
    input: BomInput,
) -> ServiceResult<bom::Model> {
    let txn = crate::db::write(db).await?;
    let bom = create_in(&txn, p, input).await?;
    crate::db::commit(txn).await?;
    Ok(bom)
}

/// Creates a BOM (and its lines) inside the caller's transaction.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    p: &Principal,
    input: BomInput,
) -> ServiceResult<bom::Model> {
    validate(&input, true)?;
    let team_id = p.write_team(input.team_id)?;
    if let Some(Some(assembly)) = input.assembly_part_id {
        check_assembly(txn, p, team_id, None, assembly).await?;
    }
    let now = Utc::now();
    let bom = bom::ActiveModel {
        team_id: Set(team_id),
        name: Set(input.name.unwrap_or_default().trim().to_owned()),
        version: Set(input.version.unwrap_or_default()),
        part_number: Set(input.part_number.unwrap_or_default()),
        description: Set(input.description.unwrap_or_default()),
        revision: Set(input
            .revision
            .map(|r| r.trim().to_owned())
            .unwrap_or_else(|| crate::revision::FIRST_LABEL.into())),
        assembly_part_id: Set(input.assembly_part_id.flatten()),
        approved: Set(false),
        approved_at: Set(None),
        approved_by: Set(None),
        archived: Set(false),
        metadata: Set(input.metadata),
        integration_record_id: Set(input.integration_record_id),
        synced_from_integration: Set(false),
        integration_source_name: Set(input.integration_source_name),
        synced_from_integration_at: Set(None),
        clear_on_import_by: Set(None),
        clear_on_import_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (index, line) in input.lines.unwrap_or_default().into_iter().enumerate() {
        bom_line::insert(txn, p, &bom, line)
            .await
            .map_err(|e| prefix_line_errors(e, index))?;
    }
    Ok(bom)
}

/// Errors of the n-th line of a batch name it: `lines[3].quantity`.
pub fn prefix_line_errors(e: ServiceError, index: usize) -> ServiceError {
    match e {
        ServiceError::Validation(fields) => {
            let mut out = FieldErrors::new();
            out.extend_prefixed(&format!("lines[{index}]."), fields);
            ServiceError::Validation(out)
        }
        other => other,
    }
}

/// Changes a BOM's own fields. An approved BOM keeps its structure (assembly part), but its
/// name, description and metadata may still be edited.
pub async fn update(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    input: BomInput,
) -> ServiceResult<bom::Model> {
    validate(&input, false)?;
    let txn = crate::db::write(db).await?;
    let current = get_for_write(&txn, p, id, false).await?;
    if let Some(assembly) = input.assembly_part_id {
        if assembly != current.assembly_part_id && current.approved {
            return Err(ServiceError::Conflict(
                "The BOM is approved; its assembly part cannot be changed.".into(),
            ));
        }
        if let Some(a) = assembly {
            check_assembly(&txn, p, current.team_id, Some(id), a).await?;
        }
    }
    let mut am: bom::ActiveModel = current.into();
    if let Some(v) = input.name {
        am.name = Set(v.trim().to_owned());
    }
    if let Some(v) = input.version {
        am.version = Set(v);
    }
    if let Some(v) = input.part_number {
        am.part_number = Set(v);
    }
    if let Some(v) = input.description {
        am.description = Set(v);
    }
    if let Some(v) = input.assembly_part_id {
        am.assembly_part_id = Set(v);
    }
    if let Some(v) = input.metadata {
        am.metadata = Set(Some(v));
    }
    if let Some(v) = input.integration_record_id {
        am.integration_record_id = Set(Some(v));
    }
    if let Some(v) = input.integration_source_name {
        am.integration_source_name = Set(Some(v));
    }
    am.updated_at = Set(Utc::now());
    let bom = am.update(&txn).await?;
    events::commit(db, txn, [Event::bom(id, Change::Updated)]).await?;
    Ok(bom)
}

/// The one place approval's fields are set: approved now, by the principal's user (none for
/// a principal that stands for no user, such as a job's).
pub(crate) fn mark_approved(am: &mut bom::ActiveModel, p: &Principal) {
    let now = Utc::now();
    am.approved = Set(true);
    am.approved_at = Set(Some(now));
    am.approved_by = Set(Some(p.user_id).filter(|id| *id > 0));
    am.updated_at = Set(now);
}

/// Approval is one-way; approving an approved BOM changes nothing.
pub async fn approve(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<bom::Model> {
    let txn = crate::db::write(db).await?;
    let current = get_for_write(&txn, p, id, false).await?;
    if current.approved {
        return Ok(current);
    }
    let mut am: bom::ActiveModel = current.into();
    mark_approved(&mut am, p);
    let bom = am.update(&txn).await?;
    events::commit(db, txn, [Event::bom(id, Change::Approved)]).await?;
    Ok(bom)
}

/// Deletes an unapproved BOM (with its lines); archives an approved one.
pub async fn delete(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
) -> ServiceResult<DeleteOutcome> {
    let txn = crate::db::write(db).await?;
    // Locked, so an approval cannot slip in between this check and the delete.
    let current = crate::owned::find_for_update::<bom::Entity>(&txn, p, id).await?;
    p.ensure_write(current.team_id, "bom")?;
    let was_archived = current.archived;
    let outcome = if current.approved {
        if !was_archived {
            let mut am: bom::ActiveModel = current.into();
            am.archived = Set(true);
            am.updated_at = Set(Utc::now());
            am.update(&txn).await?;
        }
        DeleteOutcome::Archived
    } else {
        let used = program_line::Entity::find()
            .filter(program_line::Column::BomId.eq(id))
            .count(&txn)
            .await?;
        if used > 0 {
            return Err(ServiceError::Conflict(format!(
                "The BOM is used by {used} program lines and cannot be deleted."
            )));
        }
        bom::Entity::delete_by_id(id).exec(&txn).await?;
        DeleteOutcome::Deleted
    };
    let change = match outcome {
        DeleteOutcome::Deleted => Some(Change::Deleted),
        DeleteOutcome::Archived => (!was_archived).then_some(Change::Archived),
    };
    events::commit(db, txn, change.map(|c| Event::bom(id, c))).await?;
    Ok(outcome)
}
