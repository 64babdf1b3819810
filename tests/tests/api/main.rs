//! Black-box tests of the HTTP app: GraphQL, auth, tenancy, rules, pagination, statements.
//! They run on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
//!
//! A module is one behaviour, a folder one surface with several (`inventree/`, `cofactr/`).
//! Requests go through `tests::request` (the REST clients, `Reply::expect`, `fails`) and data
//! is made with `tests::builders` (`Part`, `bom`, `line`, `approve`, `program`, ...); a helper
//! two modules need goes there, not into either module.
mod bodies;
mod boms;
mod cofactr;
mod cors;
mod demo;
mod diff;
mod export;
mod faults;
mod graphql_http;
mod http;
mod input_policy;
mod inventree;
mod jobs;
mod limits;
mod lines;
mod matching;
mod node;
mod pagination;
mod parts;
mod payloads;
mod programs;
mod revisions;
mod rules;
mod statements;
mod structure;
mod subscriptions;
mod supply;
mod teams;
mod tenancy;
