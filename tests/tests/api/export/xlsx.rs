//! xlsx workbooks: one sheet, or one per assembly.
use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::Env;

fn cell(sheet: &calamine::Range<Data>, row: usize, header: &str) -> Data {
    let col = (0..sheet.width())
        .find(|c| sheet.get((0, *c)) == Some(&Data::String(header.into())))
        .unwrap_or_else(|| panic!("no column {header}"));
    sheet.get((row, col)).cloned().unwrap_or(Data::Empty)
}

#[tokio::test]
async fn xlsx_has_one_sheet_or_one_per_assembly() {
    let e = Env::new().await;
    let reply = e
        .export(&e.unit_bom, "format=xlsx&levels=all&quantity=3")
        .await;
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

    let per = e
        .export(
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
