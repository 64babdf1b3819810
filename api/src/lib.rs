//! The HTTP app and CLI of bomgraph: GraphQL, GraphiQL, health and metrics.
//! Everything here translates onto `service`; no business rule and no SQL lives in this crate.

pub mod auth;
pub mod cli;
pub mod cors;
pub mod edge;
pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod metrics;
pub mod rest;
pub mod router;
pub mod state;
pub mod worker;

pub use router::router;
pub use state::AppState;
