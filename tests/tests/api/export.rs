//! `GET /v1/boms/{id}/export/` and `bomExport`: every format and option, read back with the
//! `csv` crate and calamine, and a single-level export imported back through InvenTree's
//! import.
use std::io::Cursor;

use axum::http::{Method, StatusCode};
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use serde_json::{json, Value};
use tests::{Reply, TestApp};

use crate::fixtures::{app_with_admin, bom, line, part, substitute};
use crate::revisions::approve;

struct Env {
    app: TestApp,
    t: String,
    /// The sub-assembly's BOM and the top BOM.
    board_bom: String,
    unit_bom: String,
    r: String,
}

/// A unit built from two boards and a case; each board has resistors (with a substitute),
/// capacitors and a do-not-place LED; the unit also has resistors of its own.
async fn env() -> Env {
    let (app, t) = app_with_admin().await;
    let offer = |price: &str| {
        json!([{"supplier": "Acme", "stock": "5000", "moq": "10",
                "priceBreaks": [{"quantity": "1", "unitPrice": price}, {"quantity": "100", "unitPrice": "0.005"}]}])
    };
    let r = part(
        &app,
        &t,
        json!({"name": "R 10k", "ipn": "R-10K", "mpn": "RC0402", "manufacturer": "Yageo",
        "description": "Resistor 10k", "inStock": "250", "offers": offer("0.01")}),
    )
    .await;
    let r_alt = part(&app, &t, json!({"name": "R 10k alt", "ipn": "R-10K-B"})).await;
    let c = part(
        &app,
        &t,
        json!({"name": "C 100n", "ipn": "C-100N", "offers": offer("0.02")}),
    )
    .await;
    let led = part(&app, &t, json!({"name": "LED", "ipn": "LED-1"})).await;
    let case = part(&app, &t, json!({"name": "Case", "ipn": "CASE-1"})).await;
    let board = part(
        &app,
        &t,
        json!({"name": "Board", "ipn": "PCBA-1", "assembly": true}),
    )
    .await;
    let unit = part(
        &app,
        &t,
        json!({"name": "Unit", "ipn": "UNIT-1", "assembly": true}),
    )
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

async fn get(e: &Env, bom: &str, query: &str) -> Reply {
    e.app
        .rest(
            Method::GET,
            &format!("/v1/boms/{bom}/export/?{query}"),
            &e.t,
            None,
        )
        .await
}

/// The rows of a delimited file, as maps from header to cell.
fn read_delimited(body: &[u8], delimiter: u8) -> Vec<std::collections::HashMap<String, String>> {
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

#[tokio::test]
async fn a_single_level_csv_has_every_column() {
    let e = env().await;
    let reply = get(&e, &e.board_bom, "format=csv&quantity=10").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.content_type.as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename=\"Board-revA.csv\""
    );
    let rows = read_delimited(&reply.body, b',');
    assert_eq!(rows.len(), 3);
    let res = &rows[0];
    let expect = [
        ("Line", "1"),
        ("Level", "1"),
        ("Reference", "R1-R4"),
        ("Quantity", "4"),
        // 4 x 10 plus 10% overage
        ("Total Quantity", "44"),
        ("Part ID", e.r.as_str()),
        ("Part Name", "R 10k"),
        ("Part IPN", "R-10K"),
        ("MPN", "RC0402"),
        ("Manufacturer", "Yageo"),
        ("Description", "Resistor 10k"),
        ("Value", "10k"),
        ("Package", "0402"),
        ("Do Not Place", "false"),
        ("Note", "1%"),
        ("Overage", "10%"),
        ("Substitutes", "R-10K-B"),
        ("Stock", "250"),
        ("Supplier", "Acme"),
        // 44 needed, bought at the first break (the 100 break would cost more in total)
        ("Unit Price", "0.01"),
        ("Currency", "USD"),
        ("Extended Cost", "0.44"),
    ];
    for (column, value) in expect {
        assert_eq!(res[column], value, "{column}");
    }
    assert_eq!(rows[1]["Optional"], "true");
    let led = &rows[2];
    assert_eq!(led["Do Not Place"], "true");
    assert_eq!(
        led["Total Quantity"], "0",
        "a do-not-place line needs nothing"
    );
    assert_eq!(led["Extended Cost"], "");

    let tsv = get(&e, &e.board_bom, "format=tsv&quantity=10").await;
    assert_eq!(
        tsv.headers["content-disposition"],
        "attachment; filename=\"Board-revA.tsv\""
    );
    assert_eq!(read_delimited(&tsv.body, b'\t'), rows);
}

#[tokio::test]
async fn every_level_indents_and_flat_consolidates() {
    let e = env().await;
    let rows = read_delimited(
        &get(&e, &e.unit_bom, "levels=all&quantity=3").await.body,
        b',',
    );
    let outline: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["Line"].clone(),
                r["Level"].clone(),
                r["Part Name"].clone(),
                r["Total Quantity"].clone(),
            )
        })
        .collect();
    let row = |l: &str, v: &str, p: &str, q: &str| {
        (l.to_owned(), v.to_owned(), p.to_owned(), q.to_owned())
    };
    assert_eq!(
        outline,
        vec![
            row("1", "1", "Board", "6"),
            // 4 per board x 6 boards + 10%
            row("1.1", "2", "R 10k", "26.4"),
            row("1.2", "2", "C 100n", "12"),
            row("1.3", "2", "LED", "0"),
            row("2", "1", "Case", "3"),
            row("3", "1", "R 10k", "3"),
        ]
    );
    // the file is named after the BOM, made safe for a file system
    let reply = get(&e, &e.unit_bom, "levels=all").await;
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename=\"Unit___main-revA.csv\""
    );

    let flat = read_delimited(
        &get(&e, &e.unit_bom, "levels=all&flat=true&quantity=3")
            .await
            .body,
        b',',
    );
    let parts: Vec<(String, String, String)> = flat
        .iter()
        .map(|r| {
            (
                r["Part Name"].clone(),
                r["Total Quantity"].clone(),
                r["Reference"].clone(),
            )
        })
        .collect();
    let row = |p: &str, q: &str, r: &str| (p.to_owned(), q.to_owned(), r.to_owned());
    // the board is built, not bought: its parts are rows instead, the resistors summed
    assert_eq!(
        parts,
        vec![
            row("R 10k", "29.4", "R1-R4, R9"),
            row("C 100n", "12", "C1 C2"),
            row("LED", "0", "D1"),
            row("Case", "3", ""),
        ]
    );
    // priced on the consolidated total: 30 resistors (whole units) at the first break
    assert_eq!(flat[0]["Extended Cost"], "0.3");
    let one_level_flat = read_delimited(&get(&e, &e.unit_bom, "flat=true").await.body, b',');
    assert_eq!(
        one_level_flat.len(),
        3,
        "board, case and resistor: nothing exploded"
    );
}

