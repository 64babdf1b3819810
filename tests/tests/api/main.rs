//! Black-box tests of the HTTP app: GraphQL, auth, tenancy, rules, pagination, statements.
//! They run on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
mod boms;
mod cofactr;
mod demo;
mod diff;
mod export;
mod faults;
mod fixtures;
mod http;
mod input_policy;
mod inventree;
mod inventree_import;
mod jobs;
mod limits;
mod lines;
mod matching;
mod pagination;
mod parts;
mod programs;
mod revisions;
mod rules;
mod statements;
mod structure;
mod supply;
mod teams;
mod tenancy;
