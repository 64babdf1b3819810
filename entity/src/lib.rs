//! Tables and columns of bomgraph, nothing else: no HTTP, no rules.
//!
//! Exact decimals (quantities, stock figures, prices) are `DecimalText` columns, stored as
//! canonical decimal strings: SQLite has no exact decimal type, and a string round-trips
//! unchanged on both backends. Lists are JSON arrays read into `StringList` or `IdList`.
//!
//! With the `graphql` feature the models derive `SimpleObject` (named `<Table>Columns`), so
//! that the api's objects show their columns by flattening the model instead of one
//! resolver per column. A model skips the columns GraphQL does not show as they are: ids
//! (shown as `ID`s or as the objects they name), internal columns, and columns that a
//! resolver shows in its place among computed fields.

pub mod api_token;
pub mod bom;
pub mod bom_line;
pub mod column;
pub mod job;
pub mod manufacturer_alias;
pub mod membership;
pub mod part;
pub mod part_override;
pub mod price_break;
pub mod program;
pub mod program_line;
pub mod substitute;
pub mod supplier_offer;
pub mod team;
pub mod user;

pub use column::{DecimalText, IdList, StringList};
