//! The REST shim: InvenTree's dialect at `/api/...`, Cofactr's at `/v1/...`. Handlers
//! translate onto `service`.
pub mod cofactr;
pub mod drf;
pub mod inventree;
pub mod page;
