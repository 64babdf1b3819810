//! The GraphQL schema: one query and one mutation root, merged from the domain modules,
//! and the subscription root.
pub mod availability;
pub mod bom;
pub mod budget;
pub mod connection;
pub mod context;
pub mod error;
pub mod global_id;
pub mod http;
pub mod input_check;
pub mod job;
pub mod loaders;
pub mod metadata;
pub mod node;
pub mod part;
pub mod part_mutation;
pub mod persisted;
pub mod program;
pub mod program_mutation;
pub mod program_payload;
pub mod raw_bom;
pub mod raw_bom_mutation;
pub mod raw_bom_payload;
pub mod revision;
pub mod structure;
pub mod subscription;
pub mod team;
pub mod team_mutation;
pub mod ws;

use async_graphql::{MergedObject, Schema};

pub use subscription::Subscription;

pub use budget::{MAX_COMPLEXITY, MAX_DEPTH};

#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    structure::StructureQuery,
    part::PartQuery,
    bom::BomQuery,
    program::ProgramQuery,
    job::JobQuery,
    raw_bom::RawBomQuery,
    revision::RevisionQuery,
    availability::AvailabilityQuery,
    team::TeamQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    part_mutation::PartMutation,
    bom::BomMutation,
    bom::BomLineMutation,
    metadata::MetadataMutation,
    program_mutation::ProgramMutation,
    raw_bom_mutation::RawBomMutation,
    revision::RevisionMutation,
    availability::AvailabilityMutation,
    team_mutation::TeamMutation,
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

pub fn build_schema() -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// The SDL written to `schema.graphql`; async-graphql sorts types, so it is stable.
pub fn sdl() -> String {
    build_schema().sdl()
}
