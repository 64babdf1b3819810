//! Cofactr's raw BOM lines: matched to the catalogue, summed into existing lines, and the
//! asynchronous upsert of a whole BOM.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{bom, bom_line, part, substitute};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::Principal;
use crate::bom::{self as boms, BomInput};
use crate::bom_line::{self as lines, blank, line_errors, LineInput, MatchStatus};
use crate::matching::{self, Catalogue, Outcome, RawPart};
use crate::progress::Progress;
use crate::same_part::{self, SamePart};
use crate::{designators, limits, structure, FieldErrors, ServiceError, ServiceResult};

/// The seed's `CreateRawBomLine`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RawLine {
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    #[serde(default)]
    pub alternative_mpns: Vec<String>,
    pub manufacturer_name: Option<String>,
    /// Zero (the default) means "as many as the designators".
    #[serde(default)]
    pub quantity: Decimal,
    pub reference_designators_string: Option<String>,
    #[serde(default)]
    pub reference_designators: Vec<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    #[serde(default)]
    pub do_not_place: bool,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub metadata: Option<Value>,
    #[serde(default)]
    pub is_custom_part: bool,
}

/// The seed's Upsert BOM Async body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UpsertBom {
    pub name: String,
    pub version: Option<String>,
    pub part_number: Option<String>,
    #[serde(default)]
    pub approved: bool,
    #[serde(default)]
    pub lines: Vec<RawLine>,
    pub metadata: Option<Value>,
    pub integration_record_id: Option<String>,
    pub synced_from_integration: Option<bool>,
    pub integration_source_name: Option<String>,
    pub synced_from_integration_at: Option<DateTime<Utc>>,
    /// The team the BOM belongs to; defaults to the caller's only writable team.
    #[serde(default)]
    pub team_id: Option<i32>,
}

impl RawLine {
    fn designators(&self) -> Vec<String> {
        if !self.reference_designators.is_empty() {
            self.reference_designators
                .iter()
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty())
                .collect()
        } else {
            designators::parse(self.reference_designators_string.as_deref().unwrap_or(""))
        }
    }

    /// The quantity to store: as given, or the number of designators when zero.
    fn effective_quantity(&self) -> Decimal {
        if self.quantity.is_zero() {
            Decimal::from(self.designators().len())
        } else {
            self.quantity
        }
    }

    fn raw_part(&self) -> RawPart {
        RawPart {
            mpn: self.mpn.clone(),
            manufacturer: self.manufacturer_name.clone(),
            alternative_mpns: self.alternative_mpns.clone(),
        }
    }

    /// The rules of the seed's body: text fields of 1 to 255 characters, a quantity that is
    /// positive once designators are counted, an integer line number.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        let texts = [
            ("custom_id", &self.custom_id),
            ("mpn", &self.mpn),
            ("manufacturer_name", &self.manufacturer_name),
            (
                "reference_designators_string",
                &self.reference_designators_string,
            ),
            ("description", &self.description),
            ("link", &self.link),
            ("comments", &self.comments),
            ("line_number", &self.line_number),
            ("value", &self.value),
            ("package", &self.package),
            ("mount_type", &self.mount_type),
        ];
        for (field, value) in texts {
            if let Some(v) = value {
                if v.is_empty() {
                    errors.add(
                        &format!("{prefix}{field}"),
                        "Ensure this field has at least 1 characters.",
                    );
                } else {
                    let field = format!("{prefix}{field}");
                    limits::check_length(errors, &field, v, limits::RAW_LINE_TEXT);
                }
            }
        }
        if self.quantity.is_sign_negative() && !self.quantity.is_zero() {
            errors.add(
                &format!("{prefix}quantity"),
                "Ensure this value is greater than or equal to 0.",
            );
        } else if self.effective_quantity().is_zero() {
            errors.add(
                &format!("{prefix}quantity"),
                "Give a quantity or reference designators to count.",
            );
        }
        if self.metadata.as_ref().is_some_and(|m| !m.is_object()) {
            errors.add(
                &format!("{prefix}metadata"),
                "Metadata must be a JSON object.",
            );
        }
    }
}

