//! csv and tsv files: every column of a line, indented levels and the flat consolidation.
use axum::http::StatusCode;

use super::{read_delimited, Env};

#[tokio::test]
async fn a_single_level_csv_has_every_column() {
    let e = Env::new().await;
    let reply = e.export(&e.board_bom, "format=csv&quantity=10").await;
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
    let r = e.app.row_id(&e.t, &e.r).await.to_string();
    let res = &rows[0];
    let expect = [
        ("Line", "1"),
        ("Level", "1"),
        ("Reference", "R1-R4"),
        ("Quantity", "4"),
        // 4 x 10 plus 10% overage
        ("Total Quantity", "44"),
        ("Part ID", r.as_str()),
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

    let tsv = e.export(&e.board_bom, "format=tsv&quantity=10").await;
    assert_eq!(
        tsv.headers["content-disposition"],
        "attachment; filename=\"Board-revA.tsv\""
    );
    assert_eq!(read_delimited(&tsv.body, b'\t'), rows);
}

#[tokio::test]
async fn every_level_indents_and_flat_consolidates() {
    let e = Env::new().await;
    let rows = read_delimited(
        &e.export(&e.unit_bom, "levels=all&quantity=3").await.body,
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
    let reply = e.export(&e.unit_bom, "levels=all").await;
    assert_eq!(
        reply.headers["content-disposition"],
        "attachment; filename=\"Unit___main-revA.csv\""
    );

    let flat = read_delimited(
        &e.export(&e.unit_bom, "levels=all&flat=true&quantity=3")
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
    let one_level_flat = read_delimited(&e.export(&e.unit_bom, "flat=true").await.body, b',');
    assert_eq!(
        one_level_flat.len(),
        3,
        "board, case and resistor: nothing exploded"
    );
}
