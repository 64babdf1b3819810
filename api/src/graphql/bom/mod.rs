//! BOMs, their lines and substitutes: the object types, their inputs and the two roots.
mod input;
mod line;
mod mutation;
mod node;
mod object;
mod query;
mod substitute;

pub use input::{
    BomFilterInput, BomInputGql, BomLineFilterInput, BomLineInput, BomLineOrder, BomLineOrderField,
    MetadataModeGql, MetadataTarget,
};
pub use line::{lines_for_page, needs_bundle};
pub use mutation::{BomMutation, DeleteBomOutcome, DeleteBomResult};
pub use node::{Bom, BomLine, Substitute};
pub use query::BomQuery;
