//! Step 2 of an import: each row's part resolved by id, name or IPN, and each row's
//! errors reported beside it.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::part;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::table::{FIELDS, PART_FIELDS, REQUIRED_FIELDS};
use crate::auth::Principal;
use crate::{FieldErrors, ServiceResult};

/// Values per part lookup, well under the parameter limits of SQLite and PostgreSQL.
pub(super) const CHUNK: usize = 500;

/// One extracted row: the values by field, the resolved part, and what is wrong with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtractedRow {
    pub values: BTreeMap<String, Option<String>>,
    pub part: Option<i32>,
    pub errors: BTreeMap<String, String>,
}

fn check_columns(columns: &[String], rows: usize) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    if rows == 0 {
        errors.add("non_field_errors", "No data rows provided");
    }
    let named: Vec<&str> = columns
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    if named.is_empty() {
        errors.add("non_field_errors", "No data columns supplied");
    }
    let mut seen = HashSet::new();
    for c in &named {
        if !seen.insert(*c) {
            errors.add("non_field_errors", format!("Duplicate column: '{c}'"));
        }
        if !FIELDS.contains(c) {
            errors.add("non_field_errors", format!("Unknown column: '{c}'"));
        }
    }
    for required in REQUIRED_FIELDS {
        if !named.is_empty() && !named.contains(&required) {
            errors.add(
                "non_field_errors",
                format!("Missing required column: '{required}'"),
            );
        }
    }
    if !named.is_empty() && !PART_FIELDS.iter().any(|f| named.contains(f)) {
        errors.add("non_field_errors", "No part column specified");
    }
    errors.into_result()
}

/// The principal's parts whose id, name or IPN appear among the rows, in a few statements.
async fn candidate_parts(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &HashSet<i32>,
    names: &HashSet<String>,
    ipns: &HashSet<String>,
) -> ServiceResult<Vec<part::Model>> {
    let mut out: HashMap<i32, part::Model> = HashMap::new();
    let ids: Vec<i32> = ids.iter().copied().collect();
    for chunk in ids.chunks(CHUNK) {
        for x in crate::part::by_ids(db, p, chunk).await? {
            out.insert(x.id, x);
        }
    }
    for (col, values) in [(part::Column::Name, names), (part::Column::Ipn, ipns)] {
        let values: Vec<&String> = values.iter().collect();
        for chunk in values.chunks(CHUNK) {
            let found = part::Entity::find()
                .filter(part::Column::TeamId.is_in(p.team_ids()))
                .filter(col.is_in(chunk.iter().map(|s| s.as_str())))
                .all(db)
                .await?;
            for x in found {
                out.insert(x.id, x);
            }
        }
    }
    Ok(out.into_values().collect())
}

/// Step 2: resolves each row's part by id, then by name and/or IPN, and checks quantities.
/// Rows whose `level` is not 1 (sub-assembly rows of an indented BOM) are dropped.
pub async fn extract(
    db: &DatabaseConnection,
    p: &Principal,
    columns: &[String],
    rows: &[Vec<Option<String>>],
) -> ServiceResult<Vec<ExtractedRow>> {
    check_columns(columns, rows.len())?;
    let mut extracted = Vec::new();
    for row in rows {
        let mut values = BTreeMap::new();
        for (i, col) in columns.iter().enumerate() {
            if !col.is_empty() {
                let v = row
                    .get(i)
                    .cloned()
                    .flatten()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty());
                values.insert(col.clone(), v);
            }
        }
        let level = values.get("level").cloned().flatten();
        if let Some(level) = level.and_then(|l| l.parse::<Decimal>().ok()) {
            if level != Decimal::ONE {
                continue;
            }
        }
        extracted.push(ExtractedRow {
            values,
            ..Default::default()
        });
    }
    let get = |r: &ExtractedRow, k: &str| r.values.get(k).cloned().flatten();
    let id_of = |r: &ExtractedRow| {
        get(r, "part_id")
            .or_else(|| get(r, "part"))
            .and_then(|v| v.parse::<i32>().ok())
    };
    let name_of = |r: &ExtractedRow| get(r, "part_name").or_else(|| get(r, "part"));
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    let mut ipns = HashSet::new();
    for r in &extracted {
        ids.extend(id_of(r));
        names.extend(name_of(r));
        ipns.extend(get(r, "part_ipn"));
    }
    let parts = candidate_parts(db, p, &ids, &names, &ipns).await?;
    let by_id: HashMap<i32, &part::Model> = parts.iter().map(|x| (x.id, x)).collect();
    for row in &mut extracted {
        let mut found = id_of(row).and_then(|id| by_id.get(&id).copied());
        if found.is_none() {
            let (name, ipn) = (name_of(row), get(row, "part_ipn"));
            if name.is_some() || ipn.is_some() {
                let matches: Vec<&part::Model> = parts
                    .iter()
                    .filter(|x| name.as_ref().is_none_or(|n| &x.name == n))
                    .filter(|x| ipn.as_ref().is_none_or(|i| &x.ipn == i))
                    .collect();
                match matches.as_slice() {
                    [one] => found = Some(*one),
                    [] => {}
                    _ => {
                        row.errors
                            .insert("part".into(), "Multiple matching parts found".into());
                    }
                }
            }
        }
        match found {
            None => {
                row.errors
                    .entry("part".into())
                    .or_insert_with(|| "No matching part found".into());
            }
            Some(x) if !x.component => {
                row.errors.insert(
                    "part".into(),
                    "Part is not designated as a component".into(),
                );
            }
            Some(_) => {}
        }
        row.part = found.map(|x| x.id);
        match get(row, "quantity") {
            None => {
                row.errors
                    .insert("quantity".into(), "Quantity not provided".into());
            }
            Some(q) => match q.parse::<Decimal>() {
                Ok(q) if q <= Decimal::ZERO => {
                    row.errors
                        .insert("quantity".into(), crate::decimal::NOT_POSITIVE.into());
                }
                Ok(_) => {}
                Err(_) => {
                    row.errors
                        .insert("quantity".into(), "Invalid quantity".into());
                }
            },
        }
    }
    Ok(extracted)
}
