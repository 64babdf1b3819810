//! Every business rule of bomgraph. Typed inputs in, models or a `ServiceError` out.
//! No HTTP and no GraphQL here: the API layers only translate onto these functions.

pub mod access;
pub mod auth;
pub mod availability;
pub mod bom;
pub mod bom_diff;
pub mod bom_export;
pub mod bom_import;
pub mod bom_line;
mod bom_lookup;
pub mod db;
pub mod decimal;
pub mod demo;
pub mod designators;
pub mod error;
pub mod events;
pub mod figures;
pub mod input;
pub mod job;
pub mod limits;
pub mod manufacturer;
pub mod matching;
pub mod metadata;
pub mod owned;
pub mod page;
pub mod part;
pub mod program;
pub mod progress;
pub mod raw_bom;
pub mod revision;
pub mod same_part;
pub mod search;
pub mod structure;
pub mod substitute;
pub mod team;
#[cfg(test)]
mod test_rows;

pub use error::{FieldErrors, ServiceError, ServiceResult};
pub use sea_orm::DatabaseConnection;
