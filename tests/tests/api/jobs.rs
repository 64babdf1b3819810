//! Upsert BOM Async and the job queue: idempotence, approved BOMs, restarts, two instances.
use chrono::{Duration, Utc};
use entity::job;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};
use tests::builders::{app_with_admin, Part};
use tests::fails;

const UPSERT: &str =
    "mutation($i: UpsertBomAsyncInput!) { upsertBomAsync(input: $i) { job { id rowId status } } }";
const READ: &str = "query($b: ID!) { bom(id: $b) { id name version approved integrationRecordId syncedFromIntegration
  lines { quantity mpn matchStatus referenceDesignators part { name } } } }";

fn body(record: Option<&str>, qty: &str) -> Value {
    json!({
        "name": "Controller", "version": "B", "integrationRecordId": record,
        "integrationSourceName": "altium", "metadata": {"source": "test"},
        "lines": [
            {"mpn": "LM358DR", "quantity": qty, "referenceDesignatorsString": "U1"},
            {"mpn": "MYSTERY-1", "quantity": "3"},
            {"mpn": "BRKT-1", "customId": "Bracket", "isCustomPart": true, "quantity": "1"}
        ]
    })
}

async fn upsert(app: &tests::TestApp, t: &str, b: Value) -> Value {
    let queued = app.data(t, UPSERT, json!({"i": b})).await["upsertBomAsync"]["job"].clone();
    assert_eq!(queued["status"], "QUEUED");
    app.wait_job(t, &queued["id"]).await
}

#[tokio::test]
async fn upsert_is_idempotent_and_replaces_lines() {
    let (app, t) = app_with_admin().await;
    Part::named("Op-amp")
        .with(json!({"mpn": "LM358DR"}))
        .create(&app, &t)
        .await;
    let job = upsert(&app, &t, body(Some("rec-1"), "2")).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let bom_id = job["bom"]["id"].clone();
    let first = app.data(&t, READ, json!({"b": bom_id})).await["bom"].clone();
    assert_eq!(first["integrationRecordId"], "rec-1");
    assert_eq!(first["syncedFromIntegration"], true);
    assert_eq!(first["lines"].as_array().unwrap().len(), 3);
    assert_eq!(first["lines"][0]["part"]["name"], "Op-amp");

    // the same payload twice: the same BOM, the same lines
    let again = upsert(&app, &t, body(Some("rec-1"), "2")).await;
    assert_eq!(again["bom"]["id"], bom_id);
    let second = app.data(&t, READ, json!({"b": bom_id})).await["bom"].clone();
    assert_eq!(second, first);
    assert_eq!(
        app.data(
            &t,
            "{ boms { totalCount } parts(filter: {search: \"Bracket\"}) { totalCount } }",
            json!({})
        )
        .await,
        json!({"boms": {"totalCount": 1}, "parts": {"totalCount": 1}})
    );

    // a new payload: the lines become exactly the payload's
    let mut changed = body(Some("rec-1"), "7");
    changed["lines"].as_array_mut().unwrap().pop();
    upsert(&app, &t, changed).await;
    let third = app.data(&t, READ, json!({"b": bom_id})).await["bom"].clone();
    assert_eq!(third["lines"].as_array().unwrap().len(), 2);
    assert_eq!(third["lines"][0]["quantity"], "7");

    // without a record id the key is name + version
    let mut other = body(None, "1");
    other["name"] = json!("Sensor");
    let keyed = upsert(&app, &t, other.clone()).await;
    assert_ne!(keyed["bom"]["id"], bom_id);
    other["lines"][0]["quantity"] = json!("4");
    let keyed_again = upsert(&app, &t, other).await;
    assert_eq!(keyed_again["bom"]["id"], keyed["bom"]["id"]);
    let by_name = upsert(&app, &t, body(None, "2")).await;
    assert_eq!(
        by_name["bom"]["id"], bom_id,
        "Controller B is found by name and version"
    );
    let kept = app.data(&t, READ, json!({"b": bom_id})).await;
    assert_eq!(
        kept["bom"]["integrationRecordId"], "rec-1",
        "the record id is kept"
    );
}

