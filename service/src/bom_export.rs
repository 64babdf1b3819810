//! Exporting a BOM as a table people open in a spreadsheet: csv, tsv, xlsx or json.
//!
//! Rows are the BOM's lines (`levels = 1`), or an indented multi-level BOM (`levels =
//! all`: each sub-assembly's lines follow its line, one level deeper), or with `flat` one
//! row per part with its total quantity. Totals are for `quantity` units, overage
//! included; a do-not-place line needs nothing. Each row is priced on its own total
//! through the offer program pricing would choose. The statements needed are two per
//! BOM level and four more, whatever the number of lines. The column names are those the InvenTree
//! import matches, so a single-level export imports back into the same lines.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{bom, bom_line, part, price_break, substitute, supplier_offer};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format as Cell, Workbook};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, Condition, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::auth::Principal;
use crate::availability::{best_offer, with_overage};
use crate::db::one_of;
use crate::decimal::{load, mul, store};
use crate::figures::LineBundle;
use crate::part::available_stock;
use crate::{bom as boms, structure, FieldErrors, ServiceError, ServiceResult};

/// The most rows one export makes: a sub-assembly used many times repeats its lines.
pub const MAX_ROWS: usize = 200_000;
/// Sub-assembly depth followed, as in explosion.
const MAX_DEPTH: i32 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Tsv,
    Xlsx,
    Json,
}

impl Format {
    pub fn parse(value: &str) -> ServiceResult<Self> {
        match value {
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "xlsx" => Ok(Format::Xlsx),
            "json" => Ok(Format::Json),
            other => Err(FieldErrors::single(
                "format",
                format!("\"{other}\" is not a valid choice (csv, tsv, xlsx, json)."),
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Tsv => "text/tab-separated-values; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Levels {
    /// The BOM's own lines.
    #[default]
    One,
    /// Every level: sub-assemblies' lines follow their line.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sheets {
    #[default]
    Single,
    /// xlsx only: one sheet per BOM of the tree, each with that BOM's own lines.
    PerAssembly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub levels: Levels,
    pub flat: bool,
    /// Units built: the totals and costs are for this many.
    pub quantity: Decimal,
    pub sheets: Sheets,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            levels: Levels::One,
            flat: false,
            quantity: Decimal::ONE,
            sheets: Sheets::Single,
        }
    }
}

/// One row of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    /// Outline position: `3` is the third line, `3.2` the second line of its sub-assembly.
    pub line: String,
    pub level: i32,
    pub reference: String,
    /// Per unit of the row's parent.
    pub quantity: Decimal,
    /// For the whole build, overage included.
    pub total_quantity: Decimal,
    pub part_id: Option<i32>,
    pub part_name: String,
    pub part_ipn: String,
    pub mpn: String,
    pub manufacturer: String,
    pub description: String,
    pub value: String,
    pub package: String,
    pub do_not_place: bool,
    pub optional: bool,
    pub consumable: bool,
    pub overage: String,
    pub note: String,
    /// Substitute parts, by IPN (else name), `; ` between them.
    pub substitutes: String,
    pub stock: Option<Decimal>,
    pub supplier: Option<String>,
    pub unit_price: Option<Decimal>,
    pub currency: Option<String>,
    pub extended_cost: Option<Decimal>,
    /// The BOM the line belongs to.
    #[serde(skip)]
    pub bom_id: i32,
}

/// Column headers, in order, and the JSON keys of the same columns.
pub const COLUMNS: [(&str, &str); 24] = [
    ("Line", "line"),
    ("Level", "level"),
    ("Reference", "reference"),
    ("Quantity", "quantity"),
    ("Total Quantity", "total_quantity"),
    ("Part ID", "part_id"),
    ("Part Name", "part_name"),
    ("Part IPN", "part_ipn"),
    ("MPN", "mpn"),
    ("Manufacturer", "manufacturer"),
    ("Description", "description"),
    ("Value", "value"),
    ("Package", "package"),
    ("Do Not Place", "do_not_place"),
    ("Optional", "optional"),
    ("Consumable", "consumable"),
    ("Overage", "overage"),
    ("Note", "note"),
    ("Substitutes", "substitutes"),
    ("Stock", "stock"),
    ("Supplier", "supplier"),
    ("Unit Price", "unit_price"),
    ("Currency", "currency"),
    ("Extended Cost", "extended_cost"),
];

/// A cell: text, a number or a flag.
enum CellValue<'a> {
    Text(&'a str),
    Number(Option<Decimal>),
    Flag(bool),
}

impl ExportRow {
    fn cells(&self) -> [CellValue<'_>; 24] {
        use CellValue::{Flag, Number, Text};
        [
            Text(&self.line),
            Number(Some(self.level.into())),
            Text(&self.reference),
            Number(Some(self.quantity)),
            Number(Some(self.total_quantity)),
            Number(self.part_id.map(Decimal::from)),
            Text(&self.part_name),
            Text(&self.part_ipn),
            Text(&self.mpn),
            Text(&self.manufacturer),
            Text(&self.description),
            Text(&self.value),
            Text(&self.package),
            Flag(self.do_not_place),
            Flag(self.optional),
            Flag(self.consumable),
            Text(&self.overage),
            Text(&self.note),
            Text(&self.substitutes),
            Number(self.stock),
            Text(self.supplier.as_deref().unwrap_or_default()),
            Number(self.unit_price),
            Text(self.currency.as_deref().unwrap_or_default()),
            Number(self.extended_cost),
        ]
    }
}

/// One sheet of an export: a title and its rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub title: String,
    pub rows: Vec<ExportRow>,
}

