//! Creating, changing and deleting parts; a change to a part's offers replaces them all.

use crate::events::Event;
use chrono::Utc;
use entity::{bom, bom_line, part, part_override, substitute};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

use super::input::PartInput;
use super::offer::replace_offers;
use super::read::get;
use super::rules::{check_trackable_quantities, check_variant_of, validate};
use crate::auth::Principal;
use crate::matching;
use crate::{ServiceError, ServiceResult};
use entity::DecimalText;

/// A new catalogue row from `input`, every field left out at its default; the one place
/// that derives the MPN match keys from the MPN. Checked by the caller.
pub fn new_row(team_id: i32, input: &PartInput) -> part::ActiveModel {
    let now = Utc::now();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let d = |v: Option<Decimal>| DecimalText::from(v.unwrap_or_default());
    part::ActiveModel {
        team_id: Set(team_id),
        name: Set(s(&input.name).trim().to_owned()),
        ipn: Set(s(&input.ipn)),
        description: Set(s(&input.description)),
        mpn: Set(s(&input.mpn)),
        mpn_key: Set(matching::mpn_key(&s(&input.mpn))),
        mpn_loose_key: Set(matching::mpn_loose_key(&s(&input.mpn))),
        manufacturer: Set(s(&input.manufacturer)),
        revision: Set(s(&input.revision)),
        units: Set(s(&input.units)),
        keywords: Set(s(&input.keywords)),
        link: Set(s(&input.link)),
        active: Set(input.active.unwrap_or(true)),
        assembly: Set(input.assembly.unwrap_or(false)),
        component: Set(input.component.unwrap_or(true)),
        purchaseable: Set(input.purchaseable.unwrap_or(true)),
        salable: Set(input.salable.unwrap_or(false)),
        trackable: Set(input.trackable.unwrap_or(false)),
        is_virtual: Set(input.is_virtual.unwrap_or(false)),
        is_template: Set(input.is_template.unwrap_or(false)),
        variant_of: Set(input.variant_of.flatten()),
        in_stock: Set(d(input.in_stock)),
        allocated: Set(d(input.allocated)),
        on_order: Set(d(input.on_order)),
        building: Set(d(input.building)),
        external_stock: Set(d(input.external_stock)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn create(
    db: &DatabaseConnection,
    p: &Principal,
    input: PartInput,
) -> ServiceResult<part::Model> {
    validate(&input, true)?;
    let team_id = p.write_team(input.team_id)?;
    let txn = crate::db::write(db).await?;
    if let Some(Some(parent)) = input.variant_of {
        check_variant_of(&txn, team_id, None, parent).await?;
    }
    let model = new_row(team_id, &input).insert(&txn).await?;
    if let Some(offers) = input.offers {
        replace_offers(&txn, &model, offers).await?;
    }
    crate::db::commit(txn).await?;
    Ok(model)
}

pub async fn update(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    input: PartInput,
) -> ServiceResult<part::Model> {
    validate(&input, false)?;
    let txn = crate::db::write(db).await?;
    let current = get(&txn, p, id).await?;
    p.ensure_write(current.team_id, "part")?;
    if let Some(Some(parent)) = input.variant_of {
        check_variant_of(&txn, current.team_id, Some(id), parent).await?;
    }
    let mut am: part::ActiveModel = current.clone().into();
    macro_rules! set {
        ($($field:ident),*) => {$(
            if let Some(v) = input.$field.clone() { am.$field = Set(v); }
        )*};
    }
    set!(
        ipn,
        description,
        mpn,
        manufacturer,
        revision,
        units,
        keywords,
        link
    );
    set!(
        active,
        assembly,
        component,
        purchaseable,
        salable,
        trackable,
        is_virtual,
        is_template
    );
    if let Some(name) = &input.name {
        am.name = Set(name.trim().to_owned());
    }
    if let Some(mpn) = &input.mpn {
        am.mpn_key = Set(matching::mpn_key(mpn));
        am.mpn_loose_key = Set(matching::mpn_loose_key(mpn));
    }
    if let Some(v) = input.variant_of {
        am.variant_of = Set(v);
    }
    macro_rules! set_dec {
        ($($field:ident),*) => {$(
            if let Some(v) = input.$field { am.$field = Set(v.into()); }
        )*};
    }
    set_dec!(in_stock, allocated, on_order, building, external_stock);
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await?;
    if let Some(offers) = input.offers {
        replace_offers(&txn, &model, offers).await?;
    }
    if input.trackable == Some(true) && !current.trackable {
        check_trackable_quantities(&txn, id).await?;
    }
    let stock = |m: &part::Model| {
        [
            &m.in_stock,
            &m.allocated,
            &m.on_order,
            &m.building,
            &m.external_stock,
        ]
        .map(|d| d.0)
    };
    let restocked = stock(&current) != stock(&model);
    crate::events::commit(db, txn, restocked.then(|| Event::stock(id))).await?;
    Ok(model)
}

/// Deleting a part that BOMs, substitutes or programs still use is refused, naming the use.
pub async fn delete(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = crate::db::write(db).await?;
    let current = get(&txn, p, id).await?;
    p.ensure_write(current.team_id, "part")?;
    let lines = bom_line::Entity::find()
        .filter(bom_line::Column::PartId.eq(id))
        .count(&txn)
        .await?;
    let subs = substitute::Entity::find()
        .filter(substitute::Column::PartId.eq(id))
        .count(&txn)
        .await?;
    let boms = bom::Entity::find()
        .filter(bom::Column::AssemblyPartId.eq(id))
        .count(&txn)
        .await?;
    let overrides = part_override::Entity::find()
        .filter(part_override::Column::ReplacementPartId.eq(id))
        .count(&txn)
        .await?;
    if lines + subs + boms + overrides > 0 {
        return Err(ServiceError::Conflict(format!(
            "The part is in use ({lines} BOM lines, {subs} substitutes, {boms} BOMs, \
             {overrides} program overrides) and cannot be deleted."
        )));
    }
    part::Entity::delete_by_id(id).exec(&txn).await?;
    crate::db::commit(txn).await?;
    Ok(())
}
