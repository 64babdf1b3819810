//! What an export is, whatever its file format: the options asked for, its rows and its
//! sheets. Reading, building and rendering an export all speak of these.
use entity::bom;
use rust_decimal::Decimal;
use serde::Serialize;

/// The most rows one export makes: a sub-assembly used many times repeats its lines.
pub const MAX_ROWS: usize = 200_000;
/// Sub-assembly depth followed, as in explosion.
pub(super) const MAX_DEPTH: i32 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Levels {
    /// The BOM's own lines.
    #[default]
    One,
    /// Every level: sub-assemblies' lines follow their line.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sheets {
    #[default]
    Single,
    /// xlsx only: one sheet per BOM of the tree, each with that BOM's own lines.
    PerAssembly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub levels: Levels,
    pub flat: bool,
    /// Units built: the totals and costs are for this many.
    pub quantity: Decimal,
    pub sheets: Sheets,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            levels: Levels::One,
            flat: false,
            quantity: Decimal::ONE,
            sheets: Sheets::Single,
        }
    }
}

/// One row of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    /// Outline position: `3` is the third line, `3.2` the second line of its sub-assembly.
    pub line: String,
    pub level: i32,
    pub reference: String,
    /// Per unit of the row's parent.
    pub quantity: Decimal,
    /// For the whole build, overage included.
    pub total_quantity: Decimal,
    pub part_id: Option<i32>,
    pub part_name: String,
    pub part_ipn: String,
    pub mpn: String,
    pub manufacturer: String,
    pub description: String,
    pub value: String,
    pub package: String,
    pub do_not_place: bool,
    pub optional: bool,
    pub consumable: bool,
    pub overage: String,
    pub note: String,
    /// Substitute parts, by IPN (else name), `; ` between them.
    pub substitutes: String,
    pub stock: Option<Decimal>,
    pub supplier: Option<String>,
    pub unit_price: Option<Decimal>,
    pub currency: Option<String>,
    pub extended_cost: Option<Decimal>,
    /// The BOM the line belongs to.
    #[serde(skip)]
    pub bom_id: i32,
}

/// One sheet of an export: a title and its rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub title: String,
    pub rows: Vec<ExportRow>,
}

#[derive(Debug, Clone)]
pub struct Export {
    pub bom: bom::Model,
    pub options: ExportOptions,
    /// One sheet, or with `Sheets::PerAssembly` one per BOM of the tree (the BOM first).
    pub sheets: Vec<Sheet>,
}