#[tokio::test]
async fn upserting_an_approved_bom_fails_and_changes_nothing() {
    let (app, t) = app_with_admin().await;
    let mut approved = body(Some("rec-2"), "2");
    approved["approved"] = json!(true);
    let job = upsert(&app, &t, approved).await;
    let bom_id = job["bom"]["id"].clone();
    let before = app.data(&t, READ, json!({"b": bom_id})).await;
    assert_eq!(before["bom"]["approved"], true);
    let failed = upsert(&app, &t, body(Some("rec-2"), "9")).await;
    assert_eq!(failed["status"], "FAILED");
    assert!(
        failed["error"].as_str().unwrap().contains("approved"),
        "{failed}"
    );
    assert_eq!(app.data(&t, READ, json!({"b": bom_id})).await, before);
}

#[tokio::test]
async fn a_bad_body_is_refused_at_once() {
    let (app, t) = app_with_admin().await;
    let (code, err) = fails(
        &app,
        &t,
        UPSERT,
        json!({"i": {"name": "", "lines": [{"mpn": "X"}]}}),
    )
    .await;
    assert_eq!(code, "VALIDATION");
    assert!(err["extensions"]["fields"]["name"].is_array());
    assert!(err["extensions"]["fields"]["lines[0].quantity"].is_array());
    let jobs: Vec<job::Model> = job::Entity::find().all(&app.state.db).await.unwrap();
    assert!(jobs.is_empty());
}

#[tokio::test]
async fn interrupted_jobs_are_retried_then_failed() {
    let (mut app, t) = app_with_admin().await;
    app.stop_worker().await;
    let queued = app
        .data(&t, UPSERT, json!({"i": body(Some("r"), "1")}))
        .await["upsertBomAsync"]["job"]["id"]
        .clone();
    let exhausted = app
        .data(&t, UPSERT, json!({"i": body(Some("s"), "1")}))
        .await["upsertBomAsync"]["job"]["id"]
        .clone();
    // as a worker that died mid-run leaves them: running, with a lease that ran out
    let expired = Utc::now() - Duration::seconds(5);
    for (id, attempts) in [(&queued, 1), (&exhausted, service::job::MAX_ATTEMPTS)] {
        let row = job::Entity::find_by_id(app.row_id(&t, id).await as i32)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let mut am: job::ActiveModel = row.into();
        am.status = Set(job::JobStatus::Running);
        am.attempts = Set(attempts);
        am.locked_by = Set(Some("dead-worker".into()));
        am.locked_until = Set(Some(expired));
        am.update(&app.state.db).await.unwrap();
    }
    app.start_worker();
    let retried = app.wait_job(&t, &queued).await;
    assert_eq!(retried["status"], "SUCCEEDED");
    assert_eq!(retried["attempts"], 2);
    let failed = app.wait_job(&t, &exhausted).await;
    assert_eq!(failed["status"], "FAILED");
    assert!(
        failed["error"].as_str().unwrap().contains("interrupted"),
        "{failed}"
    );
}

/// Two instances on one database: every job runs, and runs once.
#[tokio::test]
async fn each_job_runs_exactly_once_with_two_instances() {
    let (mut app, t) = app_with_admin().await;
    app.stop_worker().await;
    let mut ids = Vec::new();
    for i in 0..16 {
        let b = json!({"name": format!("Board {i}"), "lines": [{"mpn": "X", "quantity": "1"}]});
        ids.push(
            app.data(&t, UPSERT, json!({"i": b})).await["upsertBomAsync"]["job"]["id"].clone(),
        );
    }
    let other = app.second_instance().await;
    let w1 = api::worker::Worker::spawn(app.state.db.clone());
    let w2 = api::worker::Worker::spawn(other.db.clone());
    let mut workers = std::collections::HashSet::new();
    for id in &ids {
        let job = app.wait_job(&t, id).await;
        assert_eq!(job["status"], "SUCCEEDED", "{job}");
        assert_eq!(job["attempts"], 1, "job {id} was claimed more than once");
        let row = job::Entity::find_by_id(job["rowId"].as_i64().unwrap() as i32)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        workers.insert(row.locked_by);
    }
    let ours = [Some(w1.id().to_owned()), Some(w2.id().to_owned())];
    assert!(
        workers.iter().all(|w| ours.contains(w)),
        "only the two instances ran jobs: {workers:?}"
    );
    w1.stop().await;
    w2.stop().await;
    assert_eq!(
        app.data(&t, "{ boms { totalCount } }", json!({})).await["boms"]["totalCount"],
        16
    );
}

