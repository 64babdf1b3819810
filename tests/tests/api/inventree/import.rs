//! InvenTree's three-step BOM import: upload, extract, submit.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::Part;
use tests::import::{columns_matched, extract, items_extracted, submit, upload};
use tests::TeamRole;

use super::Env;

fn matched(upload: &Value, header: &str) -> Value {
    upload["file_fields"][header]["value"].clone()
}

#[tokio::test]
async fn upload_reads_every_format_and_matches_columns() {
    let e = Env::new().await;
    let csv = b"Part Name,quantity,REFERENCE,Colour\nResistor,2,R1,red\nCapacitor,3,C1,blue\n";
    let (status, up) = upload(&e.app, &e.t, e.asm, false, "bom.csv", csv).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    assert_eq!(matched(&up, "quantity"), "quantity");
    assert_eq!(matched(&up, "REFERENCE"), "reference");
    assert_eq!(matched(&up, "Part Name"), "part_name");
    assert_eq!(matched(&up, "Colour"), Value::Null);
    assert_eq!(
        up["rows"],
        json!([
            ["Resistor", "2", "R1", "red"],
            ["Capacitor", "3", "C1", "blue"]
        ])
    );
    assert_eq!(up["model_fields"]["quantity"]["required"], true);

    let (status, up) = upload(
        &e.app,
        &e.t,
        e.asm,
        false,
        "bom.tsv",
        b"part_ipn\tquantity\nR-001\t4\n",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(matched(&up, "part_ipn"), "part_ipn");

    for file in ["bom.xlsx", "bom.xls"] {
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/").to_owned() + file)
                .unwrap();
        let (status, up) = upload(&e.app, &e.t, e.asm, false, file, &bytes).await;
        assert_eq!(status, StatusCode::CREATED, "{file}: {up}");
        assert_eq!(matched(&up, "Quantity"), "quantity", "{file}");
        assert_eq!(
            up["rows"][0],
            json!(["Resistor", "2", "R1 R2", "x"]),
            "{file}"
        );
    }

    let (status, err) = upload(&e.app, &e.t, e.asm, false, "bom.pdf", b"%PDF").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["data_file"].is_array());
    let (status, err) = upload(&e.app, &e.t, e.r, false, "bom.csv", csv).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the part must be an assembly: {err}"
    );
    assert!(err["part"].is_array());
}