/// Checks a batch of raw lines, naming each bad one `lines[i].field`.
pub fn check_lines(raw: &[RawLine]) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    for (i, line) in raw.iter().enumerate() {
        line.check(&format!("lines[{i}]."), &mut errors);
    }
    errors.into_result()
}

/// A line ready to insert: its row, and the parts to add as substitutes.
struct Prepared {
    row: bom_line::ActiveModel,
    substitutes: Vec<i32>,
}

/// The name and MPN a custom line's part is known by among the team's custom parts.
fn custom_key(raw: &RawLine) -> (String, String) {
    // stored trimmed, as every part name is
    let name = [&raw.custom_id, &raw.mpn, &raw.description]
        .into_iter()
        .filter_map(|v| v.as_deref().map(str::trim))
        .find(|v| !v.is_empty())
        .unwrap_or("Custom part");
    (name.to_owned(), raw.mpn.clone().unwrap_or_default())
}

fn new_custom_part(team_id: i32, raw: &RawLine) -> part::ActiveModel {
    let (name, mpn) = custom_key(raw);
    crate::part::new_row(
        team_id,
        &crate::part::PartInput {
            name: Some(name),
            description: raw.description.clone(),
            mpn: Some(mpn),
            manufacturer: raw.manufacturer_name.clone(),
            keywords: Some(CUSTOM.into()),
            link: raw.link.clone(),
            purchaseable: Some(false),
            ..Default::default()
        },
    )
}

/// Custom parts are marked by this keyword.
const CUSTOM: &str = "custom";

async fn find_custom_parts(
    db: &impl ConnectionTrait,
    team_id: i32,
    names: &[String],
) -> ServiceResult<HashMap<(String, String), part::Model>> {
    let mut found = HashMap::new();
    for chunk in names.chunks(crate::db::IN_CHUNK) {
        let rows = part::Entity::find()
            .filter(part::Column::TeamId.eq(team_id))
            .filter(part::Column::Keywords.eq(CUSTOM))
            .filter(part::Column::Name.is_in(chunk.iter().cloned()))
            .order_by_asc(part::Column::Id)
            .all(db)
            .await?;
        for p in rows {
            found.entry((p.name.clone(), p.mpn.clone())).or_insert(p);
        }
    }
    Ok(found)
}

/// The parts the custom lines stand for: found again by name and MPN among the team's
/// custom parts (so repeating an upsert creates nothing new), the missing ones created.
/// A few statements however many custom lines there are.
async fn custom_parts(
    db: &impl ConnectionTrait,
    team_id: i32,
    raw: &[RawLine],
) -> ServiceResult<HashMap<(String, String), part::Model>> {
    let custom: Vec<&RawLine> = raw.iter().filter(|l| l.is_custom_part).collect();
    if custom.is_empty() {
        return Ok(HashMap::new());
    }
    let mut names: Vec<String> = custom.iter().map(|l| custom_key(l).0).collect();
    names.sort();
    names.dedup();
    let mut found = find_custom_parts(db, team_id, &names).await?;
    let mut seen = HashSet::new();
    let missing: Vec<part::ActiveModel> = custom
        .iter()
        .filter(|l| {
            let key = custom_key(l);
            !found.contains_key(&key) && seen.insert(key)
        })
        .map(|l| new_custom_part(team_id, l))
        .collect();
    if !missing.is_empty() {
        for chunk in missing.chunks(crate::db::INSERT_ROWS) {
            part::Entity::insert_many(chunk.to_vec()).exec(db).await?;
        }
        found = find_custom_parts(db, team_id, &names).await?;
    }
    Ok(found)
}

