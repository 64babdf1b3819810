//! The `Node` interface and the `node` and `nodes` roots: any object found again by its
//! global id, read through the request's loaders, so aliases of `node` and the ids of one
//! type in `nodes` cost one statement per type. An id of another team's row answers null,
//! exactly like an id of no row; an id that is not a global id is a `VALIDATION` error.
use std::collections::HashMap;

use async_graphql::{Context, Interface, Object, ID};
use service::FieldErrors;

use super::bom::{Bom, BomLine, Substitute};
use super::budget::charged;
use super::context::{loaders, principal};
use super::error::to_gql;
use super::global_id::{decode_field, NodeKind};
use super::job::Job;
use super::part::{Offer, Part, PriceBreak};
use super::program::{PartOverride, Program, ProgramLine};
use super::raw_bom::ManufacturerAlias;
use super::structure::Me;
use super::team::{ApiToken, Team, TeamMember, User};

/// The most ids one `nodes` takes: a screenful of objects to refresh, not a bulk export
/// (that is what the connections page through).
pub const MAX_NODES: usize = 100;

/// An object with a global id, found again by `node(id:)`.
#[derive(Interface, Clone)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The global id: opaque, naming the type and the row."
))]
pub enum Node {
    ApiToken(ApiToken),
    Bom(Bom),
    BomLine(BomLine),
    Job(Job),
    ManufacturerAlias(ManufacturerAlias),
    Me(Me),
    Offer(Offer),
    Part(Part),
    PartOverride(PartOverride),
    PriceBreak(PriceBreak),
    Program(Program),
    ProgramLine(ProgramLine),
    Substitute(Substitute),
    Team(Team),
    TeamMember(TeamMember),
    User(User),
}

/// Rows of one loader as nodes, keyed by row id.
fn nodes_of<M>(rows: HashMap<i32, M>, node: impl Fn(M) -> Node) -> HashMap<i32, Node> {
    rows.into_iter().map(|(id, m)| (id, node(m))).collect()
}

/// Row `row` of `kind` as a node, or `None` when the caller may not read it.
pub async fn load_one(
    ctx: &Context<'_>,
    kind: NodeKind,
    row: i32,
) -> async_graphql::Result<Option<Node>> {
    Ok(load(ctx, kind, vec![row]).await?.remove(&row))
}

/// The objects of `kind` among `rows` that the caller may read, keyed by row id.
async fn load(
    ctx: &Context<'_>,
    kind: NodeKind,
    rows: Vec<i32>,
) -> async_graphql::Result<HashMap<i32, Node>> {
    let (l, p) = (loaders(ctx), principal(ctx)?);
    let sub = |model| {
        Node::Substitute(Substitute {
            model,
            bundle: None,
        })
    };
    let offer = |model| {
        Node::Offer(Offer {
            model,
            breaks: None,
        })
    };
    Ok(match kind {
        NodeKind::ApiToken => nodes_of(l.tokens.load_many(rows).await?, |t| {
            Node::ApiToken(ApiToken(t))
        }),
        NodeKind::Bom => nodes_of(l.boms.load_many(rows).await?, |b| Node::Bom(Bom(b))),
        NodeKind::BomLine => nodes_of(l.lines.load_many(rows).await?, |m| {
            Node::BomLine(BomLine::new(m))
        }),
        NodeKind::Job => nodes_of(l.jobs.load_many(rows).await?, |j| Node::Job(Job(j))),
        NodeKind::ManufacturerAlias => {
            nodes_of(l.manufacturer_aliases.load_many(rows).await?, |a| {
                Node::ManufacturerAlias(ManufacturerAlias(a))
            })
        }
        NodeKind::Me => rows
            .into_iter()
            .filter(|r| *r == p.user_id)
            .map(|r| (r, Node::Me(Me::of(p))))
            .collect(),
        NodeKind::Offer => nodes_of(l.offers.load_many(rows).await?, offer),
        NodeKind::Part => nodes_of(l.parts.load_many(rows).await?, |m| Node::Part(Part::new(m))),
        NodeKind::PartOverride => nodes_of(l.part_overrides.load_many(rows).await?, |o| {
            Node::PartOverride(PartOverride(o))
        }),
        NodeKind::PriceBreak => nodes_of(l.price_breaks.load_many(rows).await?, |b| {
            Node::PriceBreak(PriceBreak(b))
        }),
        NodeKind::Program => nodes_of(l.programs.load_many(rows).await?, |m| {
            Node::Program(Program(m))
        }),
        NodeKind::ProgramLine => nodes_of(l.program_lines_by_id.load_many(rows).await?, |m| {
            Node::ProgramLine(ProgramLine(m))
        }),
        NodeKind::Substitute => nodes_of(l.substitutes.load_many(rows).await?, sub),
        // The principal carries the caller's teams; any other team does not exist for them.
        NodeKind::Team => p
            .teams
            .iter()
            .filter(|t| rows.contains(&t.team_id))
            .map(|t| (t.team_id, Node::Team(Team::from(t))))
            .collect(),
        NodeKind::TeamMember => nodes_of(l.members.load_many(rows).await?, |m| {
            Node::TeamMember(TeamMember(m))
        }),
        NodeKind::User => nodes_of(l.users.load_many(rows).await?, |u| Node::User(User(u))),
    })
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global id; null when there is none the caller may read.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        principal(ctx)?;
        let (kind, row) = decode_field("id", &id)?;
        Ok(load(ctx, kind, vec![row]).await?.remove(&row))
    }

    /// The objects with these global ids, in the order asked, null for each one that is
    /// missing or that the caller may not read; at most 100 ids. The ids of
    /// one type are read in one statement.
    #[graphql(complexity = "ids.len().min(MAX_NODES) * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        principal(ctx)?;
        if ids.len() > MAX_NODES {
            return Err(to_gql(FieldErrors::single(
                "ids",
                format!(
                    "Ensure this list has no more than {MAX_NODES} ids (it has {}); ask again \
                     for the rest.",
                    ids.len()
                ),
            )));
        }
        let wanted = ids
            .iter()
            .enumerate()
            .map(|(i, id)| decode_field(&format!("ids[{i}]"), id))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let mut by_kind: HashMap<NodeKind, Vec<i32>> = HashMap::new();
        for (kind, row) in &wanted {
            by_kind.entry(*kind).or_default().push(*row);
        }
        let loads = by_kind.into_iter().map(|(kind, rows)| async move {
            load(ctx, kind, rows).await.map(|found| (kind, found))
        });
        let found: HashMap<NodeKind, HashMap<i32, Node>> = futures::future::try_join_all(loads)
            .await?
            .into_iter()
            .collect();
        let answer = wanted
            .iter()
            .map(|(kind, row)| found.get(kind).and_then(|rows| rows.get(row)).cloned())
            .collect();
        charged(ctx, answer).await
    }
}
