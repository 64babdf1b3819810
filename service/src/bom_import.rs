//! Importing BOM lines from a file, in InvenTree's three steps: `upload` reads the file and
//! matches its columns to fields, `extract` resolves each row's part and reports per-row
//! errors, `submit` validates every item and inserts all or none.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Reader};
use entity::{bom, bom_line, part};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::auth::Principal;
use crate::bom_line::{apply, blank, line_errors, LineInput};
use crate::same_part::{self, Decision, SamePart};
use crate::{bom as boms, structure, FieldErrors, ServiceError, ServiceResult};

/// Fields a column can be matched to; `quantity` is required.
pub const FIELDS: [&str; 13] = [
    "quantity",
    "reference",
    "overage",
    "allow_variants",
    "inherited",
    "optional",
    "consumable",
    "note",
    "part",
    "part_id",
    "part_name",
    "part_ipn",
    "level",
];
pub const REQUIRED_FIELDS: [&str; 1] = ["quantity"];
const PART_FIELDS: [&str; 4] = ["part", "part_id", "part_name", "part_ipn"];
/// Values per part lookup, well under the parameter limits of SQLite and PostgreSQL.
const CHUNK: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn bad_file(message: impl Into<String>) -> ServiceError {
    FieldErrors::single("data_file", message)
}

fn read_delimited(bytes: &[u8], delimiter: u8) -> ServiceResult<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| bad_file(format!("Error reading file: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad_file(format!("Error reading file: {e}")))?;
        rows.push(record.iter().map(|v| v.trim().to_owned()).collect());
    }
    Ok(Table { headers, rows })
}

fn read_workbook(bytes: &[u8]) -> ServiceResult<Table> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| bad_file(format!("Error reading file: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad_file("The file has no sheets"))?
        .map_err(|e| bad_file(format!("Error reading file: {e}")))?;
    let mut rows = range.rows().map(|r| {
        r.iter()
            .map(|c| c.to_string().trim().to_owned())
            .collect::<Vec<_>>()
    });
    let headers = rows.next().unwrap_or_default();
    Ok(Table {
        headers,
        rows: rows.collect(),
    })
}

/// Reads csv, tsv, xls and xlsx files, chosen by the file name's extension.
pub fn read_table(file_name: &str, bytes: &[u8]) -> ServiceResult<Table> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mut table = match ext.as_str() {
        "csv" => read_delimited(bytes, b',')?,
        "tsv" => read_delimited(bytes, b'\t')?,
        "xls" | "xlsx" => read_workbook(bytes)?,
        _ => return Err(bad_file(format!("Unsupported file format '{ext}'"))),
    };
    if table.headers.iter().all(|h| h.is_empty()) {
        return Err(bad_file("No columns found in the file"));
    }
    let cells = table.headers.iter().chain(table.rows.iter().flatten());
    if cells.into_iter().any(|c| c.contains('\0')) {
        return Err(bad_file(crate::input::NUL_MESSAGE));
    }
    table.rows.retain(|r| r.iter().any(|v| !v.is_empty()));
    if table.rows.is_empty() {
        return Err(bad_file("No data rows found in file"));
    }
    Ok(table)
}

/// Matches each header to a field: exact names first, then case-insensitively; a field is
/// matched to one column at most.
pub fn match_columns(headers: &[String]) -> Vec<Option<&'static str>> {
    let mut taken = HashSet::new();
    let mut out: Vec<Option<&'static str>> = vec![None; headers.len()];
    for (i, h) in headers.iter().enumerate() {
        if let Some(f) = FIELDS.iter().find(|f| **f == h.as_str()) {
            if taken.insert(*f) {
                out[i] = Some(*f);
            }
        }
    }
    for (i, h) in headers.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let key = h.trim().to_lowercase().replace([' ', '-'], "_");
        if let Some(f) = FIELDS.iter().find(|f| **f == key) {
            if taken.insert(*f) {
                out[i] = Some(*f);
            }
        }
    }
    out
}