#[tokio::test]
async fn extract_resolves_parts_and_reports_row_errors() {
    let e = Env::new().await;
    let twin_a = Part::named("Twin")
        .with(json!({"IPN": "T-1"}))
        .create_rest(&e.app, &e.t)
        .await;
    Part::named("Twin")
        .with(json!({"IPN": "T-2"}))
        .create_rest(&e.app, &e.t)
        .await;
    Part::named("Not a component")
        .with(json!({"component": false}))
        .create_rest(&e.app, &e.t)
        .await;
    let (status, out) = extract(
        &e.app,
        &e.t,
        json!({
            "columns": ["part_id", "part_name", "part_ipn", "quantity", "level", "reference"],
            "rows": [
                [e.r.to_string(), null, null, "2", "1", "R1"],
                [null, "Capacitor", null, "1", null, "C1"],
                [null, null, "C-001", "5", "1", "C2"],
                [null, "Twin", null, "1", "1", ""],
                [null, "Twin", "T-1", "1", "1", ""],
                [null, "Nothing like it", null, "1", "1", ""],
                [null, "Not a component", null, "1", "1", ""],
                [null, "Resistor", null, "0", "1", ""],
                [null, "Resistor", null, "lots", "1", ""],
                [null, "Resistor", null, null, "1", ""],
                [null, "Resistor", null, "1", "2", "dropped: level 2"]
            ]
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    let rows = out["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10, "the level-2 row is dropped");
    assert_eq!(rows[0]["part"], e.r, "by id");
    assert_eq!(rows[1]["part"], e.c, "by name");
    assert_eq!(rows[2]["part"], e.c, "by IPN");
    assert_eq!(rows[3]["errors"]["part"], "Multiple matching parts found");
    assert_eq!(rows[4]["part"], twin_a, "name and IPN together");
    assert_eq!(rows[5]["errors"]["part"], "No matching part found");
    assert_eq!(
        rows[6]["errors"]["part"],
        "Part is not designated as a component"
    );
    assert_eq!(
        rows[7]["errors"]["quantity"],
        "Quantity must be greater than zero"
    );
    assert_eq!(rows[8]["errors"]["quantity"], "Invalid quantity");
    assert_eq!(rows[9]["errors"]["quantity"], "Quantity not provided");
    assert_eq!(rows[0]["errors"], json!({}));
    assert_eq!(rows[0]["reference"], "R1");

    for (body, needle) in [
        (
            json!({"columns": ["part_name"], "rows": [["Resistor"]]}),
            "Missing required column: 'quantity'",
        ),
        (
            json!({"columns": ["quantity"], "rows": [["1"]]}),
            "No part column specified",
        ),
        (
            json!({"columns": ["quantity", "part", "quantity"], "rows": [["1", "x", "1"]]}),
            "Duplicate column",
        ),
        (
            json!({"columns": ["quantity", "part"], "rows": []}),
            "No data rows provided",
        ),
        (json!({"rows": [["1"]]}), "This field is required."),
    ] {
        let (status, out) = extract(&e.app, &e.t, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(out.to_string().contains(needle), "{needle}: {out}");
    }
}

/// A whole BOM travels in one request, well past the usual 2 MB limit of web frameworks.
#[tokio::test]
async fn large_bodies_are_accepted() {
    let e = Env::new().await;
    let rows: Vec<Value> = (0..90_000)
        .map(|i| json!(["Resistor", format!("{}", i % 9 + 1), format!("R{i} C{i}")]))
        .collect();
    let body = json!({"columns": ["part_name", "quantity", "reference"], "rows": rows});
    assert!(body.to_string().len() > 2 * 1024 * 1024);
    let (status, out) = extract(&e.app, &e.t, body).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(out["rows"].as_array().unwrap().len(), 90_000);
}

async fn lines(e: &Env) -> Vec<(i64, f64)> {
    e.get(&format!("/api/bom/?part={}", e.asm))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["sub_part"].as_i64().unwrap(),
                i["quantity"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// An upload by the admin that asks its submit to clear the assembly's existing lines.
async fn upload_to_clear(e: &Env) {
    let file = b"part,quantity\nCapacitor,1\n";
    let (status, up) = upload(&e.app, &e.t, e.asm, true, "bom.csv", file).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
}

#[tokio::test]
async fn submit_is_all_or_nothing_and_clears_only_on_success() {
    let e = Env::new().await;
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.r, "quantity": 2}]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(lines(&e).await, [(e.r, 2.0)]);

    // a bad item rejects the whole submit, naming the item
    let (status, out) = submit(&e.app, &e.t, json!([{"part": e.asm, "sub_part": e.c, "quantity": 1}, {"part": e.asm, "sub_part": e.c, "quantity": 0}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(out["items"][1]["quantity"].is_array(), "{out}");
    assert_eq!(out["items"][0], json!({}));
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.asm, "quantity": 1}]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(out["items"][0]["sub_part"].is_array(), "{out}");
    assert_eq!(lines(&e).await, [(e.r, 2.0)]);
    let (status, out) = submit(&e.app, &e.t, json!([])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{out}");

    // clear_existing_bom: an abandoned import loses nothing, a failed one neither
    upload_to_clear(&e).await;
    assert_eq!(lines(&e).await, [(e.r, 2.0)]);
    let (status, _) = submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.c, "quantity": -1}]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(lines(&e).await, [(e.r, 2.0)]);
    // the successful submit replaces the lines
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.c, "quantity": "1.5", "reference": "C1"}]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(out["created"], 1);
    assert_eq!(lines(&e).await, [(e.c, 1.5)]);
    // and only once: the next submit adds
    submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.r, "quantity": 1}]),
    )
    .await;
    assert_eq!(lines(&e).await, [(e.c, 1.5), (e.r, 1.0)]);
    // a repeat of an existing (assembly, part) pair is refused, not dropped, and so is a
    // part twice in one import; nothing is written
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.r, "quantity": 9}]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{out}");
    let message = out["items"][0]["sub_part"][0].as_str().unwrap_or_default();
    assert!(message.contains("already has a line"), "{out}");
    let d = Part::named("Diode").create_rest(&e.app, &e.t).await;
    let twice = json!([
        {"part": e.asm, "sub_part": d, "quantity": 1},
        {"part": e.asm, "sub_part": d, "quantity": 2},
    ]);
    let (status, out) = submit(&e.app, &e.t, twice).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{out}");
    assert_eq!(out["items"][0], json!({}), "{out}");
    assert!(out["items"][1]["sub_part"].is_array(), "{out}");
    assert_eq!(lines(&e).await, [(e.c, 1.5), (e.r, 1.0)]);
}