#[derive(Debug, Clone)]
pub struct Export {
    pub bom: bom::Model,
    pub options: ExportOptions,
    /// One sheet, or with `Sheets::PerAssembly` one per BOM of the tree (the BOM first).
    pub sheets: Vec<Sheet>,
}

/// A line as the walk meets it.
struct Walked<'a> {
    line: &'a bom_line::Model,
    number: String,
    level: i32,
    total: Decimal,
}

/// The BOM's lines, and with `all` those of every sub-assembly under it, by BOM id; and
/// the BOM that builds each sub-assembly part.
async fn tree(
    db: &DatabaseConnection,
    root: &bom::Model,
    levels: Levels,
) -> ServiceResult<(HashMap<i32, Vec<bom_line::Model>>, HashMap<i32, i32>)> {
    let mut lines: HashMap<i32, Vec<bom_line::Model>> = HashMap::new();
    let mut builders: HashMap<i32, i32> = HashMap::new();
    let mut frontier = vec![root.id];
    let mut depth = 0;
    let backend = db.get_database_backend();
    while !frontier.is_empty() && depth < MAX_DEPTH {
        depth += 1;
        let found = bom_line::Entity::find()
            .filter(one_of(backend, bom_line::Column::BomId, frontier.clone()))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?;
        let any_part = found.iter().any(|l| l.part_id.is_some());
        for line in found {
            lines.entry(line.bom_id).or_default().push(line);
        }
        if levels == Levels::One || !any_part {
            break;
        }
        // the parts are named by a subquery: a BOM's thousands of part ids are not sent back
        let sub_boms = bom::Entity::find()
            .filter(bom::Column::AssemblyPartId.in_subquery(line_parts(backend, &frontier)))
            .filter(bom::Column::TeamId.eq(root.team_id))
            .all(db)
            .await?;
        frontier = Vec::new();
        for (part, child) in structure::builders(&sub_boms) {
            builders.insert(part, child);
            if child != root.id && !lines.contains_key(&child) && !frontier.contains(&child) {
                frontier.push(child);
            }
        }
    }
    Ok((lines, builders))
}

/// `SELECT part_id FROM bom_line WHERE bom_id IN (...)`.
fn line_parts(backend: DatabaseBackend, boms: &[i32]) -> SelectStatement {
    bom_line::Entity::find()
        .select_only()
        .column(bom_line::Column::PartId)
        .filter(one_of(
            backend,
            bom_line::Column::BomId,
            boms.iter().copied(),
        ))
        .into_query()
}

