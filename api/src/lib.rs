//! The HTTP app and CLI of bomgraph: GraphQL, GraphiQL, health and metrics.
//! Everything here translates onto `service`; no business rule and no SQL lives in this crate.

pub mod app;
pub mod auth;
pub mod cli;
pub mod cors;
pub mod edge;
pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod metrics;
pub mod rest;
pub mod worker;

pub use app::{router, AppState};
