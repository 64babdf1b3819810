//! The Rust types behind the `Bom`, `BomLine` and `Substitute` objects, defined apart from
//! their resolvers so that object.rs, line.rs and substitute.rs name these types, not one
//! another (a BOM lists its lines and a line names its BOM).
use std::sync::Arc;

use entity::{bom, bom_line, substitute};
use service::figures::LineBundle;

#[derive(Clone)]
pub struct Bom(pub bom::Model);

#[derive(Clone)]
pub struct BomLine {
    pub model: bom_line::Model,
    /// Loaded once for a page of lines, or `None` to batch a bundle per request.
    pub(super) bundle: Option<Arc<LineBundle>>,
}

impl BomLine {
    pub fn new(model: bom_line::Model) -> Self {
        Self {
            model,
            bundle: None,
        }
    }

    pub fn with_bundle(model: bom_line::Model, bundle: Arc<LineBundle>) -> Self {
        Self {
            model,
            bundle: Some(bundle),
        }
    }
}

#[derive(Clone)]
pub struct Substitute {
    pub model: substitute::Model,
    pub bundle: Option<Arc<LineBundle>>,
}
