//! The largest request body bomgraph accepts, and the 413 that refuses a larger one: the
//! guard, the retry, the GraphQL endpoint and the import all read bodies up to it.
use axum::http::StatusCode;
use axum::response::Response;

use super::surface::{refuse, Surface};

/// The largest request body accepted: room for a raw BOM or an import of tens of
/// thousands of lines. Enforced while reading, on every surface.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

pub fn too_large(surface: Surface) -> Response {
    refuse(
        surface,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        &format!(
            "The request body is larger than {} MiB, the most bomgraph accepts.",
            MAX_BODY_BYTES / (1024 * 1024)
        ),
    )
}
