//! Writing BOM lines: the fields a write may set (`LineInput`), inserting, updating,
//! removing and reviewing lines. Each write locks the line's BOM, checks it writable and
//! checks the line by its rules before it is stored.
use chrono::Utc;
use entity::{bom, bom_line};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::Value;

use super::list::{list, LineFilter};
use super::read::{by_ids, get};
use super::rules::{check_line, checksum, MatchStatus};
use crate::auth::Principal;
use crate::events::{self, Change, Event};
use crate::page::PageRequest;
use crate::{bom_lookup, designators, FieldErrors, ServiceResult};

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
    let bom = bom_lookup::get_for_write(&txn, p, bom_id, true).await?;
    let line = insert(&txn, p, &bom, input).await?;
    events::commit(db, txn, [added(&line)]).await?;
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
    let bom = bom_lookup::for_assembly(&txn, p, assembly_part_id).await?;
    let line = insert(&txn, p, &bom, input).await?;
    events::commit(db, txn, [added(&line)]).await?;
    Ok(line)
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
    let bom = bom_lookup::get_for_write(db, p, line.bom_id, changing_lines).await?;
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
        let target = bom_lookup::for_assembly(&txn, p, assembly).await?;
        // a line (and its substitutes) belongs to its BOM's team: it never changes teams
        if target.team_id != bom.team_id {
            return Err(FieldErrors::single(
                "assembly_part_id",
                "Select a part of the line's own team.",
            ));
        }
        bom = target;
    }
    let was_on = line.bom_id;
    let mut am: bom_line::ActiveModel = line.into();
    am.bom_id = Set(bom.id);
    apply(&mut am, input);
    check_line(&txn, p, &bom, &am).await?;
    am.updated_at = Set(Utc::now());
    let line = am.update(&txn).await?;
    // a line moved to another assembly's BOM leaves one BOM and joins the other
    let events = if was_on == line.bom_id {
        vec![changed(&line)]
    } else {
        vec![
            Event::bom(was_on, Change::LineRemoved { line: id }),
            added(&line),
        ]
    };
    events::commit(db, txn, events).await?;
    Ok(line)
}

pub async fn remove(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = crate::db::write(db).await?;
    let (line, _) = get_for_write(&txn, p, id, true).await?;
    bom_line::Entity::delete_by_id(id).exec(&txn).await?;
    events::commit(
        db,
        txn,
        [Event::bom(line.bom_id, Change::LineRemoved { line: id })],
    )
    .await?;
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
    for &bom_id in &bom_ids {
        bom_lookup::get_for_write(&txn, p, bom_id, true).await?;
    }
    let done = bom_line::Entity::delete_many()
        .filter(bom_line::Column::Id.is_in(ids.iter().copied()))
        .exec(&txn)
        .await?;
    let events = bom_ids
        .into_iter()
        .map(|bom| Event::bom(bom, Change::LinesChanged));
    events::commit(db, txn, events).await?;
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
    events::commit(db, txn, [changed(&line)]).await?;
    Ok(line)
}

/// The event of a line added to its BOM.
pub(crate) fn added(line: &bom_line::Model) -> Event {
    Event::bom(line.bom_id, Change::LineAdded { line: line.id })
}

/// The event of a line of a BOM changed (its fields, review or substitutes).
pub(crate) fn changed(line: &bom_line::Model) -> Event {
    Event::bom(line.bom_id, Change::LineChanged { line: line.id })
}
