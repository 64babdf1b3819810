//! `GET /api/bom/`: every filter, search, ordering, pagination and the detail options.
use axum::http::StatusCode;
use serde_json::{json, Value};
use tests::builders::Part;

use super::{pks, Env};

#[tokio::test]
async fn list_filters_search_ordering_pagination() {
    let e = &Env::new().await;
    let tracked = Part::named("Chip")
        .with(json!({"trackable": true, "assembly": true}))
        .create_rest(&e.app, &e.t)
        .await;
    let a = e.item(e.r, json!({"reference": "R1", "quantity": 1})).await;
    let b = e
        .item(
            e.c,
            json!({"reference": "C1", "quantity": 5, "optional": true, "consumable": true}),
        )
        .await;
    let c = e
        .item(
            tracked,
            json!({"reference": "U1", "quantity": 3, "allow_variants": true, "inherited": false}),
        )
        .await;
    e.api()
        .patch(&format!("/api/bom/{a}/validate/"), json!({"valid": true}))
        .await;

    let list = |q: &str| {
        let path = format!("/api/bom/{q}");
        async move { pks(&e.get(&path).await) }
    };
    assert_eq!(list("").await, [a, b, c]);
    assert_eq!(list(&format!("?part={}", e.asm)).await, [a, b, c]);
    assert_eq!(list(&format!("?uses={}", e.c)).await, [b]);
    assert_eq!(list("?validated=true").await, [a]);
    assert_eq!(list("?validated=False").await, [b, c]);
    assert_eq!(list("?optional=1").await, [b]);
    assert_eq!(
        list("?optional=maybe").await,
        [a, b, c],
        "other values ignore the filter"
    );
    assert_eq!(list("?consumable=true").await, [b]);
    assert_eq!(list("?inherited=false").await, [c]);
    assert_eq!(list("?allow_variants=true").await, [c]);
    assert_eq!(list("?sub_part_trackable=true").await, [c]);
    assert_eq!(list("?sub_part_assembly=true").await, [c]);
    assert_eq!(list("?part_active=true").await, [a, b, c]);
    assert_eq!(list("?has_pricing=true").await, Vec::<i64>::new());
    assert_eq!(list("?available_stock=false").await, [a, b, c]);
    assert_eq!(list("?on_order=true").await, Vec::<i64>::new());
    assert_eq!(list("?search=thick").await, [a]);
    assert_eq!(list("?search=ceramic%20C1").await, [b]);
    assert_eq!(list("?search=R-001").await, [a]);
    assert_eq!(list("?ordering=-quantity").await, [b, c, a]);
    assert_eq!(list("?ordering=quantity").await, [a, c, b]);
    assert_eq!(list("?ordering=sub_part").await, [b, c, a]);
    assert_eq!(list("?ordering=nonsense").await, [a, b, c]);
    // several fields apply in turn, as DRF's OrderingFilter does
    assert_eq!(list("?ordering=optional,-quantity").await, [c, a, b]);
    assert_eq!(
        list("?ordering=-consumable,-allow_variants").await,
        [b, c, a],
        "ordered in SQL"
    );
    assert_eq!(list("?ordering=nonsense,-quantity").await, [b, c, a]);
    assert_eq!(
        list("?ordering=-allow_variants").await,
        [c, a, b],
        "ordered in SQL"
    );
    let paged = e.get("/api/bom/?ordering=optional&limit=2").await;
    assert_eq!(
        (pks(&paged["results"]), paged["count"].as_i64()),
        (vec![a, c], Some(3))
    );
    assert_eq!(
        list("?colour=blue").await,
        [a, b, c],
        "unknown parameters are ignored"
    );

    let bad = e.api().get("/api/bom/?part=999999").await;
    let bad = bad.expect(StatusCode::BAD_REQUEST);
    assert!(bad["part"][0]
        .as_str()
        .unwrap()
        .starts_with("Select a valid choice"));
    let bad = e.api().get("/api/bom/?uses=x").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let page = e.get("/api/bom/?limit=2").await;
    assert_eq!(page["count"], 3);
    assert_eq!(pks(&page["results"]), [a, b]);
    assert_eq!(page["next"], "http://localhost/api/bom/?limit=2&offset=2");
    assert_eq!(page["previous"], Value::Null);
    let page2 = e.get("/api/bom/?limit=2&offset=2").await;
    assert_eq!(pks(&page2["results"]), [c]);
    assert_eq!(page2["next"], Value::Null);
    assert_eq!(page2["previous"], "http://localhost/api/bom/?limit=2");

    let detailed = e
        .get("/api/bom/?part_detail=true&sub_part_detail=true&limit=1")
        .await;
    let first = &detailed["results"][0];
    assert_eq!(first["part_detail"]["name"], "Assembly");
    assert_eq!(first["sub_part_detail"]["IPN"], "R-001");
    assert_eq!(first["sub_part_detail"]["full_name"], "R-001 | Resistor");
    let plain = e.get("/api/bom/").await;
    assert!(plain[0].get("part_detail").is_none());
}
