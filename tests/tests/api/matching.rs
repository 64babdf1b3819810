//! Raw BOM lines matched to the catalogue; designators; summing; re-matching.
use serde_json::{json, Value};
use tests::builders::{app_with_admin, lines_of, with_field, Part};
use tests::fails;

const CREATE: &str = "mutation($i: CreateBomFromRawInput!) { createBomFromRaw(input: $i) { bom {
  id lines { id quantity mpn matchStatus part { name } matchCandidates { name } substitutes { part { name } }
             referenceDesignators reference designatorCountMismatch doNotPlace isCustomPart } } } }";

fn line_of_mpn<'a>(bom: &'a Value, mpn: &str) -> &'a Value {
    bom["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mpn"] == mpn)
        .unwrap_or_else(|| panic!("no line {mpn}"))
}

async fn catalogue(app: &tests::TestApp, t: &str) {
    for (name, mpn, maker) in [
        ("Op-amp TI", "LM358DR", "Texas Instruments"),
        ("Op-amp ON", "LM358DR", "ON Semiconductor"),
        ("Cap Murata", "GRM155R71C104KA88D", "Murata"),
        ("Res Yageo", "RC0402FR-0710KL", "Yageo"),
        ("Cap Samsung", "CL05B104KO5NNNC", "Samsung"),
        ("Timer TI", "NE555P", "Texas Instruments"),
        ("Timer ST", "NE555P", "STMicroelectronics"),
    ] {
        Part::named(name)
            .with(json!({"mpn": mpn, "manufacturer": maker}))
            .create(app, t)
            .await;
    }
}

