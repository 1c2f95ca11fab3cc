//! fixtures/invalid/ read by the standalone check, in `cargo test`: each file's `# expect:`
//! lines are the complete output of `serverless package` (invalid.test.js compares them whole
//! through the Framework); those whose code is found in the settings phase are what this check
//! must print for the file, exactly, with the same positions. A rule change fails here first.

use super::*;
use crate::diagnostics::Phase;
use crate::repo_path;

/// The phase of a printed problem's code: `file:1:2: error[code] ...` -> the code's phase.
fn phase_of(line: &str) -> Option<Phase> {
    let (_, after) = line
        .split_once("error[")
        .or_else(|| line.split_once("warning["))?;
    let code = after.split(']').next()?;
    Code::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.phase())
}

#[test]
fn every_invalid_fixture_gets_exactly_its_settings_problems() {
    let dir = repo_path("fixtures/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/invalid")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
        .collect();
    files.sort();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("a fixture");
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("# expect: "))
            .filter(|line| phase_of(line) == Some(Phase::Settings))
            .collect();
        let report = validate(&ValidateInput {
            file: file.clone(),
            text: text.clone(),
            options: BTreeMap::new(),
            env: HashMap::new(),
            read_error: None,
        });
        let got: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.code.phase() == Phase::Settings)
            .map(ToString::to_string)
            .collect();
        let (mut want, mut have) = (
            expected.clone(),
            got.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        want.sort_unstable();
        have.sort_unstable();
        if want != have {
            mismatches.push(format!("{file}:\n  expected {want:#?}\n  got {have:#?}"));
        }
        checked += usize::from(!expected.is_empty());
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        checked >= 25,
        "only {checked} files expect a settings problem"
    );
}
