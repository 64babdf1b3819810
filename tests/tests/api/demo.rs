//! `bomgraph demo` loads data that shows matching, availability and pricing.
use serde_json::json;
use tests::TestApp;

#[tokio::test]
async fn demo_shows_matching_availability_and_pricing() {
    let app = TestApp::new().await;
    let summary = service::demo::load(&app.state.db)
        .await
        .expect("demo loads");
    assert!(summary.raw_lines >= 200, "a few hundred raw lines");
    let t = summary.token;
    let boms = app.data(&t, "{ boms { totalCount nodes { id name revision lines { matchStatus doNotPlace designatorCountMismatch } } } programs { nodes { id name } } }", json!({})).await;
    assert_eq!(boms["boms"]["totalCount"], 4);

    // the sensor board has two revisions, and their diff shows a change of each kind
    let board = |revision: &str| {
        boms["boms"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == "Sensor board" && b["revision"] == revision)
            .unwrap()["id"]
            .clone()
    };
    let diff = app
        .data(
            &t,
            "query($f: ID!, $t: ID!) { bomDiff(from: $f, to: $t) { summary { added removed changed } } }",
            json!({"f": board("A"), "t": board("B")}),
        )
        .await;
    assert_eq!(
        diff["bomDiff"]["summary"],
        json!({"added": 1, "removed": 1, "changed": 1})
    );
    let sample = boms["boms"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "Controller board (CAD export)")
        .unwrap();
    let lines = sample["lines"].as_array().unwrap();
    for status in ["MATCHED", "NO_MATCH", "AMBIGUOUS", "CUSTOM"] {
        assert!(
            lines.iter().any(|l| l["matchStatus"] == status),
            "no {status} line in the sample"
        );
    }
    assert!(lines.iter().any(|l| l["doNotPlace"] == true));
    assert!(lines.iter().any(|l| l["designatorCountMismatch"] == true));
    let matched = lines
        .iter()
        .filter(|l| l["matchStatus"] == "MATCHED")
        .count();
    assert!(
        matched * 10 >= lines.len() * 7,
        "most lines match: {matched} of {}",
        lines.len()
    );

    let pilot = boms["programs"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Controller pilot run")
        .unwrap()["id"]
        .clone();
    let report = app
        .data(&t, "query($p: ID!) { programAvailability(programId: $p) { parts { status } } programReferencePricing(programId: $p, quantities: [\"1\"]) { totals { currency amount } } }", json!({"p": pilot}))
        .await;
    let statuses: Vec<&str> = report["programAvailability"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    for status in ["on_hand", "no_match"] {
        assert!(
            statuses.contains(&status),
            "{status} missing from {statuses:?}"
        );
    }
    assert!(statuses.iter().any(|s| *s == "buyable" || *s == "shortage"));
    assert_eq!(
        report["programReferencePricing"][0]["totals"][0]["currency"],
        "USD"
    );

    // a second run duplicates nothing
    assert!(matches!(
        service::demo::load(&app.state.db).await,
        Err(service::ServiceError::Conflict(_))
    ));
    let again = app.data(&t, "{ boms { totalCount } }", json!({})).await;
    assert_eq!(again["boms"]["totalCount"], 4);
}
