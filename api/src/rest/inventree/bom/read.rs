//! `GET /api/bom/` and `GET /api/bom/{id}/`: BomItems read, filtered, ordered and paged.
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};

use super::filter::{details, line_filter, ordering};
use super::item::{err, render_one};
use crate::rest::drf::{json_response, params_of, path_id, RestResult, User};
use crate::rest::inventree::schema::{self, BomItem, BomItemList, PaginatedBomItemList};
use crate::rest::page::{check_unpaginated, list_request, page_links};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/bom/", tag = "bom",
    params(
        ("part" = Option<i32>, Query, description = "Lines of the assembly's BOM, with inherited lines of its templates"),
        ("uses" = Option<i32>, Query, description = "Lines using the part directly, as a substitute, or through allow_variants"),
        ("validated" = Option<bool>, Query), ("optional" = Option<bool>, Query), ("consumable" = Option<bool>, Query),
        ("inherited" = Option<bool>, Query), ("allow_variants" = Option<bool>, Query), ("has_pricing" = Option<bool>, Query),
        ("available_stock" = Option<bool>, Query), ("on_order" = Option<bool>, Query), ("part_active" = Option<bool>, Query),
        ("part_trackable" = Option<bool>, Query), ("sub_part_trackable" = Option<bool>, Query),
        ("sub_part_assembly" = Option<bool>, Query), ("search" = Option<String>, Query),
        ("ordering" = Option<String>, Query), ("part_detail" = Option<bool>, Query), ("sub_part_detail" = Option<bool>, Query),
        ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query),
    ),
    responses(
        (status = 200, body = BomItemList),
        (status = 400, body = schema::BadRequest),
        (status = 401, body = schema::Detail),
    ))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    let filter = line_filter(&state, &p, &params).await?;
    let order = ordering(&params);
    let (paging, request) = list_request(&params)?;
    let page = service::bom_line::list(&state.db, &p, &filter, &order, request)
        .await
        .map_err(err)?;
    check_unpaginated(paging, page.total)?;
    let items = schema::bom_items(&state.db, &p, &page.items, details(&params))
        .await
        .map_err(err)?;
    let body = match paging {
        None => BomItemList::All(items),
        Some((limit, offset)) => {
            let (next, previous) =
                page_links(&headers, "/api/bom/", &params, limit, offset, page.total);
            BomItemList::Page(PaginatedBomItemList {
                count: page.total,
                next,
                previous,
                results: items,
            })
        }
    };
    Ok(json_response(StatusCode::OK, &body))
}

#[utoipa::path(get, path = "/api/bom/{id}/", tag = "bom",
    params(("id" = i32, Path), ("part_detail" = Option<bool>, Query), ("sub_part_detail" = Option<bool>, Query)),
    responses((status = 200, body = BomItem), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> RestResult {
    let line = service::bom_line::get(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    let params = params_of(q.as_deref());
    Ok(json_response(
        StatusCode::OK,
        &render_one(&state, &p, &line, details(&params)).await?,
    ))
}