/// Matches and prepares raw lines for a BOM: a few statements for the whole batch.
async fn prepare(
    db: &impl ConnectionTrait,
    bom: &bom::Model,
    raw: &[RawLine],
) -> ServiceResult<Vec<Prepared>> {
    let parts: Vec<RawPart> = raw
        .iter()
        .filter(|l| !l.is_custom_part)
        .map(RawLine::raw_part)
        .collect();
    let catalogue = matching::catalogue(db, bom.team_id, &parts).await?;
    let above = match bom.assembly_part_id {
        Some(a) => structure::parts_above(db, bom.team_id, a).await?,
        None => HashSet::new(),
    };
    let custom = custom_parts(db, bom.team_id, raw).await?;
    let mut out = Vec::with_capacity(raw.len());
    let mut errors = FieldErrors::new();
    for (i, line) in raw.iter().enumerate() {
        let (status, part, candidates, substitutes) = if line.is_custom_part {
            let p = custom.get(&custom_key(line)).cloned();
            (MatchStatus::Custom, p, Vec::new(), Vec::new())
        } else {
            prepare_match(&catalogue, &line.raw_part())
        };
        let mut am = blank(bom);
        let designators = line.designators();
        lines::apply(
            &mut am,
            LineInput {
                quantity: Some(line.effective_quantity()),
                part_id: Some(part.as_ref().map(|p| p.id)),
                reference: Some(
                    line.reference_designators_string
                        .clone()
                        .unwrap_or_else(|| designators.join(", ")),
                ),
                custom_id: line.custom_id.clone(),
                mpn: line.mpn.clone(),
                alternative_mpns: Some(line.alternative_mpns.clone()),
                manufacturer_name: line.manufacturer_name.clone(),
                description: line.description.clone(),
                link: line.link.clone(),
                comments: line.comments.clone(),
                do_not_place: Some(line.do_not_place),
                line_number: line.line_number.clone(),
                value: line.value.clone(),
                package: line.package.clone(),
                mount_type: line.mount_type.clone(),
                is_custom_part: Some(line.is_custom_part),
                metadata: line.metadata.clone(),
                ..Default::default()
            },
        );
        am.reference_designators = Set(designators.into());
        am.match_status = Set(status);
        am.match_candidates = Set(candidates.into());
        errors.extend_prefixed(
            &format!("lines[{i}]."),
            line_errors(bom, &am, part.as_ref(), &above),
        );
        out.push(Prepared {
            row: am,
            substitutes,
        });
    }
    errors.into_result()?;
    Ok(out)
}

/// The outcome of matching one line, as stored.
fn prepare_match(
    catalogue: &Catalogue,
    raw: &RawPart,
) -> (MatchStatus, Option<part::Model>, Vec<i32>, Vec<i32>) {
    let m = catalogue.match_line(raw);
    match m.outcome {
        Outcome::Matched(id) => (
            MatchStatus::Matched,
            catalogue.part(id).cloned(),
            Vec::new(),
            m.substitutes,
        ),
        Outcome::Ambiguous(candidates) => (MatchStatus::Ambiguous, None, candidates, Vec::new()),
        Outcome::NoMatch => (MatchStatus::NoMatch, None, Vec::new(), Vec::new()),
    }
}