/// A stopping worker (a `serve` shutting down) finishes the job it has claimed, so no
/// job is left running for its lease to run out.
#[tokio::test]
async fn a_stopped_worker_leaves_no_job_running() {
    let (mut app, t) = app_with_admin().await;
    app.stop_worker().await;
    // long enough (an upsert of 2,000 lines) to be seen running, and still be in hand
    // when the worker is told to stop
    let lines: Vec<Value> = (0..2000)
        .map(|i| json!({"mpn": format!("X-{i}"), "quantity": "1"}))
        .collect();
    for round in 0..3 {
        let b = json!({"name": format!("Board {round}"), "lines": lines});
        let queued = app.data(&t, UPSERT, json!({"i": b})).await["upsertBomAsync"]["job"]["rowId"]
            .as_i64()
            .unwrap() as i32;
        app.start_worker();
        let claimed = claimed_job(&app, queued).await;
        assert_eq!(
            claimed.status,
            job::JobStatus::Running,
            "round {round}: {}",
            summary(&claimed)
        );
        let stop_asked = Utc::now();
        app.stop_worker().await;
        let running: Vec<job::Model> = job::Entity::find()
            .filter(job::Column::Status.eq(job::JobStatus::Running))
            .all(&app.state.db)
            .await
            .unwrap();
        let running: Vec<String> = running.iter().map(summary).collect();
        assert!(running.is_empty(), "round {round}: {running:?}");
        let done = job_row(&app, queued).await;
        assert_eq!(
            (done.status, done.attempts),
            (job::JobStatus::Succeeded, 1),
            "round {round}: {}",
            summary(&done)
        );
        assert!(
            done.finished_at.is_some_and(|at| at >= stop_asked),
            "round {round}: the job was done before the worker was told to stop: {}",
            summary(&done)
        );
    }
}

/// A job's state, without its payload.
fn summary(job: &job::Model) -> String {
    format!(
        "job {} {} after {} attempts, locked by {:?}, started {:?}, finished {:?}",
        job.id, job.status, job.attempts, job.locked_by, job.started_at, job.finished_at
    )
}

async fn job_row(app: &tests::TestApp, id: i32) -> job::Model {
    job::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the job")
}

/// The job's row once a worker has claimed it (polled every millisecond, for up to 30 s).
async fn claimed_job(app: &tests::TestApp, id: i32) -> job::Model {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let row = job_row(app, id).await;
        if row.status != job::JobStatus::Queued {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    panic!("job {id} was never claimed");
}

/// Upserts of one new record running at once (jobs on several instances) make one BOM.
#[tokio::test]
async fn concurrent_upserts_of_a_new_record_make_one_bom() {
    let (app, t) = app_with_admin().await;
    let p = service::auth::authenticate_token(&app.state.db, &t)
        .await
        .unwrap();
    let body: service::raw_bom::UpsertBom = serde_json::from_value(json!({
        "name": "Controller", "integration_record_id": "erp-new",
        "lines": [{"mpn": "LM358DR", "quantity": "2"}, {"mpn": "MYSTERY-1", "quantity": "3"}]
    }))
    .unwrap();
    let runs = (0..6).map(|_| service::raw_bom::upsert(&app.state.db, &p, &body));
    for outcome in futures::future::join_all(runs).await {
        outcome.expect("each upsert succeeds");
    }
    let boms = app
        .data(
            &t,
            "{ boms { totalCount nodes { integrationRecordId lines { mpn } } } }",
            json!({}),
        )
        .await;
    assert_eq!(boms["boms"]["totalCount"], 1, "{boms}");
    assert_eq!(boms["boms"]["nodes"][0]["integrationRecordId"], "erp-new");
    assert_eq!(
        boms["boms"]["nodes"][0]["lines"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn an_idle_worker_costs_the_database_almost_nothing() {
    let app = tests::TestApp::new().await;
    // the worker's first look at start-up (two statements) comes before the window
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let before = app.statements();
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let idle = app.statements() - before;
    // Four polls a second of two UPDATEs each made 32 here; now one read per 3 s safety
    // poll (at most 2 in the window; 4 leaves room for a start-up that came late).
    assert!(idle <= 4, "{idle} statements in 4 s of idling");
}
