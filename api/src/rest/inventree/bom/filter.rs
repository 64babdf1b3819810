//! The BomItem list's query parameters: InvenTree's filters onto `LineFilter`, `ordering`
//! onto `LineOrder`, and the `*_detail` switches.
use service::auth::Principal;
use service::bom_line::{LineFilter, LineOrder, LineOrderField};

use crate::rest::drf::{flag, Params, RestError};
use crate::rest::inventree::schema::Details;
use crate::state::AppState;

/// The list filters that take a boolean.
const BOOL_FILTERS: [&str; 12] = [
    "validated",
    "optional",
    "consumable",
    "inherited",
    "allow_variants",
    "has_pricing",
    "available_stock",
    "on_order",
    "part_active",
    "part_trackable",
    "sub_part_trackable",
    "sub_part_assembly",
];

/// Every filter key of the list (and so of bulk delete).
pub fn is_filter_key(key: &str) -> bool {
    BOOL_FILTERS.contains(&key) || ["part", "uses", "search"].contains(&key)
}

/// `part` and `uses` must name a part the user can see.
async fn part_choice(
    state: &AppState,
    p: &Principal,
    key: &str,
    value: &str,
) -> Result<i32, RestError> {
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
    Ok(id)
}

/// InvenTree's list filters onto `LineFilter`; unknown keys are ignored.
pub async fn line_filter(
    state: &AppState,
    p: &Principal,
    params: &Params,
) -> Result<LineFilter, RestError> {
    let mut f = LineFilter::default();
    if let Some(v) = params.get("part").filter(|v| !v.is_empty()) {
        f.part = Some(part_choice(state, p, "part", v).await?);
    }
    if let Some(v) = params.get("uses").filter(|v| !v.is_empty()) {
        f.uses = Some(part_choice(state, p, "uses", v).await?);
    }
    f.validated = flag(params, "validated");
    f.optional = flag(params, "optional");
    f.consumable = flag(params, "consumable");
    f.inherited = flag(params, "inherited");
    f.allow_variants = flag(params, "allow_variants");
    f.has_pricing = flag(params, "has_pricing");
    f.available_stock = flag(params, "available_stock");
    f.on_order = flag(params, "on_order");
    f.part_active = flag(params, "part_active");
    f.part_trackable = flag(params, "part_trackable");
    f.sub_part_trackable = flag(params, "sub_part_trackable");
    f.sub_part_assembly = flag(params, "sub_part_assembly");
    f.search = params
        .get("search")
        .filter(|s| !s.trim().is_empty())
        .cloned();
    Ok(f)
}

/// `ordering`: comma-separated fields, each `-` for descending, applied in turn (as DRF's
/// OrderingFilter does); unknown names are ignored.
pub(super) fn ordering(params: &Params) -> Vec<LineOrder> {
    let mut order = Vec::new();
    for name in params
        .get("ordering")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
    {
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

pub fn details(params: &Params) -> Details {
    Details {
        part: flag(params, "part_detail").unwrap_or(false),
        sub_part: flag(params, "sub_part_detail").unwrap_or(false),
    }
}
