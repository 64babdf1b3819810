//! An imported file read into a table (csv, tsv, xls, xlsx) and its columns matched to
//! the fields a BOM line import knows.
use std::collections::HashSet;
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Reader};

use crate::{FieldErrors, ServiceError, ServiceResult};

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
pub(super) const PART_FIELDS: [&str; 4] = ["part", "part_id", "part_name", "part_ipn"];

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
