//! `/api/bom/...`: BomItems are bomgraph's BOM lines seen from InvenTree. `part` is the
//! assembly whose BOM holds the line, `sub_part` the line's part, `pk` the line's id.
//! Each file's items are re-exported whole, with the path documents utoipa makes beside
//! its handlers.
mod filter;
mod item;
mod metadata;
mod read;
mod validate;
mod write;

pub use filter::*;
pub use item::*;
pub use metadata::*;
pub use read::*;
pub use validate::*;
pub use write::*;
