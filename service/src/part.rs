//! The parts catalogue: parts, supplier offers and their price breaks.
use std::collections::HashSet;

use chrono::Utc;
use entity::{bom, bom_line, part, part_override, price_break, substitute, supplier_offer};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::auth::Principal;
use crate::db::one_of;
use crate::decimal;
use crate::matching;
use crate::page::{Page, PageRequest};
use crate::search;
use crate::{limits, FieldErrors, ServiceError, ServiceResult};
use entity::DecimalText;

#[derive(Debug, Clone, Default)]
pub struct PartInput {
    pub team_id: Option<i32>,
    pub name: Option<String>,
    pub ipn: Option<String>,
    pub description: Option<String>,
    pub mpn: Option<String>,
    pub manufacturer: Option<String>,
    pub revision: Option<String>,
    pub units: Option<String>,
    pub keywords: Option<String>,
    pub link: Option<String>,
    pub active: Option<bool>,
    pub assembly: Option<bool>,
    pub component: Option<bool>,
    pub purchaseable: Option<bool>,
    pub salable: Option<bool>,
    pub trackable: Option<bool>,
    pub is_virtual: Option<bool>,
    pub is_template: Option<bool>,
    /// `Some(None)` clears it.
    pub variant_of: Option<Option<i32>>,
    pub in_stock: Option<Decimal>,
    pub allocated: Option<Decimal>,
    pub on_order: Option<Decimal>,
    pub building: Option<Decimal>,
    pub external_stock: Option<Decimal>,
    /// When given, replaces all offers of the part.
    pub offers: Option<Vec<OfferInput>>,
}

#[derive(Debug, Clone)]
pub struct OfferInput {
    pub supplier: String,
    pub sku: String,
    pub stock: Decimal,
    pub moq: Decimal,
    pub order_multiple: Decimal,
    pub lead_days: Option<i32>,
    pub currency: String,
    pub price_breaks: Vec<PriceBreakInput>,
}

#[derive(Debug, Clone)]
pub struct PriceBreakInput {
    pub quantity: Decimal,
    pub unit_price: Decimal,
}

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

fn check_text(errors: &mut FieldErrors, field: &str, value: &Option<String>, max: usize) {
    if let Some(v) = value {
        limits::check_length(errors, field, v, max);
    }
}

fn validate(input: &PartInput, creating: bool) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(n) if n.trim().is_empty() => errors.add("name", "This field may not be blank."),
        None if creating => errors.add("name", "This field is required."),
        _ => {}
    }
    check_text(&mut errors, "name", &input.name, limits::PART_NAME);
    check_text(&mut errors, "ipn", &input.ipn, limits::PART_IPN);
    check_text(
        &mut errors,
        "description",
        &input.description,
        limits::PART_DESCRIPTION,
    );
    check_text(&mut errors, "mpn", &input.mpn, limits::PART_MPN);
    check_text(
        &mut errors,
        "manufacturer",
        &input.manufacturer,
        limits::PART_MANUFACTURER,
    );
    check_text(
        &mut errors,
        "revision",
        &input.revision,
        limits::PART_REVISION,
    );
    check_text(&mut errors, "units", &input.units, limits::PART_UNITS);
    check_text(
        &mut errors,
        "keywords",
        &input.keywords,
        limits::PART_KEYWORDS,
    );
    check_text(&mut errors, "link", &input.link, limits::PART_LINK);
    for (field, value) in [
        ("in_stock", input.in_stock),
        ("allocated", input.allocated),
        ("on_order", input.on_order),
        ("building", input.building),
        ("external_stock", input.external_stock),
    ] {
        if let Some(v) = value {
            decimal::check_amount(&mut errors, field, v);
        }
    }
    for offer in input.offers.iter().flatten() {
        if offer.supplier.trim().is_empty() {
            errors.add("offers", "Each offer needs a supplier.");
        }
        if offer.moq < Decimal::ONE || offer.order_multiple < Decimal::ONE {
            errors.add("offers", "moq and order_multiple must be at least 1.");
        } else {
            decimal::check_amount(&mut errors, "offers", offer.moq);
            decimal::check_amount(&mut errors, "offers", offer.order_multiple);
        }
        decimal::check_amount(&mut errors, "offers", offer.stock);
        if !is_currency_code(&offer.currency) {
            errors.add(
                "offers",
                "currency must be a three-letter ISO 4217 code such as USD.",
            );
        }
        for pb in &offer.price_breaks {
            if pb.quantity <= Decimal::ZERO {
                errors.add(
                    "offers",
                    "Price break quantities must be greater than zero.",
                );
            }
            decimal::check_amount(&mut errors, "offers", pb.quantity);
            decimal::check_amount(&mut errors, "offers", pb.unit_price);
        }
    }
    errors.into_result()
}