/// What the rows of the BOMs `boms` show: their lines' substitutes, the parts of both, and
/// those parts' offers and price breaks. Four statements, the ids chosen by subqueries.
async fn bundle(db: &DatabaseConnection, p: &Principal, boms: &[i32]) -> ServiceResult<LineBundle> {
    let backend = db.get_database_backend();
    let mut out = LineBundle::default();
    let line_ids = bom_line::Entity::find()
        .select_only()
        .column(bom_line::Column::Id)
        .filter(one_of(
            backend,
            bom_line::Column::BomId,
            boms.iter().copied(),
        ))
        .into_query();
    let subs = substitute::Entity::find()
        .filter(substitute::Column::BomLineId.in_subquery(line_ids.clone()))
        .filter(one_of(backend, substitute::Column::TeamId, p.team_ids()))
        .order_by_asc(substitute::Column::Id)
        .all(db)
        .await?;
    let sub_parts = substitute::Entity::find()
        .select_only()
        .column(substitute::Column::PartId)
        .filter(substitute::Column::BomLineId.in_subquery(line_ids))
        .into_query();
    let wanted = Condition::any()
        .add(part::Column::Id.in_subquery(line_parts(backend, boms)))
        .add(part::Column::Id.in_subquery(sub_parts));
    let parts = part::Entity::find()
        .filter(wanted.clone())
        .filter(one_of(backend, part::Column::TeamId, p.team_ids()))
        .all(db)
        .await?;
    let team_parts = part::Entity::find()
        .select_only()
        .column(part::Column::Id)
        .filter(wanted)
        .filter(one_of(backend, part::Column::TeamId, p.team_ids()))
        .into_query();
    let offers = supplier_offer::Entity::find()
        .filter(supplier_offer::Column::PartId.in_subquery(team_parts.clone()))
        .order_by_asc(supplier_offer::Column::Id)
        .all(db)
        .await?;
    let breaks = price_break::Entity::find()
        .filter(
            price_break::Column::OfferId.in_subquery(
                supplier_offer::Entity::find()
                    .select_only()
                    .column(supplier_offer::Column::Id)
                    .filter(supplier_offer::Column::PartId.in_subquery(team_parts))
                    .into_query(),
            ),
        )
        .order_by_asc(price_break::Column::Id)
        .all(db)
        .await?;
    for s in subs {
        out.substitutes.entry(s.bom_line_id).or_default().push(s);
    }
    out.parts = parts.into_iter().map(|x| (x.id, x)).collect();
    for b in breaks {
        out.breaks.entry(b.offer_id).or_default().push(b);
    }
    for o in offers {
        out.offers.entry(o.part_id).or_default().push(o);
    }
    Ok(out)
}

struct Walk<'a> {
    lines: &'a HashMap<i32, Vec<bom_line::Model>>,
    builders: &'a HashMap<i32, i32>,
    levels: Levels,
    rows: Vec<Walked<'a>>,
    /// The BOMs on the path from the root, so a hand-made loop ends.
    path: Vec<i32>,
}

impl<'a> Walk<'a> {
    fn bom(&mut self, bom_id: i32, prefix: &str, level: i32, units: Decimal) -> ServiceResult<()> {
        self.path.push(bom_id);
        for (i, line) in self.lines.get(&bom_id).into_iter().flatten().enumerate() {
            let number = if prefix.is_empty() {
                (i + 1).to_string()
            } else {
                format!("{prefix}.{}", i + 1)
            };
            let total = if line.do_not_place {
                Decimal::ZERO
            } else {
                with_overage(mul(load(&line.quantity), units)?, &line.overage)?
            };
            if self.rows.len() >= MAX_ROWS {
                return Err(FieldErrors::single(
                    "levels",
                    format!(
                        "The export would have more than {MAX_ROWS} rows; export it flat or \
                         one level at a time."
                    ),
                ));
            }
            self.rows.push(Walked {
                line,
                number: number.clone(),
                level,
                total,
            });
            let child = line.part_id.and_then(|p| self.builders.get(&p)).copied();
            if let Some(child) = child {
                let deeper = self.levels == Levels::All
                    && !line.do_not_place
                    && level < MAX_DEPTH
                    && !self.path.contains(&child);
                if deeper {
                    self.bom(child, &number, level + 1, total)?;
                }
            }
        }
        self.path.pop();
        Ok(())
    }
}

