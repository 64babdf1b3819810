//! Raw BOM lines (as CAD tools export them): matching, summing, async upserts, aliases.
use async_graphql::{Context, InputObject, Json, Object, ID};
use chrono::{DateTime, Utc};
use entity::manufacturer_alias;
use rust_decimal::Decimal;
use serde_json::Value;
use service::raw_bom::RawLine;

use super::context::{db, principal};
use super::error::GqlResult;
use super::global_id::{to_id, NodeKind};

/// Cofactr's CreateRawBomLine.
#[derive(InputObject, Default, Clone)]
pub struct RawBomLineInput {
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    #[graphql(default)]
    pub alternative_mpns: Vec<String>,
    pub manufacturer_name: Option<String>,
    /// Zero means "count the reference designators".
    #[graphql(default)]
    pub quantity: Decimal,
    /// e.g. "R1-R4, R7 R9"
    pub reference_designators_string: Option<String>,
    #[graphql(default)]
    pub reference_designators: Vec<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    #[graphql(default)]
    pub do_not_place: bool,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub metadata: Option<Json<Value>>,
    #[graphql(default)]
    pub is_custom_part: bool,
}

impl From<RawBomLineInput> for RawLine {
    fn from(l: RawBomLineInput) -> Self {
        RawLine {
            custom_id: l.custom_id,
            mpn: l.mpn,
            alternative_mpns: l.alternative_mpns,
            manufacturer_name: l.manufacturer_name,
            quantity: l.quantity,
            reference_designators_string: l.reference_designators_string,
            reference_designators: l.reference_designators,
            description: l.description,
            link: l.link,
            comments: l.comments,
            do_not_place: l.do_not_place,
            line_number: l.line_number,
            value: l.value,
            package: l.package,
            mount_type: l.mount_type,
            metadata: l.metadata.map(|m| m.0),
            is_custom_part: l.is_custom_part,
        }
    }
}

/// The Upsert BOM Async body.
#[derive(InputObject)]
pub struct UpsertBomAsyncInput {
    pub team_id: Option<ID>,
    pub name: String,
    pub version: Option<String>,
    pub part_number: Option<String>,
    #[graphql(default)]
    pub approved: bool,
    #[graphql(default)]
    pub lines: Vec<RawBomLineInput>,
    pub metadata: Option<Json<Value>>,
    pub integration_record_id: Option<String>,
    pub synced_from_integration: Option<bool>,
    pub integration_source_name: Option<String>,
    pub synced_from_integration_at: Option<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct ManufacturerAlias(pub manufacturer_alias::Model);

#[Object]
impl ManufacturerAlias {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::ManufacturerAlias, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn team_id(&self) -> ID {
        to_id(NodeKind::Team, self.0.team_id)
    }
    #[graphql(flatten)]
    async fn columns(&self) -> &manufacturer_alias::Model {
        &self.0
    }
}

#[derive(Default)]
pub struct RawBomQuery;

#[Object]
impl RawBomQuery {
    /// The manufacturer aliases of the user's teams.
    async fn manufacturer_aliases(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ManufacturerAlias>> {
        let p = principal(ctx)?;
        Ok(service::manufacturer::list(db(ctx), p)
            .await
            .gql()?
            .into_iter()
            .map(ManufacturerAlias)
            .collect())
    }
}