/// A part the principal may read.
pub async fn get(db: &impl ConnectionTrait, p: &Principal, id: i32) -> ServiceResult<part::Model> {
    let part = part::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("part"))?;
    p.ensure_read(part.team_id, "part")?;
    Ok(part)
}

/// Parts by id, restricted to the principal's teams (for loaders).
pub async fn by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<part::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::db::in_chunks(ids, |chunk| {
        part::Entity::find()
            .filter(one_of(db.get_database_backend(), part::Column::Id, chunk))
            .filter(one_of(
                db.get_database_backend(),
                part::Column::TeamId,
                p.team_ids(),
            ))
            .all(db)
    })
    .await?)
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

/// `variant_of` must be a part of the same team and must not make the variant tree a loop.
async fn check_variant_of(
    db: &impl ConnectionTrait,
    team_id: i32,
    part_id: Option<i32>,
    parent: i32,
) -> ServiceResult<()> {
    let mut current = Some(parent);
    let mut seen = HashSet::new();
    while let Some(id) = current {
        if Some(id) == part_id || !seen.insert(id) {
            return Err(FieldErrors::single(
                "variant_of",
                "A part cannot be a variant of itself.",
            ));
        }
        let row = part::Entity::find_by_id(id)
            .filter(part::Column::TeamId.eq(team_id))
            .one(db)
            .await?
            .ok_or_else(|| FieldErrors::single("variant_of", "Select a valid part."))?;
        current = row.variant_of;
    }
    Ok(())
}

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
        crate::bom_line::check_trackable_quantities(&txn, id).await?;
    }
    crate::db::commit(txn).await?;
    Ok(model)
}

async fn replace_offers(
    db: &impl ConnectionTrait,
    part: &part::Model,
    offers: Vec<OfferInput>,
) -> ServiceResult<()> {
    supplier_offer::Entity::delete_many()
        .filter(supplier_offer::Column::PartId.eq(part.id))
        .exec(db)
        .await?;
    for offer in offers {
        let saved = supplier_offer::ActiveModel {
            team_id: Set(part.team_id),
            part_id: Set(part.id),
            supplier: Set(offer.supplier.trim().to_owned()),
            sku: Set(offer.sku),
            stock: Set(offer.stock.into()),
            moq: Set(offer.moq.into()),
            order_multiple: Set(offer.order_multiple.into()),
            lead_days: Set(offer.lead_days),
            currency: Set(offer.currency),
            ..Default::default()
        }
        .insert(db)
        .await?;
        if offer.price_breaks.is_empty() {
            continue;
        }
        price_break::Entity::insert_many(offer.price_breaks.into_iter().map(|pb| {
            price_break::ActiveModel {
                team_id: Set(part.team_id),
                offer_id: Set(saved.id),
                quantity: Set(pb.quantity.into()),
                unit_price: Set(pb.unit_price.into()),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
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

pub async fn offers_for_parts(
    db: &impl ConnectionTrait,
    part_ids: &[i32],
) -> ServiceResult<Vec<supplier_offer::Model>> {
    if part_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::db::in_chunks(part_ids, |chunk| {
        supplier_offer::Entity::find()
            .filter(one_of(
                db.get_database_backend(),
                supplier_offer::Column::PartId,
                chunk,
            ))
            .order_by_asc(supplier_offer::Column::Id)
            .all(db)
    })
    .await?)
}

pub async fn breaks_for_offers(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
) -> ServiceResult<Vec<price_break::Model>> {
    if offer_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::db::in_chunks(offer_ids, |chunk| {
        price_break::Entity::find()
            .filter(one_of(
                db.get_database_backend(),
                price_break::Column::OfferId,
                chunk,
            ))
            .order_by_asc(price_break::Column::Id)
            .all(db)
    })
    .await?)
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

/// Available stock as InvenTree defines it: in stock less allocated, never below zero.
pub fn available_stock(part: &part::Model) -> Decimal {
    (part.in_stock.0 - part.allocated.0)
        .max(Decimal::ZERO)
        .normalize()
}

/// A three-letter ISO 4217 code such as USD.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}
