//! Importing BOM lines from a file, in InvenTree's three steps: `upload` reads the file and
//! matches its columns to fields, `extract` resolves each row's part and reports per-row
//! errors, `submit` validates every item and inserts all or none.
mod extract;
mod submit;
mod table;
mod upload;

pub use extract::{extract, ExtractedRow};
pub use submit::{submit, ImportItem};
pub use table::{match_columns, read_table, Table, FIELDS, REQUIRED_FIELDS};
pub use upload::upload;
