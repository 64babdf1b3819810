//! Building an export's rows: the walk down the BOM tree, each row's totals and price, the
//! flat and per-assembly forms.
use std::collections::{BTreeMap, HashMap};

use entity::{bom, bom_line, part};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

use super::read;
use super::table::{Export, ExportOptions, ExportRow, Levels, Sheet, Sheets, MAX_DEPTH, MAX_ROWS};
use crate::auth::Principal;
use crate::availability::{best_offer, with_overage};
use crate::decimal::mul;
use crate::figures::LineBundle;
use crate::part::available_stock;
use crate::{bom as boms, FieldErrors, ServiceResult};

/// A line as the walk meets it.
struct Walked<'a> {
    line: &'a bom_line::Model,
    number: String,
    level: i32,
    total: Decimal,
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
                with_overage(mul(line.quantity.0, units)?, &line.overage)?
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
        quantity: line.quantity.0.normalize(),
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
    let (lines, builders) = read::tree(db, &root, options.levels).await?;
    let mut walk = Walk {
        lines: &lines,
        builders: &builders,
        levels: options.levels,
        rows: Vec::new(),
        path: Vec::new(),
    };
    walk.bom(root.id, "", 1, options.quantity)?;
    let tree_boms: Vec<i32> = lines.keys().copied().collect();
    let bundle = read::bundle(db, p, &tree_boms).await?;
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