/// Inserts the lines, many per statement, then their substitutes. The caller holds the
/// BOM's lock, so the lines after the BOM's last id are these, in order.
/// With `progress`, reports from its start figure to its end figure as chunks are written.
async fn insert_prepared(
    db: &impl ConnectionTrait,
    bom: &bom::Model,
    prepared: Vec<Prepared>,
    progress: Option<(&Progress, i32, i32)>,
) -> ServiceResult<Vec<bom_line::Model>> {
    let (rows, substitutes): (Vec<_>, Vec<_>) =
        prepared.into_iter().map(|p| (p.row, p.substitutes)).unzip();
    let saved = if rows.is_empty() {
        Vec::new()
    } else if rows.len() == 1 {
        vec![rows.into_iter().next().expect("one row").insert(db).await?]
    } else {
        let last = bom_line::Entity::find()
            .filter(bom_line::Column::BomId.eq(bom.id))
            .order_by_desc(bom_line::Column::Id)
            .one(db)
            .await?
            .map_or(0, |l| l.id);
        let chunks = rows.len().div_ceil(crate::db::INSERT_ROWS) as i32;
        for (i, chunk) in rows.chunks(crate::db::INSERT_ROWS).enumerate() {
            bom_line::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
            if let Some((progress, from, to)) = progress {
                progress.set(from + (to - from) * (i as i32 + 1) / chunks);
            }
        }
        bom_line::Entity::find()
            .filter(bom_line::Column::BomId.eq(bom.id))
            .filter(bom_line::Column::Id.gt(last))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?
    };
    if saved.len() != substitutes.len() {
        return Err(ServiceError::Internal(format!(
            "BOM {}: wrote {} lines, read back {}",
            bom.id,
            substitutes.len(),
            saved.len()
        )));
    }
    let mut subs = Vec::new();
    for (line, parts) in saved.iter().zip(substitutes) {
        for part_id in parts {
            subs.push(crate::substitute::row(bom.team_id, line.id, part_id));
        }
    }
    for chunk in subs.chunks(500) {
        substitute::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(saved)
}

/// Creates a BOM from raw lines, every line matched to the catalogue, in one transaction.
pub async fn create_bom(
    db: &DatabaseConnection,
    p: &Principal,
    input: BomInput,
    raw: Vec<RawLine>,
) -> ServiceResult<bom::Model> {
    check_lines(&raw)?;
    let txn = crate::db::write(db).await?;
    let bom = boms::create_in(
        &txn,
        p,
        BomInput {
            lines: None,
            ..input
        },
    )
    .await?;
    let prepared = prepare(&txn, &bom, &raw).await?;
    insert_prepared(&txn, &bom, prepared, None).await?;
    crate::db::commit(txn).await?;
    Ok(bom)
}

/// Adds a raw line to a BOM. A source BOM lists one part once per placement, so it sums
/// only into a line with the same part and the same designators
/// ([`SamePart::SumWhenDesignatorsMatch`]). Concurrent adds are serialised per BOM.
pub async fn add_line(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    raw: RawLine,
) -> ServiceResult<bom_line::Model> {
    let mut errors = FieldErrors::new();
    raw.check("", &mut errors);
    errors.into_result()?;
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let mut prepared = prepare(&txn, &bom, std::slice::from_ref(&raw))
        .await
        .map_err(strip_line_prefix)?;
    let new = prepared.pop().expect("one line in, one line out");
    let merged = same_part::merge(
        &txn,
        p,
        &bom,
        SamePart::SumWhenDesignatorsMatch,
        *new.row.part_id.as_ref(),
        &raw.designators(),
        raw.effective_quantity(),
        new.row.reference.as_ref(),
    )
    .await?;
    let line = match merged {
        Some(line) => line,
        None => insert_prepared(&txn, &bom, vec![new], None)
            .await?
            .remove(0),
    };
    crate::db::commit(txn).await?;
    Ok(line)
}

/// Adds a catalogue line to a BOM. Cofactr keeps one line per part, so it sums into an
/// existing line with the same part, its designators joining the existing ones
/// ([`SamePart::Sum`]). Concurrent adds are serialised per BOM.
pub async fn add_catalogue_line(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    input: LineInput,
) -> ServiceResult<bom_line::Model> {
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let reference = input.reference.clone().unwrap_or_default();
    let merged = same_part::merge(
        &txn,
        p,
        &bom,
        SamePart::Sum,
        input.part_id.flatten(),
        &designators::parse(&reference),
        input.quantity.unwrap_or(Decimal::ONE),
        &reference,
    )
    .await?;
    let line = match merged {
        Some(line) => line,
        None => lines::insert(&txn, p, &bom, input).await?,
    };
    crate::db::commit(txn).await?;
    Ok(line)
}

/// `lines[0].quantity` of a one-line batch is just `quantity`.
fn strip_line_prefix(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Validation(fields) => {
            let mut out = FieldErrors::new();
            for (k, msgs) in fields.0 {
                let key = k.strip_prefix("lines[0].").unwrap_or(&k).to_owned();
                for m in msgs {
                    out.add(&key, m);
                }
            }
            ServiceError::Validation(out)
        }
        other => other,
    }
}

