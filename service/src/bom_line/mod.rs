//! BOM lines: their rules, the writes that keep to them, the reads, and the list with
//! InvenTree's filters and orderings. Each concern is a file; this module names what the
//! rest of bomgraph uses, so callers say `bom_line::insert` whichever file holds it.
mod list;
mod read;
mod rules;
mod write;

pub use list::{list, uses_condition, LineFilter, LineOrder, LineOrderField};
pub use read::{by_ids, for_boms, get, line_of, where_used};
pub(crate) use rules::{check_line, line_errors};
pub use rules::{checksum, is_validated, MatchStatus};
pub use write::{add, add_to_assembly, insert, remove, remove_many, update, validate, LineInput};
pub(crate) use write::{added, changed};
pub(crate) use write::{apply, blank};
