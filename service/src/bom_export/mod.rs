//! Exporting a BOM as a table people open in a spreadsheet: csv, tsv, xlsx or json.
//!
//! Rows are the BOM's lines (`levels = 1`), or an indented multi-level BOM (`levels =
//! all`: each sub-assembly's lines follow its line, one level deeper), or with `flat` one
//! row per part with its total quantity. Totals are for `quantity` units, overage
//! included; a do-not-place line needs nothing. Each row is priced on its own total
//! through the offer program pricing would choose. The statements needed are two per
//! BOM level and four more, whatever the number of lines. The column names are those the InvenTree
//! import matches, so a single-level export imports back into the same lines.
mod build;
mod file;
mod read;
mod table;

pub use build::export;
pub use file::{file_name, render, to_json, Format, COLUMNS};
pub use table::{Export, ExportOptions, ExportRow, Levels, Sheet, Sheets, MAX_ROWS};