fn first_non_empty(values: &[Option<&str>]) -> String {
    values
        .iter()
        .flatten()
        .find(|v| !v.trim().is_empty())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn label(part: &part::Model) -> &str {
    if part.ipn.is_empty() {
        &part.name
    } else {
        &part.ipn
    }
}

/// A row's pricing: the offer program pricing would choose for the row's total.
fn price(row: &mut ExportRow, bundle: &LineBundle) {
    let Some(part_id) = row.part_id else {
        return;
    };
    if row.total_quantity <= Decimal::ZERO {
        return;
    }
    let offers = bundle
        .offers
        .get(&part_id)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if let Some(buy) = best_offer(row.total_quantity, offers, &bundle.breaks) {
        row.supplier = Some(buy.offer.supplier.clone());
        row.unit_price = Some(buy.unit_price.normalize());
        row.currency = Some(buy.offer.currency.clone());
        row.extended_cost = Some(buy.extended.normalize());
    }
}

fn row_of(w: &Walked, bundle: &LineBundle) -> ExportRow {
    let line = w.line;
    let part = line.part_id.and_then(|id| bundle.parts.get(&id));
    let substitutes: Vec<&str> = bundle
        .substitutes
        .get(&line.id)
        .into_iter()
        .flatten()
        .filter_map(|s| bundle.parts.get(&s.part_id))
        .map(label)
        .collect();
    let mut row = ExportRow {
        line: w.number.clone(),
        level: w.level,
        reference: line.reference.clone(),
        quantity: load(&line.quantity).normalize(),
        total_quantity: w.total.normalize(),
        part_id: line.part_id,
        part_name: part.map(|p| p.name.clone()).unwrap_or_default(),
        part_ipn: part.map(|p| p.ipn.clone()).unwrap_or_default(),
        mpn: first_non_empty(&[part.map(|p| p.mpn.as_str()), line.mpn.as_deref()]),
        manufacturer: first_non_empty(&[
            part.map(|p| p.manufacturer.as_str()),
            line.manufacturer_name.as_deref(),
        ]),
        description: first_non_empty(&[
            part.map(|p| p.description.as_str()),
            line.description.as_deref(),
        ]),
        value: line.value.clone().unwrap_or_default(),
        package: line.package.clone().unwrap_or_default(),
        do_not_place: line.do_not_place,
        optional: line.optional,
        consumable: line.consumable,
        overage: line.overage.clone(),
        note: line.note.clone(),
        substitutes: substitutes.join("; "),
        stock: part.map(|p| available_stock(p).normalize()),
        supplier: None,
        unit_price: None,
        currency: None,
        extended_cost: None,
        bom_id: line.bom_id,
    };
    price(&mut row, bundle);
    row
}

/// Appends `value` to a `, `-separated list unless it is empty or there already.
fn join_unique(list: &mut String, value: &str) {
    if value.is_empty() || list.split(", ").any(|x| x == value) {
        return;
    }
    if !list.is_empty() {
        list.push_str(", ");
    }
    list.push_str(value);
}

/// One row per part (or per unmatched MPN): quantities and designators summed over the
/// rows. With every level, only the parts bought are kept: a sub-assembly that is built
/// from its own BOM is not a row of its own.
fn flatten(rows: Vec<ExportRow>, builders: &HashMap<i32, i32>, levels: Levels) -> Vec<ExportRow> {
    let mut order: Vec<String> = Vec::new();
    let mut merged: HashMap<String, ExportRow> = HashMap::new();
    for row in rows {
        let built = levels == Levels::All
            && !row.do_not_place
            && row.part_id.is_some_and(|p| builders.contains_key(&p));
        if built {
            continue;
        }
        let key = match row.part_id {
            Some(id) => format!("part:{id}"),
            None => format!(
                "mpn:{}|{}",
                row.mpn.to_lowercase(),
                row.description.to_lowercase()
            ),
        };
        match merged.get_mut(&key) {
            Some(m) => {
                m.quantity = m.quantity.saturating_add(row.quantity);
                m.total_quantity = m.total_quantity.saturating_add(row.total_quantity);
                m.level = m.level.min(row.level);
                join_unique(&mut m.reference, &row.reference);
                join_unique(&mut m.note, &row.note);
                m.do_not_place &= row.do_not_place;
            }
            None => {
                order.push(key.clone());
                merged.insert(key, row);
            }
        }
    }
    order
        .into_iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let mut row = merged.remove(&key)?;
            row.line = (i + 1).to_string();
            Some(row)
        })
        .collect()
}

