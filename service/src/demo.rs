//! Demo data: a team, a user with a token, a small catalogue and two BOMs (one of them a
//! sub-assembly of the other, in two revisions), so a newcomer has something to query
//! straight away.
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

use crate::auth::{self, NewUser, Role};
use crate::bom::{self, BomInput};
use crate::bom_line::LineInput;
use crate::part::{self, OfferInput, PartInput, PriceBreakInput};
use crate::{program, substitute, ServiceResult};

pub const DEMO_TEAM: &str = "demo";
pub const DEMO_USER: &str = "demo";
pub const DEMO_PASSWORD: &str = "demo-password";

pub struct DemoSummary {
    pub token: String,
    pub parts: usize,
    pub boms: usize,
    /// Lines of the sample CAD export, and how many of them matched a catalogue part.
    pub raw_lines: usize,
    pub matched_lines: usize,
}

/// A CAD export of a controller board (messy MPNs, designator ranges, do-not-place lines,
/// custom and unknown parts) with the catalogue it is matched against.
const SAMPLE: &str = include_str!("../data/sample_raw_bom.json");

#[derive(serde::Deserialize)]
struct Sample {
    name: String,
    version: String,
    part_number: String,
    catalogue: Vec<SampleOffer>,
    lines: Vec<crate::raw_bom::RawLine>,
}

#[derive(serde::Deserialize)]
struct SampleOffer {
    name: String,
    mpn: String,
    manufacturer: String,
    description: String,
    in_stock: String,
    offers: Vec<SampleSupplier>,
}

#[derive(serde::Deserialize)]
struct SampleSupplier {
    supplier: String,
    stock: String,
    moq: String,
    order_multiple: String,
    currency: String,
    price_breaks: Vec<(String, String)>,
}

/// Loads the sample CAD export: its catalogue, the raw BOM (matched on the way in), and a
/// program building 50 boards.
async fn load_sample(
    db: &DatabaseConnection,
    p: &crate::auth::Principal,
) -> ServiceResult<(usize, usize, usize)> {
    let sample: Sample =
        serde_json::from_str(SAMPLE).map_err(|e| crate::ServiceError::Internal(e.to_string()))?;
    for item in &sample.catalogue {
        part::create(
            db,
            p,
            PartInput {
                name: Some(item.name.clone()),
                mpn: Some(item.mpn.clone()),
                manufacturer: Some(item.manufacturer.clone()),
                description: Some(item.description.clone()),
                in_stock: Some(dec(&item.in_stock)),
                offers: Some(
                    item.offers
                        .iter()
                        .map(|o| OfferInput {
                            supplier: o.supplier.clone(),
                            sku: format!("{}-{}", o.supplier, item.mpn),
                            stock: dec(&o.stock),
                            moq: dec(&o.moq),
                            order_multiple: dec(&o.order_multiple),
                            lead_days: Some(10),
                            currency: o.currency.clone(),
                            price_breaks: o
                                .price_breaks
                                .iter()
                                .map(|(q, u)| PriceBreakInput {
                                    quantity: dec(q),
                                    unit_price: dec(u),
                                })
                                .collect(),
                        })
                        .collect(),
                ),
                ..Default::default()
            },
        )
        .await?;
    }
    crate::manufacturer::set(db, p, None, "ON Semi", "onsemi").await?;
    let raw_lines = sample.lines.len();
    let bom = crate::raw_bom::create_bom(
        db,
        p,
        BomInput {
            name: Some(sample.name),
            version: Some(sample.version),
            part_number: Some(sample.part_number),
            ..Default::default()
        },
        sample.lines,
    )
    .await?;
    let matched = crate::bom_line::for_boms(db, p, &[bom.id])
        .await?
        .iter()
        .filter(|l| l.part_id.is_some())
        .count();
    let prog = program::create(
        db,
        p,
        program::ProgramInput {
            name: Some("Controller pilot run".into()),
            ..Default::default()
        },
    )
    .await?;
    program::add_line(
        db,
        p,
        prog.id,
        program::LineInput {
            bom_id: Some(bom.id),
            quantity: Some(dec("50")),
            follow_latest: None,
        },
    )
    .await?;
    Ok((sample.catalogue.len(), raw_lines, matched))
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("demo decimals are valid")
}

