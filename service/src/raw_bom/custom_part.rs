//! The team-private parts that custom raw lines stand for (`is_custom_part`): found again
//! by name and MPN, so that repeating an upsert creates no second part, else created.
use std::collections::{HashMap, HashSet};

use entity::part;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::wire::RawLine;
use crate::ServiceResult;

/// The name and MPN a custom line's part is known by among the team's custom parts.
pub(super) fn custom_key(raw: &RawLine) -> (String, String) {
    // stored trimmed, as every part name is
    let name = [&raw.custom_id, &raw.mpn, &raw.description]
        .into_iter()
        .filter_map(|v| v.as_deref().map(str::trim))
        .find(|v| !v.is_empty())
        .unwrap_or("Custom part");
    (name.to_owned(), raw.mpn.clone().unwrap_or_default())
}

fn new_custom_part(team_id: i32, raw: &RawLine) -> part::ActiveModel {
    let (name, mpn) = custom_key(raw);
    crate::part::new_row(
        team_id,
        &crate::part::PartInput {
            name: Some(name),
            description: raw.description.clone(),
            mpn: Some(mpn),
            manufacturer: raw.manufacturer_name.clone(),
            keywords: Some(CUSTOM.into()),
            link: raw.link.clone(),
            purchaseable: Some(false),
            ..Default::default()
        },
    )
}

/// Custom parts are marked by this keyword.
const CUSTOM: &str = "custom";

async fn find_custom_parts(
    db: &impl ConnectionTrait,
    team_id: i32,
    names: &[String],
) -> ServiceResult<HashMap<(String, String), part::Model>> {
    let mut found = HashMap::new();
    for chunk in names.chunks(crate::db::IN_CHUNK) {
        let rows = part::Entity::find()
            .filter(part::Column::TeamId.eq(team_id))
            .filter(part::Column::Keywords.eq(CUSTOM))
            .filter(part::Column::Name.is_in(chunk.iter().cloned()))
            .order_by_asc(part::Column::Id)
            .all(db)
            .await?;
        for p in rows {
            found.entry((p.name.clone(), p.mpn.clone())).or_insert(p);
        }
    }
    Ok(found)
}

/// The parts the custom lines stand for: found again by name and MPN among the team's
/// custom parts (so repeating an upsert creates nothing new), the missing ones created.
/// A few statements however many custom lines there are.
pub(super) async fn custom_parts(
    db: &impl ConnectionTrait,
    team_id: i32,
    raw: &[RawLine],
) -> ServiceResult<HashMap<(String, String), part::Model>> {
    let custom: Vec<&RawLine> = raw.iter().filter(|l| l.is_custom_part).collect();
    if custom.is_empty() {
        return Ok(HashMap::new());
    }
    let mut names: Vec<String> = custom.iter().map(|l| custom_key(l).0).collect();
    names.sort();
    names.dedup();
    let mut found = find_custom_parts(db, team_id, &names).await?;
    let mut seen = HashSet::new();
    let missing: Vec<part::ActiveModel> = custom
        .iter()
        .filter(|l| {
            let key = custom_key(l);
            !found.contains_key(&key) && seen.insert(key)
        })
        .map(|l| new_custom_part(team_id, l))
        .collect();
    if !missing.is_empty() {
        for chunk in missing.chunks(crate::db::INSERT_ROWS) {
            part::Entity::insert_many(chunk.to_vec()).exec(db).await?;
        }
        found = find_custom_parts(db, team_id, &names).await?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::{custom_key, new_custom_part};
    use crate::raw_bom::RawLine;

    fn raw(custom_id: Option<&str>, mpn: Option<&str>, description: Option<&str>) -> RawLine {
        RawLine {
            custom_id: custom_id.map(Into::into),
            mpn: mpn.map(Into::into),
            description: description.map(Into::into),
            is_custom_part: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_custom_part_is_named_by_its_id_else_its_mpn_else_its_description() {
        let name = |r: RawLine| custom_key(&r).0;
        assert_eq!(
            name(raw(Some(" BRKT-7 "), Some("X1"), Some("Bracket"))),
            "BRKT-7"
        );
        assert_eq!(name(raw(Some("  "), Some("X1"), Some("Bracket"))), "X1");
        assert_eq!(name(raw(None, None, Some("Bracket"))), "Bracket");
        assert_eq!(name(raw(None, None, None)), "Custom part");
    }

    #[test]
    fn two_custom_lines_are_one_part_when_name_and_mpn_agree() {
        let a = custom_key(&raw(Some("BRKT-7"), Some("X1"), None));
        assert_eq!(
            a,
            custom_key(&raw(Some("BRKT-7 "), Some("X1"), Some("other")))
        );
        assert_ne!(a, custom_key(&raw(Some("BRKT-7"), Some("X2"), None)));
    }

    #[test]
    fn a_custom_part_is_marked_and_not_purchaseable() {
        let row = new_custom_part(4, &raw(Some("BRKT-7"), Some("X1"), Some("Bracket")));
        assert_eq!(row.team_id.as_ref(), &4);
        assert_eq!(row.keywords.as_ref(), super::CUSTOM);
        assert!(!row.purchaseable.as_ref());
        assert_eq!(row.name.as_ref(), "BRKT-7");
    }
}