/// How long an upload's `clear_existing_bom` waits for its submit. An import abandoned
/// longer than this clears nothing.
const CLEAR_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// Step 1: reads the file for an assembly part and matches its columns. With
/// `clear_existing_bom` the assembly's lines are marked to be replaced, which happens only
/// when the same user's `submit` succeeds within [`CLEAR_WINDOW`].
pub async fn upload(
    db: &DatabaseConnection,
    p: &Principal,
    assembly_part_id: i32,
    clear_existing_bom: bool,
    file_name: &str,
    bytes: &[u8],
) -> ServiceResult<(Table, Vec<Option<&'static str>>)> {
    let table = read_table(file_name, bytes)?;
    let matches = match_columns(&table.headers);
    let txn = crate::db::write(db).await?;
    let bom = boms::for_assembly(&txn, p, assembly_part_id).await?;
    let (by, until) = if clear_existing_bom {
        (Some(p.user_id), Some(chrono::Utc::now() + CLEAR_WINDOW))
    } else {
        (None, None)
    };
    if clear_existing_bom || bom.clear_on_import_by == Some(p.user_id) {
        let mut am: bom::ActiveModel = bom.into();
        am.clear_on_import_by = Set(by);
        am.clear_on_import_until = Set(until);
        am.update(&txn).await?;
    }
    crate::db::commit(txn).await?;
    Ok((table, matches))
}

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

/// One item of a submit: a line for the BOM of `assembly_part_id`.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub assembly_part_id: i32,
    pub line: LineInput,
}

/// A repeated (assembly, part) pair is refused: InvenTree's own import skips it silently,
/// which loses the row's quantity without a word; refusing shows the importer the row.
const IMPORT_SAME_PART: SamePart = SamePart::Refuse;

/// Step 3: validates every item and inserts them all in one transaction, or none. An item
/// that repeats a line of the BOM, or another item, is refused ([`IMPORT_SAME_PART`]). A
/// clear requested at upload happens here, inside the same transaction.
pub async fn submit(
    db: &DatabaseConnection,
    p: &Principal,
    items: Vec<ImportItem>,
) -> ServiceResult<usize> {
    if items.is_empty() {
        return Err(FieldErrors::single(
            "items",
            "At least one BOM item is required",
        ));
    }
    let txn = crate::db::write(db).await?;
    let mut boms_by_assembly: HashMap<i32, bom::Model> = HashMap::new();
    let mut above_by_assembly: HashMap<i32, HashSet<i32>> = HashMap::new();
    let mut errors = FieldErrors::new();
    // BOMs are locked in a fixed order, so two imports into the same assemblies cannot
    // wait on each other.
    let mut in_lock_order: Vec<(usize, &ImportItem)> = items.iter().enumerate().collect();
    in_lock_order.sort_by_key(|(_, item)| item.assembly_part_id);
    for (i, item) in in_lock_order {
        if boms_by_assembly.contains_key(&item.assembly_part_id) {
            continue;
        }
        match boms::for_assembly(&txn, p, item.assembly_part_id).await {
            Ok(bom) => {
                let live = bom.clear_on_import_until > Some(chrono::Utc::now());
                let mine = bom.clear_on_import_by == Some(p.user_id);
                if live && mine {
                    bom_line::Entity::delete_many()
                        .filter(bom_line::Column::BomId.eq(bom.id))
                        .exec(&txn)
                        .await?;
                }
                // spent by its owner's submit, or gone stale; another user's import
                // running at the same time keeps its mark
                if bom.clear_on_import_by.is_some() && (mine || !live) {
                    let mut am: bom::ActiveModel = bom.clone().into();
                    am.clear_on_import_by = Set(None);
                    am.clear_on_import_until = Set(None);
                    am.update(&txn).await?;
                }
                boms_by_assembly.insert(item.assembly_part_id, bom);
            }
            Err(ServiceError::Validation(_)) => {
                errors.add(&format!("items[{i}].part"), "Select a valid part.")
            }
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    // after every BOM lock: the structure lock is the last one a writer waits for
    for (assembly, bom) in &boms_by_assembly {
        let above = structure::parts_above(&txn, bom.team_id, *assembly).await?;
        above_by_assembly.insert(*assembly, above);
    }
    let bom_ids: Vec<i32> = boms_by_assembly.values().map(|b| b.id).collect();
    let mut existing: HashMap<(i32, i32), Vec<bom_line::Model>> = HashMap::new();
    for line in bom_line::Entity::find()
        .filter(bom_line::Column::BomId.is_in(bom_ids))
        .order_by_asc(bom_line::Column::Id)
        .all(&txn)
        .await?
    {
        if let Some(part) = line.part_id {
            existing.entry((line.bom_id, part)).or_default().push(line);
        }
    }
    let mut imported: HashMap<(i32, i32), usize> = HashMap::new();
    let part_ids: HashSet<i32> = items
        .iter()
        .filter_map(|i| i.line.part_id.flatten())
        .collect();
    let mut parts: HashMap<i32, part::Model> = HashMap::new();
    for chunk in part_ids.into_iter().collect::<Vec<_>>().chunks(CHUNK) {
        parts.extend(
            crate::part::by_ids(&txn, p, chunk)
                .await?
                .into_iter()
                .map(|x| (x.id, x)),
        );
    }
    let mut rows = Vec::new();
    let mut edges = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let bom = &boms_by_assembly[&item.assembly_part_id];
        let Some(part_id) = item.line.part_id.flatten() else {
            errors.add(&format!("items[{i}].part_id"), "This field is required.");
            continue;
        };
        edges.push((i, item.assembly_part_id, part_id));
        let part = parts.get(&part_id).filter(|x| x.team_id == bom.team_id);
        let mut am = blank(bom);
        apply(&mut am, item.line);
        let line_errs = line_errors(bom, &am, part, &above_by_assembly[&item.assembly_part_id]);
        errors.extend_prefixed(&format!("items[{i}]."), line_errs);
        let same = existing
            .get(&(bom.id, part_id))
            .map_or(&[][..], Vec::as_slice);
        if let Decision::Refuse(line) = IMPORT_SAME_PART.decide(same, &[]) {
            errors.add(&format!("items[{i}].part_id"), same_part::refusal(line));
        } else if let Some(first) = imported.insert((bom.id, part_id), i) {
            errors.add(
                &format!("items[{i}].part_id"),
                format!("Item {first} of this import is for the same part; give it once."),
            );
        }
        rows.push(am);
    }
    errors.into_result()?;
    let created = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<bom_line::ActiveModel> =
            rows.by_ref().take(crate::db::INSERT_ROWS).collect();
        bom_line::Entity::insert_many(chunk).exec(&txn).await?;
    }
    check_new_loops(&txn, &boms_by_assembly, &edges).await?;
    crate::db::commit(txn).await?;
    Ok(created)
}