fn offer(supplier: &str, stock: &str, breaks: &[(&str, &str)]) -> OfferInput {
    OfferInput {
        supplier: supplier.into(),
        sku: format!("{supplier}-SKU"),
        stock: dec(stock),
        moq: Decimal::ONE,
        order_multiple: Decimal::ONE,
        lead_days: Some(14),
        currency: "USD".into(),
        price_breaks: breaks
            .iter()
            .map(|(q, p)| PriceBreakInput {
                quantity: dec(q),
                unit_price: dec(p),
            })
            .collect(),
    }
}

/// Revision B of the sensor board, left as a draft so `bomDiff` shows a change of each
/// kind: more capacitors, a resistor added, the USB connector removed.
async fn revise_board(
    db: &DatabaseConnection,
    p: &crate::auth::Principal,
    board_bom: i32,
    ids: &[i32],
) -> ServiceResult<()> {
    let draft = crate::revision::revise(db, p, board_bom, None).await?;
    let lines = crate::bom_line::for_boms(db, p, &[draft.id]).await?;
    for line in lines {
        if line.part_id == Some(ids[1]) {
            let more = LineInput {
                quantity: Some(dec("8")),
                reference: Some("C1-C8".into()),
                ..Default::default()
            };
            crate::bom_line::update(db, p, line.id, more).await?;
        } else if line.part_id == Some(ids[5]) {
            crate::bom_line::remove(db, p, line.id).await?;
        }
    }
    let resistor = LineInput {
        part_id: Some(Some(ids[0])),
        quantity: Some(Decimal::ONE),
        reference: Some("R5".into()),
        ..Default::default()
    };
    crate::bom_line::add(db, p, draft.id, resistor).await?;
    Ok(())
}