#[tokio::test]
async fn raw_lines_are_matched_by_every_rule() {
    let (app, t) = app_with_admin().await;
    catalogue(&app, &t).await;
    app.data(&t, "mutation { setManufacturerAlias(input: {alias: \"TI\", manufacturer: \"Texas Instruments\"}) { manufacturerAlias { id } } }", json!({})).await;
    let lines = json!([
        {"mpn": " lm358dr ", "manufacturerName": "TI", "quantity": "1", "referenceDesignatorsString": "U1"},
        {"mpn": "LM358DR", "quantity": "1", "referenceDesignatorsString": "U2"},
        {"mpn": "GRM155R71C104KA88-D", "referenceDesignatorsString": "C1-C4"},
        {"mpn": "RC0402FR-0710KL-TR", "referenceDesignatorsString": "R1-R4, R7 R9"},
        {"mpn": "OBSOLETE-1", "alternativeMpns": ["CL05B104KO5NNNC"], "quantity": "2"},
        {"mpn": "GRM155R71C104KA88D", "alternativeMpns": ["CL05B104KO5NNNC", "NOT-KNOWN"], "quantity": "5", "referenceDesignatorsString": "C10-C13"},
        {"mpn": "NOPE-999", "quantity": "1", "doNotPlace": true},
        {"mpn": "BRKT-1", "customId": "Bracket", "isCustomPart": true, "quantity": "2"},
        {"mpn": "NE555P", "manufacturerName": "STMicroelectronics Inc.", "quantity": "1"},
        {"mpn": "NE555P", "quantity": "1"}
    ]);
    let bom = app
        .data(
            &t,
            CREATE,
            json!({"i": {"name": "Raw board", "lines": lines}}),
        )
        .await["createBomFromRaw"]["bom"]
        .clone();
    assert_eq!(
        bom["lines"].as_array().unwrap().len(),
        10,
        "a line is never dropped"
    );

    let exact_with_alias = line_of_mpn(&bom, " lm358dr ");
    assert_eq!(exact_with_alias["matchStatus"], "MATCHED");
    assert_eq!(exact_with_alias["part"]["name"], "Op-amp TI");

    let ambiguous = bom["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mpn"] == "LM358DR")
        .unwrap();
    assert_eq!(ambiguous["matchStatus"], "AMBIGUOUS");
    assert_eq!(ambiguous["part"], Value::Null);
    assert_eq!(
        ambiguous["matchCandidates"],
        json!([{"name": "Op-amp TI"}, {"name": "Op-amp ON"}])
    );

    let punctuation = line_of_mpn(&bom, "GRM155R71C104KA88-D");
    assert_eq!(punctuation["part"]["name"], "Cap Murata");
    assert_eq!(
        punctuation["quantity"], "4",
        "quantity from the designators"
    );

    let loose = line_of_mpn(&bom, "RC0402FR-0710KL-TR");
    assert_eq!(
        loose["part"]["name"], "Res Yageo",
        "packaging suffix ignored"
    );
    assert_eq!(
        loose["referenceDesignators"],
        json!(["R1", "R2", "R3", "R4", "R7", "R9"])
    );
    assert_eq!(loose["reference"], "R1-R4, R7 R9");
    assert_eq!(loose["quantity"], "6");

    let by_alternative = line_of_mpn(&bom, "OBSOLETE-1");
    assert_eq!(by_alternative["part"]["name"], "Cap Samsung");

    let with_substitute = line_of_mpn(&bom, "GRM155R71C104KA88D");
    assert_eq!(with_substitute["part"]["name"], "Cap Murata");
    assert_eq!(
        with_substitute["substitutes"],
        json!([{"part": {"name": "Cap Samsung"}}])
    );
    assert_eq!(
        with_substitute["designatorCountMismatch"], true,
        "5 against C10-C13"
    );
    assert_eq!(punctuation["designatorCountMismatch"], false);

    let unknown = line_of_mpn(&bom, "NOPE-999");
    assert_eq!(unknown["matchStatus"], "NO_MATCH");
    assert_eq!(unknown["doNotPlace"], true);

    let custom = line_of_mpn(&bom, "BRKT-1");
    assert_eq!(custom["matchStatus"], "CUSTOM");
    assert_eq!(custom["part"]["name"], "Bracket");
    assert_eq!(custom["isCustomPart"], true);

    let timers: Vec<&Value> = bom["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["mpn"] == "NE555P")
        .collect();
    assert_eq!(
        timers[0]["part"]["name"], "Timer ST",
        "the manufacturer narrows the candidates"
    );
    assert_eq!(timers[1]["matchStatus"], "AMBIGUOUS");

    // the catalogue learns the unknown part; one call re-matches the BOM
    Part::named("Now known")
        .with(json!({"mpn": "nope-999"}))
        .create(&app, &t)
        .await;
    let again = app
        .data(
            &t,
            "mutation($b: ID!) { rematchBom(input: {id: $b}) { bom { lines { mpn matchStatus part { name } } } } }",
            json!({"b": bom["id"]}),
        )
        .await["rematchBom"]["bom"]
        .clone();
    assert_eq!(line_of_mpn(&again, "NOPE-999")["part"]["name"], "Now known");
    assert_eq!(
        line_of_mpn(&again, "BRKT-1")["part"]["name"],
        "Bracket",
        "custom lines keep their part"
    );
}

#[tokio::test]
async fn raw_line_validation() {
    let (app, t) = app_with_admin().await;
    for (bad, field) in [
        (json!({"mpn": "X"}), "lines[0].quantity"),
        (json!({"mpn": "", "quantity": "1"}), "lines[0].mpn"),
        (
            json!({"mpn": "X".repeat(256), "quantity": "1"}),
            "lines[0].mpn",
        ),
        (
            json!({"mpn": "X", "quantity": "1", "lineNumber": ""}),
            "lines[0].lineNumber",
        ),
        (json!({"mpn": "X", "quantity": "-1"}), "lines[0].quantity"),
    ] {
        let (code, err) = fails(
            &app,
            &t,
            CREATE,
            json!({"i": {"name": "B", "lines": [bad]}}),
        )
        .await;
        assert_eq!(code, "VALIDATION");
        assert!(
            err["extensions"]["fields"][field].is_array(),
            "{field}: {err}"
        );
    }
    assert_eq!(
        app.data(&t, "{ boms { totalCount } }", json!({})).await["boms"]["totalCount"],
        0
    );
}

const ADD_RAW: &str =
    "mutation($i: AddRawBomLineInput!) { addRawBomLine(input: $i) { bomLine { id quantity } } }";

