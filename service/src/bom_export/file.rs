//! The files of an export: csv and tsv through `csv`, xlsx through rust_xlsxwriter, json.
use std::collections::HashSet;

use entity::bom;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format as Cell, Workbook};
use serde_json::{json, Map, Value};

use super::table::{Export, ExportRow, Levels, Sheets};
use crate::decimal::store;
use crate::{FieldErrors, ServiceError, ServiceResult};

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