/// Each row was checked against the structure before the import, but rows for several
/// assemblies can close a loop between themselves (A uses B in one row, B uses A in
/// another). With every row written, an imported line is a loop when its part now uses
/// its assembly.
async fn check_new_loops(
    txn: &impl sea_orm::ConnectionTrait,
    boms_by_assembly: &HashMap<i32, bom::Model>,
    edges: &[(usize, i32, i32)],
) -> ServiceResult<()> {
    if boms_by_assembly.len() < 2 {
        return Ok(());
    }
    let mut above_by_assembly = HashMap::new();
    for (assembly, bom) in boms_by_assembly {
        let above = structure::parts_above(txn, bom.team_id, *assembly).await?;
        above_by_assembly.insert(*assembly, above);
    }
    let mut errors = FieldErrors::new();
    for (i, assembly, part_id) in edges {
        if let Some(message) =
            structure::loop_error(*assembly, *part_id, &above_by_assembly[assembly])
        {
            errors.add(&format!("items[{i}].part_id"), message);
        }
    }
    errors.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_exactly_then_case_insensitively() {
        let headers: Vec<String> = [
            "Quantity",
            "quantity",
            "Part Name",
            "REFERENCE",
            "Note",
            "x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            match_columns(&headers),
            [
                None,
                Some("quantity"),
                Some("part_name"),
                Some("reference"),
                Some("note"),
                None
            ]
        );
    }

    #[test]
    fn reads_csv_and_tsv() {
        let t = read_table("bom.csv", b"part,quantity\nR1,2\n,\n").unwrap();
        assert_eq!(t.headers, ["part", "quantity"]);
        assert_eq!(t.rows, [["R1", "2"]]);
        let t = read_table("bom.TSV", b"part\tquantity\nR1\t3\n").unwrap();
        assert_eq!(t.rows, [["R1", "3"]]);
        assert!(read_table("bom.pdf", b"x").is_err());
        assert!(read_table("bom.csv", b"part,quantity\n").is_err());
    }
}
