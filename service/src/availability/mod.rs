//! What a program needs, what it is short of, and what it costs.
//!
//! Demand per part = over the program's lines, build quantity x line quantity (+ overage),
//! with sub-assemblies exploded to their parts (do-not-place lines need nothing), then the
//! program's part overrides. Supply = on hand (in stock less allocated, or the override's
//! fixed figure), the pooled stock of the lines' substitutes, and supplier stock.
//!
//! Substitute stock is one pool shared by the whole program: a substitute first covers its
//! own demand when the program needs it directly, and what is left goes to the parts it
//! stands in for, in part order, so no unit is counted twice.
mod context;
mod demand;
mod pricing;
mod report;
mod supply;

pub(crate) use demand::{demand, with_overage};
pub(crate) use pricing::best_offer;
pub use pricing::{
    purchase_quantity, reference_pricing, DEFAULT_BUILD_QUANTITIES, MAX_BUILD_QUANTITIES,
};
pub use report::{
    status, Availability, PartAvailability, PartPrice, PricingAtQuantity, RevisionUsed,
};
pub use supply::availability;
