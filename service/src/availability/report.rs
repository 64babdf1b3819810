//! The reports of a program's availability and reference pricing, as both surfaces serve
//! them: the REST dialect returns them as they are, so they derive serde and their schema.
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod status {
    pub const ON_HAND: &str = "on_hand";
    pub const BUYABLE: &str = "buyable";
    pub const NEEDS_RFQ: &str = "needs_rfq";
    pub const SHORTAGE: &str = "shortage";
    pub const NO_MATCH: &str = "no_match";
}

// The REST dialect serves these reports as they are, so they describe themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PartAvailability {
    pub part_id: Option<i32>,
    /// The unmatched line, for `no_match`.
    pub bom_line_id: Option<i32>,
    pub name: String,
    pub demand: Decimal,
    pub on_hand: Decimal,
    /// Substitute stock this part draws on, from the program's shared pool.
    pub substitute_on_hand: Decimal,
    pub supplier_stock: Decimal,
    /// Still to get once on-hand and substitute stock are used.
    pub to_buy: Decimal,
    /// What neither stock nor suppliers can cover.
    pub shortfall: Decimal,
    pub status: String,
    pub reason: String,
}

/// The BOM revision one program line was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevisionUsed {
    pub program_line_id: i32,
    /// The BOM the line names.
    pub bom_id: i32,
    /// The BOM used: `bom_id`, or the latest approved revision of its chain when the line
    /// follows the chain.
    pub used_bom_id: i32,
    /// The used BOM's revision label.
    pub revision: String,
    pub follows_latest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Availability {
    pub program_id: i32,
    pub parts: Vec<PartAvailability>,
    /// Parts the program's overrides exclude.
    pub excluded: Vec<i32>,
    /// The revision each program line used.
    #[serde(default)]
    pub revisions: Vec<RevisionUsed>,
}

/// One part's purchase at one build quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PartPrice {
    pub part_id: i32,
    pub name: String,
    pub needed: Decimal,
    /// After minimum order quantity, order multiple and the first break.
    pub purchase_quantity: Decimal,
    pub supplier: Option<String>,
    pub offer_id: Option<i32>,
    pub break_quantity: Option<Decimal>,
    pub unit_price: Decimal,
    pub extended_price: Decimal,
    pub currency: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PricingAtQuantity {
    pub build_quantity: Decimal,
    pub parts: Vec<PartPrice>,
    /// Total per currency.
    pub totals: BTreeMap<String, Decimal>,
    /// Total per currency divided by the build quantity.
    pub per_unit: BTreeMap<String, Decimal>,
    /// Parts with no price: no offer with price breaks and no override price.
    pub unpriced: Vec<i32>,
    /// The revision each program line used.
    #[serde(default)]
    pub revisions: Vec<RevisionUsed>,
}
