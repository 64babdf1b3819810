//! BOM lines and their rules: quantities, trackable parts, loops, overage, lengths, and the
//! checksum behind `validated`.
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{bom, bom_line, part, substitute};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, Func, IntoCondition, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::db::one_of;
use crate::figures::{load_bundle, LineRef};
use crate::page::{Page, PageRequest};
use crate::{
    bom as boms, designators, limits, part as parts, search, structure, FieldErrors, ServiceError,
    ServiceResult,
};

pub use entity::bom_line::MatchStatus;

#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub quantity: Option<Decimal>,
    /// `Some(None)` clears the part.
    pub part_id: Option<Option<i32>>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub overage: Option<String>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    pub alternative_mpns: Option<Vec<String>>,
    pub manufacturer_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    pub do_not_place: Option<bool>,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub is_custom_part: Option<bool>,
    pub metadata: Option<Value>,
    /// Moves the line to the BOM of this assembly part (InvenTree's `BomItem.part`).
    pub assembly_part_id: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineOrderField {
    #[default]
    Id,
    /// Source order: by line number, then as added.
    LineNumber,
    Quantity,
    SubPart,
    AvailableStock,
    AllowVariants,
    Inherited,
    Optional,
    Consumable,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LineOrder {
    pub field: LineOrderField,
    pub descending: bool,
}

/// The filters of InvenTree's BOM list.
#[derive(Debug, Clone, Default)]
pub struct LineFilter {
    pub bom_id: Option<i32>,
    /// Lines of the assembly's BOMs, plus inherited lines of its template ancestors.
    pub part: Option<i32>,
    /// Lines that use the part directly, through allow_variants, or as a substitute.
    pub uses: Option<i32>,
    pub validated: Option<bool>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub has_pricing: Option<bool>,
    pub available_stock: Option<bool>,
    pub on_order: Option<bool>,
    pub part_active: Option<bool>,
    pub part_trackable: Option<bool>,
    pub sub_part_trackable: Option<bool>,
    pub sub_part_assembly: Option<bool>,
    pub search: Option<String>,
    pub team_id: Option<i32>,
}

impl LineFilter {
    /// Filters on computed figures, which SQL cannot evaluate.
    fn on_figures(&self) -> bool {
        self.has_pricing.is_some() || self.available_stock.is_some() || self.on_order.is_some()
    }
}

/// The checksum behind `validated`: the fields that, once edited, need a new review.
pub fn checksum(line: &bom_line::Model) -> String {
    let text = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        line.bom_id,
        line.part_id.map(|p| p.to_string()).unwrap_or_default(),
        line.quantity,
        line.reference,
        line.optional,
        line.inherited,
        line.consumable,
        line.allow_variants,
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub fn is_validated(line: &bom_line::Model) -> bool {
    line.validation_hash.as_deref() == Some(checksum(line).as_str())
}

/// Empty, a number >= 0, or a percentage between 0 and 100.
fn check_overage(errors: &mut FieldErrors, overage: &str) {
    let o = overage.trim();
    if o.is_empty() {
        return;
    }
    if overage.chars().count() > limits::OVERAGE {
        errors.add("overage", limits::too_long(limits::OVERAGE));
        return;
    }
    let (number, percent) = match o.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (o, false),
    };
    match number.parse::<Decimal>() {
        Ok(v) if v.is_sign_negative() && !v.is_zero() => {
            errors.add("overage", "Overage value must not be negative")
        }
        Ok(v) if percent && v > Decimal::ONE_HUNDRED => {
            errors.add("overage", "Overage must not exceed 100%")
        }
        Ok(_) => {}
        Err(_) => errors.add("overage", "Invalid value for overage"),
    }
}

/// Every rule of a line, checked against the line as it would be after the write, given its
/// part (already checked to be the BOM's team) and the parts above the BOM's assembly.
pub(crate) fn line_errors(
    bom: &bom::Model,
    line: &bom_line::ActiveModel,
    part: Option<&part::Model>,
    above: &HashSet<i32>,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let quantity = line.quantity.as_ref().0;
    crate::decimal::check_quantity(&mut errors, "quantity", quantity);
    limits::check_length(
        &mut errors,
        "reference",
        line.reference.as_ref(),
        limits::REFERENCE,
    );
    limits::check_length(&mut errors, "note", line.note.as_ref(), limits::NOTE);
    check_overage(&mut errors, line.overage.as_ref());
    match (*line.part_id.as_ref(), part) {
        (None, _) => {}
        (Some(_), None) => errors.add("part_id", "Select a valid part."),
        (Some(_), Some(part)) => {
            if part.trackable && quantity.fract() != Decimal::ZERO {
                errors.add(
                    "quantity",
                    "Quantity must be integer value for trackable parts",
                );
            }
            if let Some(assembly) = bom.assembly_part_id {
                if let Some(message) = structure::loop_error(assembly, part.id, above) {
                    errors.add("part_id", message);
                }
            }
        }
    }
    errors
}

/// The line's part if it is one of the BOM's team, and the parts above the BOM's assembly.
async fn line_context(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    part_id: Option<i32>,
) -> ServiceResult<(Option<part::Model>, HashSet<i32>)> {
    let part = match part_id {
        Some(id) => parts::get(db, p, id)
            .await
            .ok()
            .filter(|x| x.team_id == bom.team_id),
        None => None,
    };
    let above = match (bom.assembly_part_id, &part) {
        (Some(assembly), Some(part)) if part.id != assembly => {
            structure::parts_above(db, bom.team_id, assembly).await?
        }
        _ => HashSet::new(),
    };
    Ok((part, above))
}

pub(crate) async fn check_line(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    line: &bom_line::ActiveModel,
) -> ServiceResult<()> {
    let (part, above) = line_context(db, p, bom, *line.part_id.as_ref()).await?;
    line_errors(bom, line, part.as_ref(), &above).into_result()
}

pub(crate) fn apply(am: &mut bom_line::ActiveModel, input: LineInput) {
    if let Some(q) = input.quantity {
        am.quantity = Set(q.into());
    }
    if let Some(part) = input.part_id {
        am.part_id = Set(part);
    }
    if let Some(r) = input.reference {
        am.reference_designators = Set(designators::parse(&r).into());
        am.reference = Set(r);
    }
    macro_rules! set {
        ($($field:ident),*) => {$(
            if let Some(v) = input.$field { am.$field = Set(v); }
        )*};
    }
    set!(
        note,
        overage,
        optional,
        consumable,
        inherited,
        allow_variants,
        do_not_place,
        is_custom_part
    );
    macro_rules! set_opt {
        ($($field:ident),*) => {$(
            if let Some(v) = input.$field { am.$field = Set(Some(v)); }
        )*};
    }
    set_opt!(
        custom_id,
        mpn,
        manufacturer_name,
        description,
        link,
        comments,
        line_number,
        value,
        package,
        mount_type,
        metadata
    );
    if let Some(alts) = input.alternative_mpns {
        am.alternative_mpns = Set(alts.into());
    }
    let status = if am.part_id.as_ref().is_some() {
        MatchStatus::Matched
    } else if *am.is_custom_part.as_ref() {
        MatchStatus::Custom
    } else {
        MatchStatus::NoMatch
    };
    am.match_status = Set(status);
}

pub(crate) fn blank(bom: &bom::Model) -> bom_line::ActiveModel {
    let now = Utc::now();
    bom_line::ActiveModel {
        team_id: Set(bom.team_id),
        bom_id: Set(bom.id),
        part_id: Set(None),
        quantity: Set(Decimal::ONE.into()),
        reference_designators: Set(Default::default()),
        reference: Set(String::new()),
        note: Set(String::new()),
        overage: Set(String::new()),
        optional: Set(false),
        consumable: Set(false),
        inherited: Set(true),
        allow_variants: Set(false),
        validation_hash: Set(None),
        custom_id: Set(None),
        mpn: Set(None),
        alternative_mpns: Set(Default::default()),
        manufacturer_name: Set(None),
        description: Set(None),
        link: Set(None),
        comments: Set(None),
        do_not_place: Set(false),
        line_number: Set(None),
        value: Set(None),
        package: Set(None),
        mount_type: Set(None),
        is_custom_part: Set(false),
        match_status: Set(MatchStatus::NoMatch),
        match_candidates: Set(Default::default()),
        metadata: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Inserts a line into a BOM already checked writable; the caller owns the transaction.
pub async fn insert(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    input: LineInput,
) -> ServiceResult<bom_line::Model> {
    if input.metadata.as_ref().is_some_and(|m| !m.is_object()) {
        return Err(FieldErrors::single(
            "metadata",
            "Metadata must be a JSON object.",
        ));
    }
    let mut am = blank(bom);
    apply(&mut am, input);
    check_line(db, p, bom, &am).await?;
    Ok(am.insert(db).await?)
}

/// Adds a line as given: InvenTree and the GraphQL `addBomLine` allow several lines for one
/// part ([`SamePart::Insert`](crate::same_part::SamePart::Insert)); the callers that sum
/// go through `raw_bom`.
pub async fn add(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    input: LineInput,
) -> ServiceResult<bom_line::Model> {
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let line = insert(&txn, p, &bom, input).await?;
    crate::db::commit(txn).await?;
    Ok(line)
}

/// Adds a line to the BOM of an assembly part, creating that BOM on first use.
pub async fn add_to_assembly(
    db: &DatabaseConnection,
    p: &Principal,
    assembly_part_id: i32,
    input: LineInput,
) -> ServiceResult<bom_line::Model> {
    let txn = crate::db::write(db).await?;
    let bom = boms::for_assembly(&txn, p, assembly_part_id).await?;
    let line = insert(&txn, p, &bom, input).await?;
    crate::db::commit(txn).await?;
    Ok(line)
}

pub async fn get(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<bom_line::Model> {
    let line = bom_line::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("bom line"))?;
    p.ensure_read(line.team_id, "bom line")?;
    Ok(line)
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<bom_line::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::db::in_chunks(ids, |chunk| {
        bom_line::Entity::find()
            .filter(one_of(
                db.get_database_backend(),
                bom_line::Column::Id,
                chunk,
            ))
            .filter(one_of(
                db.get_database_backend(),
                bom_line::Column::TeamId,
                p.team_ids(),
            ))
            .all(db)
    })
    .await?)
}

/// One line of a BOM; a line of another BOM is not found.
pub async fn line_of(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom_id: i32,
    line_id: i32,
) -> ServiceResult<bom_line::Model> {
    let line = get(db, p, line_id).await?;
    if line.bom_id != bom_id {
        return Err(ServiceError::not_found("bom line"));
    }
    Ok(line)
}

/// Line numbers are labels ("12", "A7"): ordering by length first puts "2" before "10",
/// and lines without one first on both backends (they sort NULL differently).
fn line_number_length() -> Expr {
    let length = Func::char_length(Expr::col((bom_line::Entity, bom_line::Column::LineNumber)));
    Func::coalesce([Expr::from(length), Expr::val(0)]).into()
}

/// [`line_number_length`]'s order, for loaded lines.
fn line_number_key(line: &bom_line::Model) -> (usize, Option<&str>) {
    let number = line.line_number.as_deref();
    (number.map_or(0, |n| n.chars().count()), number)
}

/// Lines of several BOMs, in line order.
pub async fn for_boms(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom_ids: &[i32],
) -> ServiceResult<Vec<bom_line::Model>> {
    if bom_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(bom_line::Entity::find()
        .filter(one_of(
            db.get_database_backend(),
            bom_line::Column::BomId,
            bom_ids.iter().copied(),
        ))
        .filter(one_of(
            db.get_database_backend(),
            bom_line::Column::TeamId,
            p.team_ids(),
        ))
        .order_by_asc(line_number_length())
        .order_by_asc(bom_line::Column::LineNumber)
        .order_by_asc(bom_line::Column::Id)
        .all(db)
        .await?)
}

/// A line and its BOM, checked writable (and, when `changing_lines`, not approved), the
/// BOM locked until the transaction ends.
async fn get_for_write(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
    changing_lines: bool,
) -> ServiceResult<(bom_line::Model, bom::Model)> {
    let line = get(db, p, id).await?;
    let bom = boms::get_for_write(db, p, line.bom_id, changing_lines).await?;
    Ok((line, bom))
}

pub async fn update(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    input: LineInput,
) -> ServiceResult<bom_line::Model> {
    if input.metadata.as_ref().is_some_and(|m| !m.is_object()) {
        return Err(FieldErrors::single(
            "metadata",
            "Metadata must be a JSON object.",
        ));
    }
    let txn = crate::db::write(db).await?;
    let (line, mut bom) = get_for_write(&txn, p, id, true).await?;
    if let Some(assembly) = input
        .assembly_part_id
        .filter(|a| Some(*a) != bom.assembly_part_id)
    {
        let target = boms::for_assembly(&txn, p, assembly).await?;
        // a line (and its substitutes) belongs to its BOM's team: it never changes teams
        if target.team_id != bom.team_id {
            return Err(FieldErrors::single(
                "assembly_part_id",
                "Select a part of the line's own team.",
            ));
        }
        bom = target;
    }
    let mut am: bom_line::ActiveModel = line.into();
    am.bom_id = Set(bom.id);
    apply(&mut am, input);
    check_line(&txn, p, &bom, &am).await?;
    am.updated_at = Set(Utc::now());
    let line = am.update(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(line)
}

pub async fn remove(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = crate::db::write(db).await?;
    get_for_write(&txn, p, id, true).await?;
    bom_line::Entity::delete_by_id(id).exec(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(())
}

/// Removes the given lines and those matching a filter, all or none. Ids the principal
/// cannot see are ignored, as a bulk delete by filter would.
pub async fn remove_many(
    db: &DatabaseConnection,
    p: &Principal,
    ids: &[i32],
    filter: Option<&LineFilter>,
) -> ServiceResult<u64> {
    let txn = crate::db::write(db).await?;
    let mut ids: Vec<i32> = by_ids(&txn, p, ids).await?.iter().map(|l| l.id).collect();
    if let Some(filter) = filter {
        let page = list(&txn, p, filter, &[], PageRequest::all()).await?;
        ids.extend(page.items.iter().map(|l| l.id));
    }
    ids.sort_unstable();
    ids.dedup();
    // Each line's BOM must be writable; they are locked in id order, as every multi-BOM
    // write does, so that two bulk deletes cannot wait on each other.
    let mut bom_ids: Vec<i32> = by_ids(&txn, p, &ids)
        .await?
        .iter()
        .map(|l| l.bom_id)
        .collect();
    bom_ids.sort_unstable();
    bom_ids.dedup();
    for bom_id in bom_ids {
        boms::get_for_write(&txn, p, bom_id, true).await?;
    }
    let done = bom_line::Entity::delete_many()
        .filter(bom_line::Column::Id.is_in(ids.iter().copied()))
        .exec(&txn)
        .await?;
    crate::db::commit(txn).await?;
    Ok(done.rows_affected)
}

/// Marks a line reviewed (stores its checksum) or not reviewed (clears it). A review changes
/// no field of the line, so an approved BOM's lines may be reviewed; an archived BOM's not.
pub async fn validate(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    valid: bool,
) -> ServiceResult<bom_line::Model> {
    let txn = crate::db::write(db).await?;
    let (line, _) = get_for_write(&txn, p, id, false).await?;
    let hash = valid.then(|| checksum(&line));
    let mut am: bom_line::ActiveModel = line.into();
    am.validation_hash = Set(hash);
    let line = am.update(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(line)
}

/// Making a part trackable is refused while a line uses it with a fractional quantity.
pub async fn check_trackable_quantities(
    db: &impl ConnectionTrait,
    part_id: i32,
) -> ServiceResult<()> {
    let lines = bom_line::Entity::find()
        .filter(bom_line::Column::PartId.eq(part_id))
        .all(db)
        .await?;
    if lines.iter().any(|l| l.quantity.0.fract() != Decimal::ZERO) {
        return Err(FieldErrors::single(
            "trackable",
            "BOM lines use this part with a fractional quantity; trackable parts need integers.",
        ));
    }
    Ok(())
}

/// Lines that use a part: directly, as a substitute, or through allow_variants on one of
/// its template ancestors.
pub async fn uses_condition(db: &impl ConnectionTrait, part_id: i32) -> ServiceResult<Condition> {
    let ancestors = parts::ancestors(db, part_id).await?;
    let lines_with_sub: Vec<i32> = substitute::Entity::find()
        .filter(substitute::Column::PartId.eq(part_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.bom_line_id)
        .collect();
    Ok(Condition::any()
        .add(bom_line::Column::PartId.eq(part_id))
        .add(bom_line::Column::Id.is_in(lines_with_sub))
        .add(
            Condition::all()
                .add(bom_line::Column::AllowVariants.eq(true))
                .add(bom_line::Column::PartId.is_in(ancestors)),
        ))
}

/// Lines of an assembly part's BOMs, and inherited lines of its ancestors' BOMs.
async fn assembly_condition(db: &impl ConnectionTrait, part_id: i32) -> ServiceResult<Condition> {
    let ancestors = parts::ancestors(db, part_id).await?;
    let mut all_parts = ancestors.clone();
    all_parts.push(part_id);
    let boms = bom::Entity::find()
        .filter(bom::Column::AssemblyPartId.is_in(all_parts))
        .filter(bom::Column::Archived.eq(false))
        .all(db)
        .await?;
    let own: Vec<i32> = boms
        .iter()
        .filter(|b| b.assembly_part_id == Some(part_id))
        .map(|b| b.id)
        .collect();
    let inherited: Vec<i32> = boms
        .iter()
        .filter(|b| b.assembly_part_id != Some(part_id))
        .map(|b| b.id)
        .collect();
    Ok(Condition::any()
        .add(bom_line::Column::BomId.is_in(own))
        .add(
            Condition::all()
                .add(bom_line::Column::BomId.is_in(inherited))
                .add(bom_line::Column::Inherited.eq(true)),
        ))
}

pub async fn where_used(
    db: &DatabaseConnection,
    p: &Principal,
    part_id: i32,
) -> ServiceResult<Vec<bom_line::Model>> {
    parts::get(db, p, part_id).await?;
    Ok(bom_line::Entity::find()
        .filter(uses_condition(db, part_id).await?)
        .filter(bom_line::Column::TeamId.is_in(p.team_ids()))
        .order_by_asc(bom_line::Column::Id)
        .all(db)
        .await?)
}

/// Filtered lines, ordered by each key of `order` in turn, then by id. Plain column filters
/// run in SQL; those on computed figures run on the loaded lines with one batch of figures.
pub async fn list(
    db: &impl ConnectionTrait,
    p: &Principal,
    filter: &LineFilter,
    order: &[LineOrder],
    page: PageRequest,
) -> ServiceResult<Page<bom_line::Model>> {
    let mut q = bom_line::Entity::find().filter(bom_line::Column::TeamId.is_in(p.team_ids()));
    if let Some(team) = filter.team_id {
        q = q.filter(bom_line::Column::TeamId.eq(team));
    }
    if let Some(bom_id) = filter.bom_id {
        q = q.filter(bom_line::Column::BomId.eq(bom_id));
    }
    if let Some(part) = filter.part {
        q = q.filter(assembly_condition(db, part).await?);
    }
    if let Some(part) = filter.uses {
        q = q.filter(uses_condition(db, part).await?);
    }
    for (col, value) in [
        (bom_line::Column::Optional, filter.optional),
        (bom_line::Column::Consumable, filter.consumable),
        (bom_line::Column::Inherited, filter.inherited),
        (bom_line::Column::AllowVariants, filter.allow_variants),
    ] {
        if let Some(v) = value {
            q = q.filter(col.eq(v));
        }
    }
    if let Some(v) = filter.sub_part_trackable {
        q = q.filter(line_part_flag(part::Column::Trackable, v));
    }
    if let Some(v) = filter.sub_part_assembly {
        q = q.filter(line_part_flag(part::Column::Assembly, v));
    }
    if let Some(v) = filter.part_active {
        q = q.filter(assembly_part_flag(part::Column::Active, v));
    }
    if let Some(v) = filter.part_trackable {
        q = q.filter(assembly_part_flag(part::Column::Trackable, v));
    }
    for term in search::terms(filter.search.as_deref()) {
        let parts = part_ids_where(search::any_contains(
            db.get_database_backend(),
            LINE_PART_SEARCHED.map(|c| (part::Entity, c)),
            term,
        ));
        q = q.filter(
            Condition::any()
                .add(search::any_contains(
                    db.get_database_backend(),
                    [(bom_line::Entity, bom_line::Column::Reference)],
                    term,
                ))
                .add(bom_line::Column::PartId.in_subquery(parts)),
        );
    }
    // Filters and orderings on columns page in SQL. The checksum behind `validated`, the
    // computed figures, decimal quantities (stored as text) and part names need every
    // candidate line, so those filter and order the loaded lines.
    let sql_order: Option<Vec<(Expr, sea_orm::Order)>> = order
        .iter()
        .map(|o| {
            let direction = if o.descending {
                sea_orm::Order::Desc
            } else {
                sea_orm::Order::Asc
            };
            sql_keys(o.field).map(|keys| keys.into_iter().map(move |k| (k, direction.clone())))
        })
        .collect::<Option<Vec<_>>>()
        .map(|keys| keys.into_iter().flatten().collect());
    if let (Some(keys), None, false) = (sql_order, filter.validated, filter.on_figures()) {
        let total = q.clone().count(db).await?;
        let window = page.window(total);
        let mut q = q;
        for (key, direction) in keys {
            q = q.order_by(key, direction);
        }
        let items = q
            .order_by(bom_line::Column::Id, sea_orm::Order::Asc)
            .offset(window.offset)
            .limit(window.limit)
            .all(db)
            .await?;
        return Ok(Page {
            items,
            total,
            window,
        });
    }
    let mut lines = q.order_by_asc(bom_line::Column::Id).all(db).await?;
    if let Some(v) = filter.validated {
        lines.retain(|line| is_validated(line) == v);
    }
    let by = |field: LineOrderField| order.iter().any(|o| o.field == field);
    let bundle = if filter.on_figures() || by(LineOrderField::AvailableStock) {
        let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
        Some(load_bundle(db, p, &refs).await?)
    } else {
        None
    };
    if let Some(bundle) = &bundle {
        lines.retain(|line| {
            let figures = bundle.figures(&LineRef::from(line));
            let want = |w: Option<bool>, got: bool| w.is_none_or(|w| w == got);
            want(filter.has_pricing, figures.pricing_min.is_some())
                && want(
                    filter.available_stock,
                    figures.available_stock > Decimal::ZERO,
                )
                && want(filter.on_order, figures.on_order > Decimal::ZERO)
        });
    }
    let names: HashMap<i32, String> = if by(LineOrderField::SubPart) {
        let ids: HashSet<i32> = lines.iter().filter_map(|l| l.part_id).collect();
        let ids: Vec<i32> = ids.into_iter().collect();
        parts::by_ids(db, p, &ids)
            .await?
            .into_iter()
            .map(|part| (part.id, part.name.to_lowercase()))
            .collect()
    } else {
        HashMap::new()
    };
    let name = |l: &bom_line::Model| l.part_id.and_then(|id| names.get(&id));
    let stock = |l: &bom_line::Model| {
        bundle
            .as_ref()
            .map(|b| b.figures(&LineRef::from(l)).available_stock)
    };
    lines.sort_by(|a, b| {
        order
            .iter()
            .map(|o| {
                let ord = match o.field {
                    LineOrderField::Id => a.id.cmp(&b.id),
                    LineOrderField::LineNumber => line_number_key(a).cmp(&line_number_key(b)),
                    LineOrderField::Quantity => a.quantity.0.cmp(&b.quantity.0),
                    LineOrderField::SubPart => name(a).cmp(&name(b)),
                    LineOrderField::AvailableStock => stock(a).cmp(&stock(b)),
                    LineOrderField::AllowVariants => a.allow_variants.cmp(&b.allow_variants),
                    LineOrderField::Inherited => a.inherited.cmp(&b.inherited),
                    LineOrderField::Optional => a.optional.cmp(&b.optional),
                    LineOrderField::Consumable => a.consumable.cmp(&b.consumable),
                };
                if o.descending {
                    ord.reverse()
                } else {
                    ord
                }
            })
            .find(|ord| ord.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    Ok(page.slice(lines))
}

/// The SQL sort keys of a field; `None` for one computed on the loaded lines (decimal
/// quantities stored as text, part names, stock figures).
fn sql_keys(field: LineOrderField) -> Option<Vec<Expr>> {
    let column = |c: bom_line::Column| vec![Expr::col((bom_line::Entity, c))];
    match field {
        LineOrderField::Id => Some(column(bom_line::Column::Id)),
        LineOrderField::LineNumber => Some(vec![
            line_number_length(),
            Expr::col((bom_line::Entity, bom_line::Column::LineNumber)),
        ]),
        LineOrderField::AllowVariants => Some(column(bom_line::Column::AllowVariants)),
        LineOrderField::Inherited => Some(column(bom_line::Column::Inherited)),
        LineOrderField::Optional => Some(column(bom_line::Column::Optional)),
        LineOrderField::Consumable => Some(column(bom_line::Column::Consumable)),
        LineOrderField::Quantity | LineOrderField::SubPart | LineOrderField::AvailableStock => None,
    }
}

/// The fields of a line's part that a line search looks in (InvenTree's BOM search fields).
const LINE_PART_SEARCHED: [part::Column; 5] = [
    part::Column::Name,
    part::Column::Description,
    part::Column::Ipn,
    part::Column::Revision,
    part::Column::Keywords,
];

/// Lines whose part has the flag set to `v`; a line without a part counts as unset.
fn line_part_flag(flag: part::Column, v: bool) -> Condition {
    let flagged = part_ids_where(flag.eq(true));
    if v {
        Condition::all().add(bom_line::Column::PartId.in_subquery(flagged))
    } else {
        Condition::any()
            .add(bom_line::Column::PartId.is_null())
            .add(bom_line::Column::PartId.not_in_subquery(flagged))
    }
}

/// `SELECT id FROM part WHERE <condition>`, for the filters on a line's part.
fn part_ids_where(condition: impl IntoCondition) -> SelectStatement {
    part::Entity::find()
        .select_only()
        .column(part::Column::Id)
        .filter(condition)
        .into_query()
}

/// Lines of BOMs whose assembly part has the flag set to `v`; a BOM without an assembly
/// part matches neither way.
fn assembly_part_flag(flag: part::Column, v: bool) -> Condition {
    let parts = part_ids_where(flag.eq(v));
    let boms = bom::Entity::find()
        .select_only()
        .column(bom::Column::Id)
        .filter(bom::Column::AssemblyPartId.in_subquery(parts))
        .into_query();
    Condition::all().add(bom_line::Column::BomId.in_subquery(boms))
}