/// Re-matches the lines of a BOM that came from raw data (they have an MPN or alternative
/// MPNs, and are not custom), after the catalogue or the aliases changed. One call, a few
/// statements for the whole BOM.
pub async fn rematch(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
) -> ServiceResult<bom::Model> {
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let all = bom_line::Entity::find()
        .filter(bom_line::Column::BomId.eq(bom_id))
        .all(&txn)
        .await?;
    let raw_lines: Vec<&bom_line::Model> = all
        .iter()
        .filter(|l| !l.is_custom_part && (l.mpn.is_some() || !l.alternative_mpns.is_empty()))
        .collect();
    let parts: Vec<RawPart> = raw_lines.iter().map(|l| raw_part_of(l)).collect();
    let catalogue = matching::catalogue(&txn, bom.team_id, &parts).await?;
    let above = match bom.assembly_part_id {
        Some(a) => structure::parts_above(&txn, bom.team_id, a).await?,
        None => HashSet::new(),
    };
    let existing_subs =
        crate::substitute::lines_substitutes(&txn, raw_lines.iter().copied()).await?;
    let mut new_subs = Vec::new();
    for (line, raw) in raw_lines.into_iter().zip(parts) {
        let (status, part, candidates, subs) = prepare_match(&catalogue, &raw);
        // a part that would now make a loop is left unmatched rather than failing the call
        let part = part.filter(|x| {
            bom.assembly_part_id
                .is_none_or(|a| structure::loop_error(a, x.id, &above).is_none())
        });
        let status = if part.is_none() && status == MatchStatus::Matched {
            MatchStatus::NoMatch
        } else {
            status
        };
        let mut am: bom_line::ActiveModel = line.clone().into();
        am.part_id = Set(part.as_ref().map(|x| x.id));
        am.match_status = Set(status);
        am.match_candidates = Set(candidates.into());
        am.updated_at = Set(Utc::now());
        am.update(&txn).await?;
        if let Some(own) = part.as_ref().map(|x| x.id) {
            substitute::Entity::delete_many()
                .filter(substitute::Column::BomLineId.eq(line.id))
                .filter(substitute::Column::PartId.eq(own))
                .exec(&txn)
                .await?;
        }
        for s in subs {
            if !existing_subs
                .get(&line.id)
                .is_some_and(|set| set.contains(&s))
                && Some(s) != part.as_ref().map(|x| x.id)
            {
                new_subs.push(crate::substitute::row(bom.team_id, line.id, s));
            }
        }
    }
    for chunk in new_subs.chunks(500) {
        substitute::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    crate::db::commit(txn).await?;
    Ok(bom)
}

fn raw_part_of(line: &bom_line::Model) -> RawPart {
    RawPart {
        mpn: line.mpn.clone(),
        manufacturer: line.manufacturer_name.clone(),
        alternative_mpns: line.alternative_mpns.0.clone(),
    }
}

impl UpsertBom {
    /// The BOM's own fields, as create and update take them.
    fn bom_input(&self, team_id: Option<i32>) -> BomInput {
        BomInput {
            team_id,
            name: Some(self.name.clone()),
            version: Some(self.version.clone().unwrap_or_default()),
            part_number: self.part_number.clone(),
            metadata: self.metadata.clone(),
            integration_record_id: self.integration_record_id.clone(),
            integration_source_name: self.integration_source_name.clone(),
            ..Default::default()
        }
    }
}

/// Checks an upsert body at once, before any job is queued: the BOM's fields by the rules
/// every BOM write follows (the upsert may create the BOM), and each line.
pub fn check_upsert(body: &UpsertBom) -> ServiceResult<()> {
    let mut errors = match boms::validate(&body.bom_input(None), true) {
        Err(ServiceError::Validation(fields)) => fields,
        Err(other) => return Err(other),
        Ok(()) => FieldErrors::new(),
    };
    for (i, line) in body.lines.iter().enumerate() {
        line.check(&format!("lines[{i}]."), &mut errors);
    }
    errors.into_result()
}

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
    crate::db::commit(txn).await?;
    Ok(bom)
}

/// The designators of a line disagree with its quantity (both present).
pub fn quantity_mismatch(line: &bom_line::Model) -> bool {
    let count = line.reference_designators.len();
    count > 0 && Decimal::from(count) != line.quantity.0
}
