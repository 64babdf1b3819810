//! What every request passes through before a handler sees it, and what it leaves with:
//! refusals in the shape of the surface it came to, body limits and media types, the
//! input policy, one retry when the database dropped it, and the request's log line.
pub mod body_limit;
pub mod guard;
pub mod request_id;
pub mod retry;
pub mod surface;
pub mod telemetry;