fn cell(sheet: &calamine::Range<Data>, row: usize, header: &str) -> Data {
    let col = (0..sheet.width())
        .find(|c| sheet.get((0, *c)) == Some(&Data::String(header.into())))
        .unwrap_or_else(|| panic!("no column {header}"));
    sheet.get((row, col)).cloned().unwrap_or(Data::Empty)
}

#[tokio::test]
async fn xlsx_has_one_sheet_or_one_per_assembly() {
    let e = env().await;
    let reply = get(&e, &e.unit_bom, "format=xlsx&levels=all&quantity=3").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.content_type.as_deref(),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename=\"Unit___main-revA.xlsx\""
    );
    let mut book = open_workbook_auto_from_rs(Cursor::new(reply.body.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["Unit _ main A".to_string()]);
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), 7, "a header and six rows");
    assert_eq!(cell(&sheet, 2, "Line"), Data::String("1.1".into()));
    assert_eq!(cell(&sheet, 2, "Level"), Data::Float(2.0));
    assert_eq!(cell(&sheet, 2, "Total Quantity"), Data::Float(26.4));
    assert_eq!(cell(&sheet, 2, "Supplier"), Data::String("Acme".into()));
    assert_eq!(cell(&sheet, 3, "Optional"), Data::Bool(true));

    let per = get(
        &e,
        &e.unit_bom,
        "format=xlsx&levels=all&sheets=per_assembly&quantity=3",
    )
    .await;
    let mut book = open_workbook_auto_from_rs(Cursor::new(per.body)).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["Unit _ main A".to_string(), "Board A".to_string()]
    );
    let top = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(top.height(), 4);
    let board = book.worksheet_range_at(1).unwrap().unwrap();
    assert_eq!(board.height(), 4);
    assert_eq!(cell(&board, 1, "Line"), Data::String("1".into()));
    assert_eq!(cell(&board, 1, "Level"), Data::Float(1.0));
    assert_eq!(cell(&board, 1, "Total Quantity"), Data::Float(26.4));
}

