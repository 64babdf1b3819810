//! Tables and columns of bomgraph, nothing else: no GraphQL, no HTTP, no rules.
//!
//! Exact decimals (quantities, stock figures, prices) are stored as canonical decimal
//! strings: SQLite has no exact decimal type, and a string round-trips unchanged on both
//! backends. `service::decimal` is the one place that parses and formats them.

pub mod api_token;
pub mod bom;
pub mod bom_line;
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
