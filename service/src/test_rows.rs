//! Rows made by hand for the unit tests of pure rules.
use entity::bom_line;
use serde_json::json;

/// A line of BOM 1 in team 1, with the given part, quantity and designators.
pub fn line(id: i32, part: Option<i32>, quantity: &str, designators: &[&str]) -> bom_line::Model {
    bom_line::Model {
        id,
        team_id: 1,
        bom_id: 1,
        part_id: part,
        quantity: quantity.into(),
        reference_designators: json!(designators),
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
        alternative_mpns: json!([]),
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
        match_status: "matched".into(),
        match_candidates: json!([]),
        metadata: None,
        created_at: Default::default(),
        updated_at: Default::default(),
    }
}
