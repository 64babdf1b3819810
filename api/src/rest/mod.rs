//! The REST shim: InvenTree's dialect at `/api/...`. Handlers translate onto `service`.
pub mod drf;
pub mod inventree;
