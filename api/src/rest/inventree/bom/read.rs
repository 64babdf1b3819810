//! `GET /api/bom/` and `GET /api/bom/{id}/`: BomItems read, filtered, ordered and paged.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use super::filter::{details, line_filter, ordering};
use super::item::{render_one, BomResult};
use crate::rest::drf::{json_response, Id, Paging, Query, User};
use crate::rest::inventree::input::{BomItemFilters, BomItemView};
use crate::rest::inventree::schema::{self, BomItem, BomItemList};
use crate::rest::page::{check_unpaginated, list_request, listed};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/bom/", tag = "bom", params(BomItemFilters, BomItemView, Paging),
    responses(
        (status = 200, body = BomItemList),
        (status = 400, body = schema::BadRequest),
        (status = 401, body = schema::Detail),
    ))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    Query(filters, params): Query<BomItemFilters>,
    Query(view, _): Query<BomItemView>,
) -> BomResult {
    let filter = line_filter(&state, &p, filters).await?;
    let order = ordering(&view);
    let (paging, request) = list_request(&params)?;
    let page = service::bom_line::list(&state.db, &p, &filter, &order, request).await?;
    check_unpaginated(paging, page.total)?;
    let items = schema::bom_items(&state.db, &p, &page.items, details(&view)).await?;
    let body = listed(&headers, "/api/bom/", &params, paging, page.total, items);
    Ok(json_response(StatusCode::OK, &body))
}

#[utoipa::path(get, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path), BomItemView),
    responses((status = 200, body = BomItem), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Query(view, _): Query<BomItemView>,
) -> BomResult {
    let line = service::bom_line::get(&state.db, &p, id).await?;
    let item = render_one(&state, &p, &line, details(&view)).await?;
    Ok(json_response(StatusCode::OK, &item))
}
