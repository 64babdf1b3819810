//! Rows made by hand for the unit tests of pure rules.
use entity::bom_line;
use entity::{IdList, StringList};

/// A line of BOM 1 in team 1, with the given part, quantity and designators.
pub fn line(id: i32, part: Option<i32>, quantity: &str, designators: &[&str]) -> bom_line::Model {
    bom_line::Model {
        id,
        team_id: 1,
        bom_id: 1,
        part_id: part,
        quantity: quantity.parse().expect("decimal"),
        reference_designators: StringList(designators.iter().map(|d| d.to_string()).collect()),
        reference: designators.join(","),
        note: String::new(),
        overage: String::new(),
        optional: false,
        consumable: false,
        inherited: false,
        allow_variants: false,
        validation_hash: None,
        custom_id: None,
        mpn: None,
        alternative_mpns: StringList::default(),
        manufacturer_name: None,
        description: None,
        link: None,
        comments: None,
        do_not_place: false,
        line_number: None,
        value: None,
        package: None,
        mount_type: None,
        is_custom_part: false,
        match_status: bom_line::MatchStatus::Matched,
        match_candidates: IdList::default(),
        metadata: None,
        created_at: Default::default(),
        updated_at: Default::default(),
    }
}