/// Builds the rows of an export of BOM `bom_id` (one the principal can read).
pub async fn export(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    options: ExportOptions,
) -> ServiceResult<Export> {
    let mut errors = FieldErrors::new();
    crate::decimal::check_quantity(&mut errors, "quantity", options.quantity);
    if options.sheets == Sheets::PerAssembly && options.flat {
        errors.add("sheets", "A flat export has one sheet.");
    }
    errors.into_result()?;
    let root = boms::get(db, p, bom_id).await?;
    let (lines, builders) = tree(db, &root, options.levels).await?;
    let mut walk = Walk {
        lines: &lines,
        builders: &builders,
        levels: options.levels,
        rows: Vec::new(),
        path: Vec::new(),
    };
    walk.bom(root.id, "", 1, options.quantity)?;
    let tree_boms: Vec<i32> = lines.keys().copied().collect();
    let bundle = bundle(db, p, &tree_boms).await?;
    let rows: Vec<ExportRow> = walk.rows.iter().map(|w| row_of(w, &bundle)).collect();
    let sheets = if options.flat {
        let mut rows = flatten(rows, &builders, options.levels);
        for row in &mut rows {
            row.supplier = None;
            row.unit_price = None;
            row.currency = None;
            row.extended_cost = None;
            price(row, &bundle);
        }
        vec![Sheet {
            title: sheet_title(&root),
            rows,
        }]
    } else if options.sheets == Sheets::PerAssembly {
        per_assembly(db, p, &root, rows).await?
    } else {
        vec![Sheet {
            title: sheet_title(&root),
            rows,
        }]
    };
    Ok(Export {
        bom: root,
        options,
        sheets,
    })
}

fn sheet_title(bom: &bom::Model) -> String {
    format!("{} {}", bom.name, bom.revision)
}

/// One sheet per BOM of the tree, the root's first, each with that BOM's own lines
/// (totals summed over the places the sub-assembly is used).
async fn per_assembly(
    db: &DatabaseConnection,
    p: &Principal,
    root: &bom::Model,
    rows: Vec<ExportRow>,
) -> ServiceResult<Vec<Sheet>> {
    let mut order: Vec<i32> = Vec::new();
    let mut by_bom: BTreeMap<i32, Vec<ExportRow>> = BTreeMap::new();
    for mut row in rows {
        if !order.contains(&row.bom_id) {
            order.push(row.bom_id);
        }
        let sheet = by_bom.entry(row.bom_id).or_default();
        // the line's own position in its BOM: the last part of its outline number
        let own = row.line.rsplit('.').next().unwrap_or_default().to_owned();
        match sheet.iter_mut().find(|r| r.line == own) {
            Some(seen) => {
                seen.total_quantity = seen.total_quantity.saturating_add(row.total_quantity);
            }
            None => {
                row.line = own;
                row.level = 1;
                sheet.push(row);
            }
        }
    }
    let named: HashMap<i32, bom::Model> = boms::by_ids(db, p, &order)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    Ok(order
        .into_iter()
        .map(|id| Sheet {
            title: named
                .get(&id)
                .map(sheet_title)
                .unwrap_or_else(|| sheet_title(root)),
            rows: by_bom.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// The file name of an export: the BOM's name and revision, safe in any file system.
pub fn file_name(bom: &bom::Model, format: Format) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let name = safe(bom.name.trim());
    let name = if name.trim_matches('_').is_empty() {
        format!("bom-{}", bom.id)
    } else {
        name
    };
    format!("{name}-rev{}.{}", safe(&bom.revision), format.extension())
}

/// The export as JSON: the BOM, the options, the column keys and the rows.
pub fn to_json(export: &Export) -> Value {
    let bom = &export.bom;
    let mut out = Map::new();
    out.insert(
        "bom".into(),
        json!({ "id": bom.id, "name": bom.name, "version": bom.version, "revision": bom.revision }),
    );
    out.insert(
        "build_quantity".into(),
        json!(export.options.quantity.normalize()),
    );
    out.insert(
        "levels".into(),
        json!(match export.options.levels {
            Levels::One => "1",
            Levels::All => "all",
        }),
    );
    out.insert("flat".into(), json!(export.options.flat));
    out.insert(
        "columns".into(),
        json!(COLUMNS.iter().map(|(_, key)| *key).collect::<Vec<_>>()),
    );
    out.insert(
        "rows".into(),
        json!(export
            .sheets
            .iter()
            .flat_map(|s| &s.rows)
            .collect::<Vec<_>>()),
    );
    Value::Object(out)
}

fn cell_text(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(t) => t.to_string(),
        CellValue::Number(n) => n.map(store).unwrap_or_default(),
        CellValue::Flag(b) => b.to_string(),
    }
}

fn delimited(export: &Export, delimiter: u8) -> ServiceResult<Vec<u8>> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let failed = |e: csv::Error| ServiceError::Internal(format!("writing the export: {e}"));
    out.write_record(COLUMNS.iter().map(|(header, _)| *header))
        .map_err(failed)?;
    for row in export.sheets.iter().flat_map(|s| &s.rows) {
        out.write_record(row.cells().iter().map(cell_text))
            .map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| ServiceError::Internal(format!("writing the export: {e}")))
}

/// A worksheet name: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn worksheet_name(title: &str, taken: &mut HashSet<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let base: String = if clean.is_empty() { "BOM" } else { clean }
        .chars()
        .take(31)
        .collect();
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    name
}

