//! BOMs, their lines and substitutes: the object types, their inputs, the query root and
//! the two mutation roots with their payloads.
mod input;
mod line;
mod line_mutation;
mod line_payload;
mod mutation;
mod node;
mod object;
mod payload;
mod query;
mod substitute;

pub use input::{
    BomFieldsInput, BomFilterInput, BomLineFilterInput, BomLineInput, BomLineOrder,
    BomLineOrderField, MetadataModeGql, MetadataTarget,
};
pub use line::{lines_for_page, needs_bundle};
pub use line_mutation::BomLineMutation;
pub use mutation::BomMutation;
pub use node::{Bom, BomLine, Substitute};
pub use payload::{fresh_bom, DeleteBomOutcome, DeleteBomPayload};
pub use query::BomQuery;
