//! The fields a part write may set, with the supplier offers and price breaks that come
//! with it.

use rust_decimal::Decimal;

#[derive(Debug, Clone, Default)]
pub struct PartInput {
    pub team_id: Option<i32>,
    pub name: Option<String>,
    pub ipn: Option<String>,
    pub description: Option<String>,
    pub mpn: Option<String>,
    pub manufacturer: Option<String>,
    pub revision: Option<String>,
    pub units: Option<String>,
    pub keywords: Option<String>,
    pub link: Option<String>,
    pub active: Option<bool>,
    pub assembly: Option<bool>,
    pub component: Option<bool>,
    pub purchaseable: Option<bool>,
    pub salable: Option<bool>,
    pub trackable: Option<bool>,
    pub is_virtual: Option<bool>,
    pub is_template: Option<bool>,
    /// `Some(None)` clears it.
    pub variant_of: Option<Option<i32>>,
    pub in_stock: Option<Decimal>,
    pub allocated: Option<Decimal>,
    pub on_order: Option<Decimal>,
    pub building: Option<Decimal>,
    pub external_stock: Option<Decimal>,
    /// When given, replaces all offers of the part.
    pub offers: Option<Vec<OfferInput>>,
}

#[derive(Debug, Clone)]
pub struct OfferInput {
    pub supplier: String,
    pub sku: String,
    pub stock: Decimal,
    pub moq: Decimal,
    pub order_multiple: Decimal,
    pub lead_days: Option<i32>,
    pub currency: String,
    pub price_breaks: Vec<PriceBreakInput>,
}

#[derive(Debug, Clone)]
pub struct PriceBreakInput {
    pub quantity: Decimal,
    pub unit_price: Decimal,
}