#[tokio::test]
async fn a_thousand_rows_go_through_all_three_steps() {
    let e = Env::new().await;
    let mut csv = String::from("part_ipn,quantity,reference\n");
    let mut ids = Vec::new();
    for i in 0..1000 {
        let ipn = format!("IPN-{i:05}");
        csv.push_str(&format!("{ipn},{},X{i}\n", i % 7 + 1));
        ids.push(ipn);
    }
    // create the parts through one import-friendly path: GraphQL with a batch of lines is not
    // needed; REST part creation is what an importing client would do first
    for ipn in &ids {
        Part::named(ipn)
            .with(json!({"IPN": ipn}))
            .create_rest(&e.app, &e.t)
            .await;
    }
    let (status, up) = upload(&e.app, &e.t, e.asm, true, "big.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, out) = extract(&e.app, &e.t, columns_matched(&up)).await;
    assert_eq!(status, StatusCode::CREATED);
    let items = items_extracted(e.asm, &out);
    let (status, out) = submit(&e.app, &e.t, items).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(out["created"], 1000);
    let page = e.get(&format!("/api/bom/?part={}&limit=1", e.asm)).await;
    assert_eq!(page["count"], 1000);
}

/// Rows for two assemblies can close a loop between themselves; the submit is refused and
/// writes nothing.
#[tokio::test]
async fn a_loop_between_imported_assemblies_is_refused() {
    let e = Env::new().await;
    let other = Part::named("Module")
        .assembly()
        .create_rest(&e.app, &e.t)
        .await;
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([
            {"part": e.asm, "sub_part": e.r, "quantity": 1},
            {"part": e.asm, "sub_part": other, "quantity": 1},
            {"part": other, "sub_part": e.asm, "quantity": 1}
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{out}");
    assert!(out["items"][2]["sub_part"].is_array(), "{out}");
    assert!(lines(&e).await.is_empty(), "nothing was written");
    // each half on its own is fine
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([{"part": other, "sub_part": e.asm, "quantity": 1}]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
}

/// `clear_existing_bom` is the uploader's: another user's submit does not clear, and a
/// mark left by an abandoned import runs out.
#[tokio::test]
async fn clearing_belongs_to_the_uploader_and_runs_out() {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let e = Env::new().await;
    let colleague = e.app.user("imp2", "lab", TeamRole::Editor).await;
    submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": e.r, "quantity": 2}]),
    )
    .await;
    upload_to_clear(&e).await;
    let (status, out) = submit(
        &e.app,
        &colleague,
        json!([{"part": e.asm, "sub_part": e.c, "quantity": 1}]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(lines(&e).await, [(e.r, 2.0), (e.c, 1.0)]);

    // the uploader's mark, abandoned past its time, clears nothing
    for bom in entity::bom::Entity::find()
        .all(&e.app.state.db)
        .await
        .unwrap()
    {
        assert_eq!(
            bom.clear_on_import_by.is_some(),
            bom.assembly_part_id == Some(e.asm as i32)
        );
        let mut am: entity::bom::ActiveModel = bom.into();
        am.clear_on_import_until = Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1)));
        am.update(&e.app.state.db).await.unwrap();
    }
    let d = Part::named("Diode").create_rest(&e.app, &e.t).await;
    let (status, out) = submit(
        &e.app,
        &e.t,
        json!([{"part": e.asm, "sub_part": d, "quantity": 3}]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(out["created"], 1);
    assert_eq!(lines(&e).await, [(e.r, 2.0), (e.c, 1.0), (d, 3.0)]);
}