fn xlsx(export: &Export) -> ServiceResult<Vec<u8>> {
    let failed =
        |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("writing the export: {e}"));
    let mut book = Workbook::new();
    let bold = Cell::new().set_bold();
    let mut taken = HashSet::new();
    for sheet in &export.sheets {
        let ws = book.add_worksheet();
        ws.set_name(worksheet_name(&sheet.title, &mut taken))
            .map_err(failed)?;
        for (col, (header, _)) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, *header, &bold)
                .map_err(failed)?;
        }
        for (i, row) in sheet.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (col, cell) in row.cells().iter().enumerate() {
                let col = col as u16;
                match cell {
                    CellValue::Text(t) if !t.is_empty() => {
                        ws.write_string(r, col, *t).map_err(failed)?;
                    }
                    CellValue::Number(Some(n)) => {
                        match n.to_f64() {
                            Some(f) => ws.write_number(r, col, f).map_err(failed)?,
                            None => ws.write_string(r, col, store(*n)).map_err(failed)?,
                        };
                    }
                    CellValue::Flag(b) => {
                        ws.write_boolean(r, col, *b).map_err(failed)?;
                    }
                    _ => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(failed)?;
    }
    book.save_to_buffer().map_err(failed)
}

/// The export's file in `format`.
pub fn render(export: &Export, format: Format) -> ServiceResult<Vec<u8>> {
    if export.options.sheets == Sheets::PerAssembly && format != Format::Xlsx {
        return Err(FieldErrors::single(
            "sheets",
            "One sheet per assembly is for xlsx; csv, tsv and json hold one table.",
        ));
    }
    match format {
        Format::Csv => delimited(export, b','),
        Format::Tsv => delimited(export, b'\t'),
        Format::Xlsx => xlsx(export),
        Format::Json => serde_json::to_vec(&to_json(export))
            .map_err(|e| ServiceError::Internal(format!("writing the export: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::worksheet_name;
    use std::collections::HashSet;

    #[test]
    fn worksheet_names_are_short_clean_and_unique() {
        let mut taken = HashSet::new();
        let long = "Main board / power [rev] with a very long name indeed";
        let first = worksheet_name(long, &mut taken);
        assert!(first.chars().count() <= 31);
        assert!(!first.contains(['/', '[', ']']));
        let second = worksheet_name(long, &mut taken);
        assert_ne!(first, second);
        assert!(second.chars().count() <= 31);
    }
}
