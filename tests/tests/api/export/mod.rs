//! `GET /v1/boms/{id}/export/` and `bomExport`: every format and option, read back with the
//! `csv` crate and calamine, and a single-level export imported back through InvenTree's
//! import.
use serde_json::json;
use tests::builders::{app_with_admin, approve, bom, line, substitute, Part};
use tests::{Reply, TestApp};

mod delimited;
mod json;
mod round_trip;
mod xlsx;

pub struct Env {
    pub app: TestApp,
    pub t: String,
    /// The sub-assembly's BOM and the top BOM.
    pub board_bom: String,
    pub unit_bom: String,
    pub r: String,
}

/// A unit built from two boards and a case; each board has resistors (with a substitute),
/// capacitors and a do-not-place LED; the unit also has resistors of its own.
impl Env {
    pub async fn new() -> Env {
        let (app, t) = app_with_admin().await;
        let offer = |price: &str| {
            json!([{"supplier": "Acme", "stock": "5000", "moq": "10",
                "priceBreaks": [{"quantity": "1", "unitPrice": price}, {"quantity": "100", "unitPrice": "0.005"}]}])
        };
        let r = Part::named("R 10k")
            .with(
                json!({"ipn": "R-10K", "mpn": "RC0402", "manufacturer": "Yageo",
        "description": "Resistor 10k", "inStock": "250", "offers": offer("0.01")}),
            )
            .create(&app, &t)
            .await;
        let r_alt = Part::named("R 10k alt")
            .with(json!({"ipn": "R-10K-B"}))
            .create(&app, &t)
            .await;
        let c = Part::named("C 100n")
            .with(json!({"ipn": "C-100N", "offers": offer("0.02")}))
            .create(&app, &t)
            .await;
        let led = Part::named("LED")
            .with(json!({"ipn": "LED-1"}))
            .create(&app, &t)
            .await;
        let case = Part::named("Case")
            .with(json!({"ipn": "CASE-1"}))
            .create(&app, &t)
            .await;
        let board = Part::named("Board")
            .with(json!({"ipn": "PCBA-1", "assembly": true}))
            .create(&app, &t)
            .await;
        let unit = Part::named("Unit")
            .with(json!({"ipn": "UNIT-1", "assembly": true}))
            .create(&app, &t)
            .await;
        let board_bom = bom(&app, &t, json!({"name": "Board", "assemblyPartId": board})).await;
        let rl = line(
            &app,
            &t,
            &board_bom,
            json!({"partId": r, "quantity": "4", "reference": "R1-R4",
        "value": "10k", "package": "0402", "note": "1%", "overage": "10%"}),
        )
        .await;
        substitute(&app, &t, &rl, &r_alt).await;
        line(
            &app,
            &t,
            &board_bom,
            json!({"partId": c, "quantity": "2", "reference": "C1 C2", "optional": true}),
        )
        .await;
        line(
            &app,
            &t,
            &board_bom,
            json!({"partId": led, "quantity": "1", "reference": "D1", "doNotPlace": true}),
        )
        .await;
        approve(&app, &t, &board_bom).await;
        let unit_bom = bom(
            &app,
            &t,
            json!({"name": "Unit / main", "assemblyPartId": unit}),
        )
        .await;
        line(
            &app,
            &t,
            &unit_bom,
            json!({"partId": board, "quantity": "2", "reference": "A1 A2"}),
        )
        .await;
        line(
            &app,
            &t,
            &unit_bom,
            json!({"partId": case, "quantity": "1", "consumable": true}),
        )
        .await;
        line(
            &app,
            &t,
            &unit_bom,
            json!({"partId": r, "quantity": "1", "reference": "R9"}),
        )
        .await;
        Env {
            app,
            t,
            board_bom,
            unit_bom,
            r,
        }
    }

    /// `GET /v1/boms/{bom}/export/?{query}` of the BOM with GraphQL id `bom`, as the admin.
    pub async fn export(&self, bom: &str, query: &str) -> Reply {
        let bom = self.app.row_id(&self.t, bom).await;
        let path = format!("/v1/boms/{bom}/export/?{query}");
        self.app.with_token(&self.t).get(&path).await
    }
}

/// The rows of a delimited file, as maps from header to cell.
pub fn read_delimited(
    body: &[u8],
    delimiter: u8,
) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(body);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}
