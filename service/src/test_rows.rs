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

/// BOM 1 of team 1, unapproved, building `assembly` when given.
pub fn bom(assembly: Option<i32>) -> entity::bom::Model {
    entity::bom::Model {
        id: 1,
        team_id: 1,
        name: "Board".into(),
        version: String::new(),
        part_number: String::new(),
        description: String::new(),
        assembly_part_id: assembly,
        revision: "A".into(),
        chain_id: None,
        previous_revision_id: None,
        approved: false,
        approved_at: None,
        approved_by: None,
        archived: false,
        metadata: None,
        integration_record_id: None,
        synced_from_integration: false,
        integration_source_name: None,
        synced_from_integration_at: None,
        clear_on_import_by: None,
        clear_on_import_until: None,
        created_at: Default::default(),
        updated_at: Default::default(),
    }
}

/// Part `id` of team 1, trackable or not.
pub fn part(id: i32, trackable: bool) -> entity::part::Model {
    entity::part::Model {
        id,
        team_id: 1,
        name: format!("Part {id}"),
        ipn: String::new(),
        description: String::new(),
        mpn: String::new(),
        mpn_key: String::new(),
        mpn_loose_key: String::new(),
        manufacturer: String::new(),
        revision: String::new(),
        units: String::new(),
        keywords: String::new(),
        link: String::new(),
        active: true,
        assembly: false,
        component: true,
        purchaseable: true,
        salable: false,
        trackable,
        is_virtual: false,
        is_template: false,
        variant_of: None,
        in_stock: "0".parse().unwrap(),
        allocated: "0".parse().unwrap(),
        on_order: "0".parse().unwrap(),
        building: "0".parse().unwrap(),
        external_stock: "0".parse().unwrap(),
        created_at: Default::default(),
        updated_at: Default::default(),
    }
}
