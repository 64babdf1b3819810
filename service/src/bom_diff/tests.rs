//! The pairing rules, on lines made by hand.
use super::*;
use crate::test_rows::line;

fn run(from: &[bom_line::Model], to: &[bom_line::Model]) -> (Vec<LineDiff>, usize) {
    compare_lines(from, to, &HashMap::new(), &HashMap::new())
}

#[test]
fn identical_lines_are_unchanged() {
    let a = [line(1, Some(10), "2", &["R1", "R2"])];
    let b = [line(2, Some(10), "2", &["R2", "R1"])];
    assert_eq!(run(&a, &b), (vec![], 1));
}

#[test]
fn designators_moved_to_another_part_are_a_change_of_part() {
    let a = [
        line(1, Some(10), "2", &["R1", "R2"]),
        line(2, Some(11), "1", &["C1"]),
    ];
    let b = [
        line(3, Some(12), "2", &["R1", "R2"]),
        line(4, Some(11), "1", &["C1"]),
    ];
    let (diffs, unchanged) = run(&a, &b);
    assert_eq!(unchanged, 1);
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].kind, ChangeKind::Changed);
    assert_eq!(
        (diffs[0].from_line_id, diffs[0].to_line_id),
        (Some(1), Some(3))
    );
    assert_eq!(
        diffs[0].changes,
        vec![FieldChange {
            field: "part".into(),
            old: "10".into(),
            new: "12".into()
        }]
    );
}

#[test]
fn same_part_pairs_by_most_shared_designators() {
    let a = [
        line(1, Some(10), "1", &["R1"]),
        line(2, Some(10), "2", &["R5", "R6"]),
    ];
    let b = [line(3, Some(10), "3", &["R5", "R6", "R7"])];
    let (diffs, _) = run(&a, &b);
    let changed = diffs
        .iter()
        .find(|d| d.kind == ChangeKind::Changed)
        .unwrap();
    assert_eq!(changed.from_line_id, Some(2));
    assert_eq!(changed.designators_added, vec!["R7".to_string()]);
    assert!(changed.designators_removed.is_empty());
    let removed = diffs
        .iter()
        .find(|d| d.kind == ChangeKind::Removed)
        .unwrap();
    assert_eq!(removed.from_line_id, Some(1));
}

#[test]
fn unrelated_lines_are_removed_and_added() {
    let a = [line(1, Some(10), "1", &["R1"])];
    let b = [line(2, Some(11), "1", &["C1"])];
    let kinds: Vec<ChangeKind> = run(&a, &b).0.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, vec![ChangeKind::Added, ChangeKind::Removed]);
}
