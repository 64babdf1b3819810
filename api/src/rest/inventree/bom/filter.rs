//! The BomItem list's query parameters: InvenTree's filters onto `LineFilter`, `ordering`
//! onto `LineOrder`, and the `*_detail` switches.
use service::auth::Principal;
use service::bom_line::{LineFilter, LineOrder, LineOrderField};
use utoipa::IntoParams;

use crate::rest::drf::RestError;
use crate::rest::inventree::input::{BomItemFilters, BomItemView};
use crate::rest::inventree::schema::Details;
use crate::state::AppState;

/// Every filter key of the list (and so of bulk delete): the fields of `BomItemFilters`.
pub fn is_filter_key(key: &str) -> bool {
    BomItemFilters::into_params(|| None)
        .iter()
        .any(|p| p.name == key)
}

/// `part` and `uses` must name a part the user can see.
async fn part_choice(
    state: &AppState,
    p: &Principal,
    key: &str,
    value: &Option<String>,
) -> Result<Option<i32>, RestError> {
    let Some(value) = value.as_deref().filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let invalid = || {
        crate::rest::drf::bad_request(
            key,
            "Select a valid choice. That choice is not one of the available choices.",
        )
    };
    let id: i32 = value.trim().parse().map_err(|_| invalid())?;
    service::part::get(&state.db, p, id)
        .await
        .map_err(|_| invalid())?;
    Ok(Some(id))
}

/// InvenTree's list filters onto `LineFilter`.
pub async fn line_filter(
    state: &AppState,
    p: &Principal,
    f: BomItemFilters,
) -> Result<LineFilter, RestError> {
    Ok(LineFilter {
        part: part_choice(state, p, "part", &f.part).await?,
        uses: part_choice(state, p, "uses", &f.uses).await?,
        validated: f.validated.0,
        optional: f.optional.0,
        consumable: f.consumable.0,
        inherited: f.inherited.0,
        allow_variants: f.allow_variants.0,
        has_pricing: f.has_pricing.0,
        available_stock: f.available_stock.0,
        on_order: f.on_order.0,
        part_active: f.part_active.0,
        part_trackable: f.part_trackable.0,
        sub_part_trackable: f.sub_part_trackable.0,
        sub_part_assembly: f.sub_part_assembly.0,
        search: f.search.filter(|s| !s.trim().is_empty()),
        ..Default::default()
    })
}

/// `ordering`: comma-separated fields, each `-` for descending, applied in turn (as DRF's
/// OrderingFilter does); unknown names are ignored.
pub(super) fn ordering(view: &BomItemView) -> Vec<LineOrder> {
    let mut order = Vec::new();
    for name in view.ordering.as_deref().unwrap_or("").split(',') {
        let name = name.trim();
        let (descending, key) = name.strip_prefix('-').map_or((false, name), |k| (true, k));
        let field = match key {
            "quantity" => LineOrderField::Quantity,
            "sub_part" => LineOrderField::SubPart,
            "available_stock" => LineOrderField::AvailableStock,
            "allow_variants" => LineOrderField::AllowVariants,
            "inherited" => LineOrderField::Inherited,
            "optional" => LineOrderField::Optional,
            "consumable" => LineOrderField::Consumable,
            _ => continue,
        };
        order.push(LineOrder { field, descending });
    }
    order
}

pub fn details(view: &BomItemView) -> Details {
    Details {
        part: view.part_detail.on(),
        sub_part: view.sub_part_detail.on(),
    }
}