#[tokio::test]
async fn json_is_the_same_through_rest_and_graphql() {
    let e = env().await;
    let rest = get(&e, &e.unit_bom, "format=json&levels=all&quantity=2").await;
    assert_eq!(rest.content_type.as_deref(), Some("application/json"));
    let rest = rest.json();
    let gql = e
        .app
        .data(
            &e.t,
            "query($b: ID!) { bomExport(bomId: $b, levels: ALL, quantity: \"2\") }",
            json!({"b": e.unit_bom}),
        )
        .await["bomExport"]
        .clone();
    assert_eq!(rest, gql);
    assert_eq!(rest["bom"]["revision"], "A");
    assert_eq!(rest["build_quantity"], "2");
    assert_eq!(rest["rows"].as_array().unwrap().len(), 6);
    assert_eq!(rest["rows"][1]["part_ipn"], "R-10K");
    assert_eq!(rest["rows"][1]["total_quantity"], "17.6");
    assert_eq!(rest["columns"].as_array().unwrap().len(), 24);
    let flat = e
        .app
        .data(
            &e.t,
            "query($b: ID!) { bomExport(bomId: $b, flat: true) }",
            json!({"b": e.unit_bom}),
        )
        .await;
    assert_eq!(flat["bomExport"]["flat"], true);
}

#[tokio::test]
async fn bad_export_options_are_refused_in_the_dialects_shape() {
    let e = env().await;
    for (query, field) in [
        ("format=pdf", "format"),
        ("levels=2", "levels"),
        ("flat=perhaps", "flat"),
        ("quantity=0", "quantity"),
        ("quantity=abc", "quantity"),
        ("sheets=per_assembly&format=csv", "sheets"),
        ("sheets=every", "sheets"),
        ("format=xlsx&sheets=per_assembly&flat=true", "sheets"),
    ] {
        let r = get(&e, &e.unit_bom, query).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text());
        assert!(r.json()[field].is_array(), "{query}: {}", r.text());
    }
    let missing = get(&e, "999999", "format=csv").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// The import's three steps, given a file: the lines it submits.
async fn import(e: &Env, assembly: i64, file: &[u8]) -> Value {
    let (status, up) =
        crate::inventree_import::upload(&e.app, &e.t, assembly, false, "export.csv", file).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let columns: Vec<Value> = up["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let matched = &up["file_fields"][c.as_str().unwrap()]["value"];
            if matched.is_null() {
                json!("")
            } else {
                matched.clone()
            }
        })
        .collect();
    let extracted = e
        .app
        .rest(
            Method::POST,
            "/api/bom/import/extract/",
            &e.t,
            Some(json!({"columns": columns, "rows": up["rows"]})),
        )
        .await;
    assert_eq!(
        extracted.status,
        StatusCode::CREATED,
        "{}",
        extracted.text()
    );
    let items: Vec<Value> = extracted.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["errors"], json!({}), "{r}");
            let mut item = json!({"part": assembly, "sub_part": r["part"]});
            // an empty cell is extracted as null, which a client leaves out
            for field in [
                "quantity",
                "reference",
                "note",
                "overage",
                "optional",
                "consumable",
            ] {
                if !r[field].is_null() {
                    item[field] = r[field].clone();
                }
            }
            item
        })
        .collect();
    let submitted = e
        .app
        .rest(
            Method::POST,
            "/api/bom/import/submit/",
            &e.t,
            Some(json!({"items": items})),
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::CREATED,
        "{}",
        submitted.text()
    );
    submitted.json()
}

async fn lines_of(e: &Env, bom: &str) -> Vec<Value> {
    let d = e
        .app
        .data(
            &e.t,
            "query($id: ID!) { bom(id: $id) { lines { part { id } quantity reference note overage optional consumable } } }",
            json!({"id": bom}),
        )
        .await;
    d["bom"]["lines"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_single_level_export_imports_back_into_the_same_lines() {
    let e = env().await;
    let file = get(&e, &e.unit_bom, "format=csv").await.body;
    let copy_part = part(&e.app, &e.t, json!({"name": "Unit copy", "assembly": true})).await;
    let copy_id: i64 = copy_part.parse().unwrap();
    let out = import(&e, copy_id, &file).await;
    assert_eq!(out["created"], 3, "{out}");
    let copy_bom = e
        .app
        .data(
            &e.t,
            "query($p: ID!) { boms(filter: {assemblyPartId: $p}) { edges { node { id } } } }",
            json!({"p": copy_part}),
        )
        .await["boms"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        lines_of(&e, &copy_bom).await,
        lines_of(&e, &e.unit_bom).await
    );
}
