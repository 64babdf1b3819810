//! Whole reply bodies of both REST dialects, as snapshots: a change to any field of any
//! body a client reads fails here, with the difference shown.
//!
//! Each snapshot is `{"status": ..., "body": ...}` of one reply ([`tests::request::Whole`]),
//! kept beside this file in `snapshots/<dialect>/`. What differs from run to run (the times rows
//! were written) is redacted by [`body!`]; ids are kept, since every test starts from an empty database and
//! both backends number rows alike. After a deliberate change, run the tests with
//! `INSTA_UPDATE=always` and read the new bodies in `git diff` before committing them.
mod cofactr;
mod inventree;

/// Snapshots of the module `module` (a dialect) kept in `snapshots/<dialect>/`, with what
/// varies between runs redacted: the times rows were written, by field name wherever they
/// appear. Each must still be an RFC 3339 time, so a time that changes shape fails.
fn redacted(module: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let dialect = module.rsplit("::").next().expect("a module path");
    settings.set_snapshot_path(format!("snapshots/{dialect}"));
    for field in TIMES {
        settings.add_redaction(
            &format!(".**.{field}"),
            insta::dynamic_redaction(|value, path| {
                let Some(time) = value.as_str() else {
                    // a time not yet set (`approved_at` of a draft) stays in the snapshot
                    return value;
                };
                assert!(
                    chrono::DateTime::parse_from_rfc3339(time).is_ok(),
                    "{path}: {time} is not an RFC 3339 time"
                );
                "[time]".into()
            }),
        );
    }
    settings.set_sort_maps(true);
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Fields holding the time a row was written or a job ran.
const TIMES: &[&str] = &[
    "created_at",
    "updated_at",
    "approved_at",
    "started_at",
    "finished_at",
];

/// `body!("name", reply)`: asserts that the reply's status and JSON body match the
/// snapshot `name`, with run-dependent fields redacted.
macro_rules! body {
    ($name:expr, $reply:expr) => {{
        let whole = tests::request::Whole::whole(&$reply);
        super::redacted(module_path!()).bind(|| insta::assert_json_snapshot!($name, whole));
    }};
}
use body;