/// Loads the demo once; a second run is refused rather than duplicating every row.
pub async fn load(db: &DatabaseConnection) -> ServiceResult<DemoSummary> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let loaded = entity::team::Entity::find()
        .filter(entity::team::Column::Name.eq(DEMO_TEAM))
        .one(db)
        .await?
        .is_some();
    if loaded {
        return Err(crate::ServiceError::Conflict(format!(
            "The demo data is already loaded; `bomgraph token create --username {DEMO_USER}` makes a new token."
        )));
    }
    auth::create_user(
        db,
        NewUser {
            username: DEMO_USER,
            password: DEMO_PASSWORD,
            team: DEMO_TEAM,
            role: Role::Admin,
        },
    )
    .await?;
    let token = auth::create_token(db, DEMO_USER, "demo").await?;
    let principal = auth::authenticate_token(db, &token).await?;
    let p = &principal;

    let catalogue = [
        (
            "R 10k 0402",
            "RC0402FR-0710KL",
            "Yageo",
            "Resistor 10k 1% 0402",
            "5000",
            &[("1", "0.01"), ("1000", "0.002")][..],
        ),
        (
            "C 100n 0402",
            "GRM155R71C104KA88D",
            "Murata",
            "Capacitor 100nF 16V X7R 0402",
            "8000",
            &[("1", "0.02"), ("1000", "0.004")],
        ),
        (
            "C 100n 0402 alt",
            "CL05B104KO5NNNC",
            "Samsung",
            "Capacitor 100nF 16V X7R 0402",
            "3000",
            &[("1", "0.015")],
        ),
        (
            "MCU STM32G0",
            "STM32G031K8T6",
            "STMicroelectronics",
            "Microcontroller 64k flash",
            "40",
            &[("1", "2.10"), ("100", "1.65")],
        ),
        (
            "LDO 3V3",
            "AP2112K-3.3TRG1",
            "Diodes Inc",
            "LDO regulator 3.3V 600mA",
            "0",
            &[("1", "0.35")],
        ),
        (
            "USB-C receptacle",
            "USB4105-GF-A",
            "GCT",
            "USB Type-C receptacle",
            "120",
            &[("1", "0.80"), ("500", "0.55")],
        ),
        (
            "Enclosure",
            "ENC-100",
            "Hammond",
            "ABS enclosure",
            "15",
            &[],
        ),
    ];
    let mut ids = Vec::new();
    for (name, mpn, manufacturer, description, stock, breaks) in catalogue {
        let part = part::create(
            db,
            p,
            PartInput {
                name: Some(name.into()),
                mpn: Some(mpn.into()),
                manufacturer: Some(manufacturer.into()),
                description: Some(description.into()),
                in_stock: Some(dec(stock)),
                offers: Some(if breaks.is_empty() {
                    vec![]
                } else {
                    vec![offer("Digi-Key", "10000", breaks)]
                }),
                ..Default::default()
            },
        )
        .await?;
        ids.push(part.id);
    }
    let board = part::create(
        db,
        p,
        PartInput {
            name: Some("Sensor board".into()),
            ipn: Some("PCBA-001".into()),
            assembly: Some(true),
            component: Some(true),
            in_stock: Some(dec("3")),
            ..Default::default()
        },
    )
    .await?;
    let product = part::create(
        db,
        p,
        PartInput {
            name: Some("Sensor unit".into()),
            ipn: Some("PROD-001".into()),
            assembly: Some(true),
            salable: Some(true),
            ..Default::default()
        },
    )
    .await?;
    let line = |part_id: i32, qty: &str, reference: &str| LineInput {
        part_id: Some(Some(part_id)),
        quantity: Some(dec(qty)),
        reference: Some(reference.into()),
        ..Default::default()
    };
    let board_bom = bom::create(
        db,
        p,
        BomInput {
            name: Some("Sensor board".into()),
            version: Some("A".into()),
            part_number: Some("PCBA-001".into()),
            assembly_part_id: Some(Some(board.id)),
            lines: Some(vec![
                line(ids[0], "4", "R1-R4"),
                line(ids[1], "6", "C1-C6"),
                line(ids[3], "1", "U1"),
                line(ids[4], "1", "U2"),
                line(ids[5], "1", "J1"),
            ]),
            ..Default::default()
        },
    )
    .await?;
    let cap_line = crate::bom_line::for_boms(db, p, &[board_bom.id])
        .await?
        .into_iter()
        .find(|l| l.part_id == Some(ids[1]))
        .expect("the demo board has a capacitor line");
    substitute::add(db, p, cap_line.id, ids[2], None).await?;
    bom::approve(db, p, board_bom.id).await?;
    revise_board(db, p, board_bom.id, &ids).await?;
    let unit_bom = bom::create(
        db,
        p,
        BomInput {
            name: Some("Sensor unit".into()),
            version: Some("1".into()),
            part_number: Some("PROD-001".into()),
            assembly_part_id: Some(Some(product.id)),
            lines: Some(vec![line(board.id, "1", "A1"), line(ids[6], "1", "")]),
            ..Default::default()
        },
    )
    .await?;
    let prog = program::create(
        db,
        p,
        program::ProgramInput {
            name: Some("First run".into()),
            ..Default::default()
        },
    )
    .await?;
    program::add_line(
        db,
        p,
        prog.id,
        program::LineInput {
            bom_id: Some(unit_bom.id),
            quantity: Some(dec("100")),
            follow_latest: None,
        },
    )
    .await?;
    let (sample_parts, raw_lines, matched_lines) = load_sample(db, p).await?;
    Ok(DemoSummary {
        token,
        parts: ids.len() + 2 + sample_parts,
        boms: 4,
        raw_lines,
        matched_lines,
    })
}
