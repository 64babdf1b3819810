//! Production programs: BOMs built at given quantities, and per-part overrides.
use chrono::Utc;
use entity::{part_override, program, program_line};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::auth::Principal;
use crate::page::{Page, PageRequest};
use crate::{bom as boms, part, FieldErrors, ServiceError, ServiceResult};
use entity::DecimalText;

pub const STATUSES: [&str; 3] = ["draft", "approved", "complete"];

#[derive(Debug, Clone, Default)]
pub struct ProgramInput {
    pub team_id: Option<i32>,
    pub name: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OverrideInput {
    pub part_id: Option<i32>,
    pub exclude: Option<bool>,
    /// `Some(None)` clears it.
    pub replacement_part_id: Option<Option<i32>>,
    pub on_hand_quantity: Option<Option<Decimal>>,
    pub unit_price: Option<Option<Decimal>>,
    pub currency: Option<Option<String>>,
}

fn validate(input: &ProgramInput, creating: bool) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(n) if n.trim().is_empty() => errors.add("name", "This field may not be blank."),
        None if creating => errors.add("name", "This field is required."),
        _ => {}
    }
    if let Some(s) = &input.status {
        if !STATUSES.contains(&s.as_str()) {
            errors.add(
                "status",
                format!("\"{s}\" is not a valid choice (draft, approved, complete)."),
            );
        }
    }
    errors.into_result()
}

