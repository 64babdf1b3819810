//! Cofactr's raw BOM lines: their wire types and checks, matched to the catalogue (or made
//! custom parts), written in batches, summed into existing lines, matched again, and the
//! asynchronous upsert of a whole BOM. Each concern is a file; this module names what the
//! API layer and the job worker use.
mod check;
mod custom_part;
mod insert;
mod merge;
mod prepare;
mod rematch;
mod upsert;
mod wire;

pub use check::{check_lines, check_upsert, quantity_mismatch};
pub use insert::create_bom;
pub use merge::{add_catalogue_line, add_line};
pub use rematch::rematch;
pub use upsert::{upsert, upsert_reporting};
pub use wire::{RawLine, UpsertBom};
