//! A part's supplier offers and their price breaks: replaced as a whole on write, and read
//! in batches for the figures, availability and pricing.

use entity::{part, price_break, supplier_offer};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::input::OfferInput;
use crate::db::one_of;
use crate::ServiceResult;

pub(super) async fn replace_offers(
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
