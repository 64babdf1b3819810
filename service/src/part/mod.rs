//! The parts catalogue: parts, supplier offers and their price breaks.
//! Each concern is a file; this module names what the rest of bomgraph uses.
mod input;
mod offer;
mod read;
mod rules;
mod write;

pub use input::{OfferInput, PartInput, PriceBreakInput};
pub use offer::{breaks_for_offers, offers_for_parts};
pub use read::{ancestors, by_ids, get, list, PartFilter, SEARCHED};
pub use rules::{available_stock, is_currency_code};
pub use write::{create, delete, new_row, update};