#[tokio::test]
async fn adding_lines_sums_by_part_and_designators() {
    let (app, t) = app_with_admin().await;
    catalogue(&app, &t).await;
    let bom = app.data(&t, CREATE, json!({"i": {"name": "B", "lines": [{"mpn": "NE555P", "manufacturerName": "STMicroelectronics", "quantity": "1"}]}})).await;
    let b = bom["createBomFromRaw"]["bom"]["id"].clone();
    let raw = json!({"mpn": "GRM155R71C104KA88D", "referenceDesignatorsString": "C1, C2", "quantity": "2"});
    let first = app
        .data(
            &t,
            ADD_RAW,
            json!({"i": with_field(raw.clone(), "bomId", b.clone())}),
        )
        .await["addRawBomLine"]["bomLine"]
        .clone();
    let same = app.data(&t, ADD_RAW, json!({"i": {"bomId": b, "mpn": "grm155r71c104ka88d", "referenceDesignatorsString": "C2 C1", "quantity": "2"}})).await;
    assert_eq!(
        same["addRawBomLine"]["bomLine"]["id"], first["id"],
        "same part and designators: summed"
    );
    assert_eq!(same["addRawBomLine"]["bomLine"]["quantity"], "4");
    let other = app.data(&t, ADD_RAW, json!({"i": {"bomId": b, "mpn": "GRM155R71C104KA88D", "referenceDesignatorsString": "C3", "quantity": "1"}})).await;
    assert_ne!(
        other["addRawBomLine"]["bomLine"]["id"], first["id"],
        "other designators: a new line"
    );

    // catalogue lines sum by part alone
    let cap = app
        .data(
            &t,
            "{ parts(filter: {search: \"Cap Murata\"}) { nodes { id } } }",
            json!({}),
        )
        .await["parts"]["nodes"][0]["id"]
        .clone();
    let add = "mutation($b: ID!, $p: ID!, $q: Decimal!, $r: String) { addBomLine(input: {bomId: $b, mergeSamePart: true, partId: $p, quantity: $q, reference: $r}) { bomLine { id quantity referenceDesignators } } }";
    let merged = app
        .data(&t, add, json!({"b": b, "p": cap, "q": "1.5", "r": "C9"}))
        .await["addBomLine"]["bomLine"]
        .clone();
    assert_eq!(merged["id"], first["id"]);
    assert_eq!(merged["quantity"], "5.5");
    assert_eq!(merged["referenceDesignators"], json!(["C1", "C2", "C9"]));

    // a merged line obeys the line rules too
    let chip = app
        .data(
            &t,
            "mutation { createPart(input: {name: \"Chip\", trackable: true}) { part { id } } }",
            json!({}),
        )
        .await["createPart"]["part"]["id"]
        .clone();
    app.data(&t, add, json!({"b": b, "p": chip, "q": "1", "r": "U9"}))
        .await;
    let (code, _) = fails(
        &app,
        &t,
        add,
        json!({"b": b, "p": chip, "q": "0.5", "r": null}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
}

#[tokio::test]
async fn concurrent_adds_never_lose_a_quantity() {
    let (app, t) = app_with_admin().await;
    catalogue(&app, &t).await;
    let bom = app.data(&t, CREATE, json!({"i": {"name": "B", "lines": [{"mpn": "NE555P", "manufacturerName": "STMicroelectronics", "quantity": "1", "referenceDesignatorsString": "U1"}]}})).await;
    let b = bom["createBomFromRaw"]["bom"]["id"].clone();
    let raw = json!({"mpn": "NE555P", "manufacturerName": "STMicroelectronics", "quantity": "1", "referenceDesignatorsString": "U1"});
    let adds = (0..24).map(|_| {
        app.gql(
            &t,
            ADD_RAW,
            json!({"i": with_field(raw.clone(), "bomId", b.clone())}),
        )
    });
    // all requests are in flight together
    for resp in futures::future::join_all(adds).await {
        assert!(resp.get("errors").is_none(), "{resp}");
    }
    let got = lines_of(&app, &t, b, "quantity").await;
    assert_eq!(got, [json!({"quantity": "25"})]);
}
