//! Reading the catalogue: a part, parts by id, the filtered list, and a part's template
//! ancestors.

use entity::part;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::auth::Principal;
use crate::page::{Page, PageRequest};
use crate::search;
use crate::ServiceResult;

#[derive(Debug, Clone, Default)]
pub struct PartFilter {
    pub search: Option<String>,
    pub active: Option<bool>,
    pub assembly: Option<bool>,
    pub component: Option<bool>,
    pub purchaseable: Option<bool>,
    pub salable: Option<bool>,
    pub trackable: Option<bool>,
    pub is_virtual: Option<bool>,
    pub is_template: Option<bool>,
    pub variant_of: Option<i32>,
    pub team_id: Option<i32>,
}

/// A part the principal may read.
pub async fn get(db: &impl ConnectionTrait, p: &Principal, id: i32) -> ServiceResult<part::Model> {
    let part = crate::owned::find::<part::Entity>(db, p, id).await?;
    Ok(part)
}

/// Parts by id, restricted to the principal's teams (for loaders).
pub async fn by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<part::Model>> {
    crate::owned::by_ids::<part::Entity>(db, p, ids).await
}

/// The fields a part search looks in.
pub const SEARCHED: [part::Column; 7] = [
    part::Column::Name,
    part::Column::Ipn,
    part::Column::Description,
    part::Column::Mpn,
    part::Column::Manufacturer,
    part::Column::Keywords,
    part::Column::Revision,
];

pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
    filter: &PartFilter,
    page: PageRequest,
) -> ServiceResult<Page<part::Model>> {
    let mut q = part::Entity::find().filter(part::Column::TeamId.is_in(p.team_ids()));
    if let Some(team) = filter.team_id {
        q = q.filter(part::Column::TeamId.eq(team));
    }
    let flags = [
        (part::Column::Active, filter.active),
        (part::Column::Assembly, filter.assembly),
        (part::Column::Component, filter.component),
        (part::Column::Purchaseable, filter.purchaseable),
        (part::Column::Salable, filter.salable),
        (part::Column::Trackable, filter.trackable),
        (part::Column::IsVirtual, filter.is_virtual),
        (part::Column::IsTemplate, filter.is_template),
    ];
    for (col, value) in flags {
        if let Some(v) = value {
            q = q.filter(col.eq(v));
        }
    }
    if let Some(v) = filter.variant_of {
        q = q.filter(part::Column::VariantOf.eq(v));
    }
    for term in search::terms(filter.search.as_deref()) {
        q = q.filter(search::any_contains(
            db.get_database_backend(),
            SEARCHED.map(|c| (part::Entity, c)),
            term,
        ));
    }
    let total = q.clone().count(db).await?;
    let window = page.window(total);
    let items = q
        .order_by_asc(part::Column::Name)
        .order_by_asc(part::Column::Id)
        .offset(window.offset)
        .limit(window.limit)
        .all(db)
        .await?;
    Ok(Page {
        items,
        total,
        window,
    })
}

/// The part and its ancestors up the variant tree (`variant_of`), nearest first.
pub async fn ancestors(db: &impl ConnectionTrait, part_id: i32) -> ServiceResult<Vec<i32>> {
    let mut out = Vec::new();
    let mut current = part::Entity::find_by_id(part_id)
        .one(db)
        .await?
        .and_then(|p| p.variant_of);
    while let Some(id) = current {
        if out.contains(&id) || id == part_id {
            break;
        }
        out.push(id);
        current = part::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|p| p.variant_of);
    }
    Ok(out)
}