pub async fn get(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<program::Model> {
    let program = crate::owned::find::<program::Entity>(db, p, id).await?;
    Ok(program)
}

/// A program that may change: writable team, and not complete.
async fn get_for_write(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<program::Model> {
    // Locked until the transaction ends, so the status checked here holds for the write.
    let program = crate::owned::find_for_update::<program::Entity>(db, p, id).await?;
    p.ensure_write(program.team_id, "program")?;
    if program.status == "complete" {
        return Err(ServiceError::Conflict(
            "The program is complete and cannot be changed.".into(),
        ));
    }
    Ok(program)
}

pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
    status: Option<String>,
    page: PageRequest,
) -> ServiceResult<Page<program::Model>> {
    let mut q = program::Entity::find().filter(program::Column::TeamId.is_in(p.team_ids()));
    if let Some(s) = status {
        q = q.filter(program::Column::Status.eq(s));
    }
    let total = q.clone().count(db).await?;
    let window = page.window(total);
    let items = q
        .order_by_asc(program::Column::Name)
        .order_by_asc(program::Column::Id)
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

pub async fn create(
    db: &DatabaseConnection,
    p: &Principal,
    input: ProgramInput,
) -> ServiceResult<program::Model> {
    validate(&input, true)?;
    let team_id = p.write_team(input.team_id)?;
    let now = Utc::now();
    Ok(program::ActiveModel {
        team_id: Set(team_id),
        name: Set(input.name.unwrap_or_default().trim().to_owned()),
        status: Set(input.status.unwrap_or_else(|| "draft".into())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    input: ProgramInput,
) -> ServiceResult<program::Model> {
    validate(&input, false)?;
    let txn = crate::db::write(db).await?;
    let current = get_for_write(&txn, p, id).await?;
    let mut am: program::ActiveModel = current.into();
    if let Some(n) = input.name {
        am.name = Set(n.trim().to_owned());
    }
    if let Some(s) = input.status {
        am.status = Set(s);
    }
    am.updated_at = Set(Utc::now());
    let program = am.update(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(program)
}

pub async fn delete(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let current = get(db, p, id).await?;
    p.ensure_write(current.team_id, "program")?;
    program::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

pub async fn lines_for(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_ids: &[i32],
) -> ServiceResult<Vec<program_line::Model>> {
    Ok(program_line::Entity::find()
        .filter(program_line::Column::ProgramId.is_in(program_ids.iter().copied()))
        .filter(program_line::Column::TeamId.is_in(p.team_ids()))
        .order_by_asc(program_line::Column::Id)
        .all(db)
        .await?)
}

pub async fn overrides_for(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_ids: &[i32],
) -> ServiceResult<Vec<part_override::Model>> {
    Ok(part_override::Entity::find()
        .filter(part_override::Column::ProgramId.is_in(program_ids.iter().copied()))
        .filter(part_override::Column::TeamId.is_in(p.team_ids()))
        .order_by_asc(part_override::Column::Id)
        .all(db)
        .await?)
}

/// The lines of a program the principal can read.
pub async fn lines(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
) -> ServiceResult<Vec<program_line::Model>> {
    get(db, p, program_id).await?;
    lines_for(db, p, &[program_id]).await
}

/// The part overrides of a program the principal can read.
pub async fn overrides(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
) -> ServiceResult<Vec<part_override::Model>> {
    get(db, p, program_id).await?;
    overrides_for(db, p, &[program_id]).await
}

/// One line of a program; a line of another program is not found.
pub async fn line_of(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
    line_id: i32,
) -> ServiceResult<program_line::Model> {
    let line = crate::owned::readable::<program_line::Entity>(
        p,
        program_line::Entity::find_by_id(line_id)
            .one(db)
            .await?
            .filter(|l| l.program_id == program_id),
    )?;
    Ok(line)
}

/// One part override of a program; an override of another program is not found.
pub async fn override_of(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
    override_id: i32,
) -> ServiceResult<part_override::Model> {
    let o = crate::owned::readable::<part_override::Entity>(
        p,
        part_override::Entity::find_by_id(override_id)
            .one(db)
            .await?
            .filter(|o| o.program_id == program_id),
    )?;
    Ok(o)
}

fn check_quantity(quantity: Decimal) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    crate::decimal::check_quantity(&mut errors, "quantity", quantity);
    errors.into_result()
}

/// What a program line builds: `bom_id` itself, or with `follow_latest` the newest
/// approved revision of its chain when there is one.
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub bom_id: Option<i32>,
    pub quantity: Option<Decimal>,
    pub follow_latest: Option<bool>,
}

pub async fn add_line(
    db: &DatabaseConnection,
    p: &Principal,
    program_id: i32,
    input: LineInput,
) -> ServiceResult<program_line::Model> {
    let Some(quantity) = input.quantity else {
        return Err(FieldErrors::single("quantity", "This field is required."));
    };
    check_quantity(quantity)?;
    let Some(bom_id) = input.bom_id else {
        return Err(FieldErrors::single("bom_id", "This field is required."));
    };
    let txn = crate::db::write(db).await?;
    let program = get_for_write(&txn, p, program_id).await?;
    let bom = boms::get(&txn, p, bom_id)
        .await
        .map_err(|_| FieldErrors::single("bom_id", "Select a valid BOM."))?;
    if bom.team_id != program.team_id || bom.archived {
        return Err(FieldErrors::single("bom_id", "Select a valid BOM."));
    }
    let line = program_line::ActiveModel {
        team_id: Set(program.team_id),
        program_id: Set(program_id),
        bom_id: Set(bom_id),
        quantity: Set(quantity.into()),
        follow_latest: Set(input.follow_latest.unwrap_or(false)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::db::commit(txn).await?;
    Ok(line)
}

async fn get_line_for_write(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<program_line::Model> {
    let line = crate::owned::find::<program_line::Entity>(db, p, id).await?;
    get_for_write(db, p, line.program_id).await?;
    Ok(line)
}

/// Changes a line's quantity or whether it follows its chain; its BOM stays.
pub async fn update_line(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    input: LineInput,
) -> ServiceResult<program_line::Model> {
    if let Some(quantity) = input.quantity {
        check_quantity(quantity)?;
    }
    let txn = crate::db::write(db).await?;
    let line = get_line_for_write(&txn, p, id).await?;
    let mut am: program_line::ActiveModel = line.into();
    if let Some(quantity) = input.quantity {
        am.quantity = Set(quantity.into());
    }
    if let Some(follow) = input.follow_latest {
        am.follow_latest = Set(follow);
    }
    let line = am.update(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(line)
}

pub async fn remove_line(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = crate::db::write(db).await?;
    get_line_for_write(&txn, p, id).await?;
    program_line::Entity::delete_by_id(id).exec(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(())
}

/// The rules of an override as it would be after the write.
async fn check_override(
    db: &impl ConnectionTrait,
    p: &Principal,
    team_id: i32,
    o: &part_override::ActiveModel,
) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    let part_id = *o.part_id.as_ref();
    match part::get(db, p, part_id).await {
        Ok(part) if part.team_id == team_id => {}
        _ => errors.add("part_id", "Select a valid part."),
    }
    if let Some(r) = *o.replacement_part_id.as_ref() {
        if r == part_id {
            errors.add("replacement_part_id", "A part cannot replace itself.");
        }
        match part::get(db, p, r).await {
            Ok(part) if part.team_id == team_id => {}
            _ => errors.add("replacement_part_id", "Select a valid part."),
        }
    }
    for (field, value) in [
        ("on_hand_quantity", o.on_hand_quantity.as_ref()),
        ("unit_price", o.unit_price.as_ref()),
    ] {
        if let Some(v) = value.map(Decimal::from) {
            crate::decimal::check_amount(&mut errors, field, v);
        }
    }
    if o.currency
        .as_ref()
        .as_deref()
        .is_some_and(|c| !part::is_currency_code(c))
    {
        errors.add("currency", "Give a three-letter ISO 4217 code such as USD.");
    }
    errors.into_result()
}

fn apply_override(am: &mut part_override::ActiveModel, input: OverrideInput) {
    if let Some(v) = input.part_id {
        am.part_id = Set(v);
    }
    if let Some(v) = input.exclude {
        am.exclude = Set(v);
    }
    if let Some(v) = input.replacement_part_id {
        am.replacement_part_id = Set(v);
    }
    if let Some(v) = input.on_hand_quantity {
        am.on_hand_quantity = Set(v.map(DecimalText::from));
    }
    if let Some(v) = input.unit_price {
        am.unit_price = Set(v.map(DecimalText::from));
    }
    if let Some(v) = input.currency {
        am.currency = Set(v);
    }
}

pub async fn add_override(
    db: &DatabaseConnection,
    p: &Principal,
    program_id: i32,
    input: OverrideInput,
) -> ServiceResult<part_override::Model> {
    let Some(part_id) = input.part_id else {
        return Err(FieldErrors::single("part_id", "This field is required."));
    };
    let txn = crate::db::write(db).await?;
    let program = get_for_write(&txn, p, program_id).await?;
    let existing = part_override::Entity::find()
        .filter(part_override::Column::ProgramId.eq(program_id))
        .filter(part_override::Column::PartId.eq(part_id))
        .count(&txn)
        .await?;
    if existing > 0 {
        return Err(FieldErrors::single(
            "part_id",
            "This program already has an override for the part.",
        ));
    }
    let mut am = part_override::ActiveModel {
        team_id: Set(program.team_id),
        program_id: Set(program_id),
        part_id: Set(part_id),
        exclude: Set(false),
        replacement_part_id: Set(None),
        on_hand_quantity: Set(None),
        unit_price: Set(None),
        currency: Set(None),
        ..Default::default()
    };
    apply_override(&mut am, input);
    check_override(&txn, p, program.team_id, &am).await?;
    let saved = am.insert(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(saved)
}

async fn get_override_for_write(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<part_override::Model> {
    let o = crate::owned::find::<part_override::Entity>(db, p, id).await?;
    get_for_write(db, p, o.program_id).await?;
    Ok(o)
}

pub async fn update_override(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    input: OverrideInput,
) -> ServiceResult<part_override::Model> {
    let txn = crate::db::write(db).await?;
    let current = get_override_for_write(&txn, p, id).await?;
    if input.part_id.is_some_and(|pid| pid != current.part_id) {
        return Err(FieldErrors::single(
            "part_id",
            "The part of an override cannot change; remove it and add another.",
        ));
    }
    let team_id = current.team_id;
    let mut am: part_override::ActiveModel = current.into();
    apply_override(&mut am, input);
    check_override(&txn, p, team_id, &am).await?;
    let saved = am.update(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(saved)
}

pub async fn remove_override(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = crate::db::write(db).await?;
    get_override_for_write(&txn, p, id).await?;
    part_override::Entity::delete_by_id(id).exec(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(())
}
