//! Times a 10,000-row BOM import through InvenTree's upload, extract and submit endpoints.
//!
//!     cargo run --release -p tests --bin import_bench
//!     TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p tests --bin import_bench
use std::time::Instant;

use axum::http::{Method, StatusCode};
use chrono::Utc;
use entity::part;
use sea_orm::{EntityTrait, Set};
use serde_json::{json, Value};
use tests::{TeamRole, TestApp};

const ROWS: usize = 10_000;

fn new_part(team_id: i32, name: String) -> part::ActiveModel {
    let now = Utc::now();
    part::ActiveModel {
        team_id: Set(team_id),
        ipn: Set(name.clone()),
        name: Set(name),
        description: Set(String::new()),
        mpn: Set(String::new()),
        mpn_key: Set(String::new()),
        mpn_loose_key: Set(String::new()),
        manufacturer: Set(String::new()),
        revision: Set(String::new()),
        units: Set(String::new()),
        keywords: Set(String::new()),
        link: Set(String::new()),
        active: Set(true),
        assembly: Set(false),
        component: Set(true),
        purchaseable: Set(true),
        salable: Set(false),
        trackable: Set(false),
        is_virtual: Set(false),
        is_template: Set(false),
        variant_of: Set(None),
        in_stock: Set("0".into()),
        allocated: Set("0".into()),
        on_order: Set("0".into()),
        building: Set("0".into()),
        external_stock: Set("0".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

#[tokio::main]
async fn main() {
    let app = TestApp::new().await;
    let backend = if app.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let t = app.user("bench", "bench", TeamRole::Admin).await;
    let me = app.data(&t, "{ me { teams { teamId } } }", json!({})).await;
    let team_id: i32 = me["me"]["teams"][0]["teamId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let asm = app
        .rest(
            Method::POST,
            "/api/part/",
            &t,
            Some(json!({"name": "Big assembly", "assembly": true})),
        )
        .await;
    let asm = asm.json()["pk"].as_i64().unwrap();
    // catalogue set-up, not timed
    let names: Vec<String> = (0..ROWS).map(|i| format!("P-{i:05}")).collect();
    for chunk in names.chunks(500) {
        part::Entity::insert_many(chunk.iter().map(|n| new_part(team_id, n.clone())))
            .exec(&app.state.db)
            .await
            .expect("insert parts");
    }
    let mut csv = String::from("part_ipn,quantity,reference\n");
    for (i, n) in names.iter().enumerate() {
        csv.push_str(&format!("{n},{},R{i}\n", i % 5 + 1));
    }

    let boundary = "bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"part\"\r\n\r\n{asm}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"data_file\"; filename=\"bom.csv\"\r\n\r\n"
    )
    .into_bytes();
    body.extend(csv.as_bytes());
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());

    let start = Instant::now();
    let up = app
        .raw(
            Method::POST,
            "/api/bom/import/upload/",
            &t,
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text());
    let up = up.json();
    let t_upload = start.elapsed();

    let columns: Vec<Value> = up["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| up["file_fields"][c.as_str().unwrap()]["value"].clone())
        .collect();
    let start = Instant::now();
    let ex = app
        .rest(
            Method::POST,
            "/api/bom/import/extract/",
            &t,
            Some(json!({"columns": columns, "rows": up["rows"]})),
        )
        .await;
    assert_eq!(ex.status, StatusCode::CREATED);
    let t_extract = start.elapsed();
    let items: Vec<Value> = ex.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!({"part": asm, "sub_part": r["part"], "quantity": r["quantity"], "reference": r["reference"]}))
        .collect();

    let start = Instant::now();
    let sub = app
        .rest(
            Method::POST,
            "/api/bom/import/submit/",
            &t,
            Some(json!({"items": items})),
        )
        .await;
    assert_eq!(sub.status, StatusCode::CREATED, "{}", sub.text());
    let t_submit = start.elapsed();
    assert_eq!(sub.json()["created"], ROWS);

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{backend}: {ROWS}-row import: upload {:.0} ms, extract {:.0} ms, submit {:.0} ms, total {:.0} ms",
        ms(t_upload),
        ms(t_extract),
        ms(t_submit),
        ms(t_upload + t_extract + t_submit)
    );
}
