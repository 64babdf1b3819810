//! Subscriptions over `/graphql/ws`: the two subprotocols and their refusals, a job followed
//! to its end, and a BOM's changes as every surface makes them, with tenancy and across
//! instances.
mod boms;
mod jobs;
mod parts;
mod protocol;
