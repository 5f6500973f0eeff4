//! Runs the built `vem` binary on the fixtures in `tests/fixtures/` and on small inputs fed through
//! standard input.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const EM_NAMESPACE: &str = "http://www.veeam.com/ent/v1.0";

fn fixture(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name].iter().collect();
    path.to_str().expect("fixture paths are UTF-8").to_owned()
}

/// Runs `vem` with `args`, feeding `stdin` (empty if `None`).
fn vem(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vem"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vem starts");
    {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(stdin.unwrap_or_default()).expect("stdin accepts the input");
    }
    child.wait_with_output().expect("vem finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Decodes `file` and returns the parsed JSON, checking the run succeeded.
fn decode_json(file: &str) -> Value {
    let output = vem(&["decode", file], None);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert!(output.stderr.is_empty(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.ends_with("}\n"), "JSON output is newline-terminated: {text:?}");
    serde_json::from_str(&text).expect("stdout is JSON")
}

/// Asserts a failed run: exit status 1, nothing on stdout, and one stderr line starting with
/// `prefix:LINE:COL: ` whose message contains every word in `words`. Returns (line, column).
fn assert_decode_error(output: &Output, prefix: &str, words: &[&str]) -> (usize, usize) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "stderr: {err}");
    assert!(output.stdout.is_empty(), "stdout: {}", stdout(output));
    assert!(!err.contains("panicked"), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err:?}");
    let rest =
        err.strip_prefix(&format!("{prefix}:")).unwrap_or_else(|| panic!("stderr starts with `{prefix}:`: {err}"));
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().and_then(|s| s.parse().ok());
    let column = parts.next().and_then(|s| s.parse().ok());
    let message = parts.next().unwrap_or_default();
    let (Some(line), Some(column)) = (line, column) else {
        panic!("stderr has `{prefix}:LINE:COL:`: {err}");
    };
    assert!(line >= 1 && column >= 1, "positions are 1-based: {err}");
    assert!(message.starts_with(' '), "a space follows the position: {err}");
    for word in words {
        assert!(message.contains(word), "stderr mentions {word:?}: {err}");
    }
    (line, column)
}

#[test]
fn vm_replica_point_decodes_to_em_json() {
    let json = decode_json(&fixture("vm_replica_point.xml"));
    assert_eq!(json["VmDisplayName"], "billing-db_replica");
    assert_eq!(json["VmName"], "billing-db_replica");
    assert_eq!(json["Name"], "billing-db_replica@2024-03-05 04:15:09");
    assert_eq!(json["UID"], "urn:veeam:VmReplicaPoint:0c1d2e3f-4a5b-4c6d-8e7f-901234567890");
    assert_eq!(json["Type"], "VmReplicaPoint");
    assert_eq!(json["Algorithm"], "Increment");
    assert_eq!(json["PointType"], "Snapshot");
    let created = json["CreationTimeUTC"].as_str().expect("CreationTimeUTC is a string");
    assert!(created.starts_with("2024-03-05T04:15:09.517"), "fractional seconds kept: {created}");

    let links = json["Links"].as_array().expect("Links is an array");
    assert_eq!(links.len(), 4);
    let rels: Vec<&str> = links.iter().filter_map(|link| link["Rel"].as_str()).collect();
    assert_eq!(rels, ["Failover", "Up", "Up", "Down"]);
    assert_eq!(links[1]["Name"], "vbr-east.example.test");
    assert_eq!(links[1]["Type"], "BackupServerReference");
    assert!(links[0]["Href"].as_str().is_some_and(|href| href.ends_with("?action=failover")));
}

#[test]
fn task_decodes_to_em_json() {
    let json = decode_json(&fixture("task.xml"));
    assert_eq!(json["TaskId"], "task-42");
    assert_eq!(json["State"], "Finished");
    assert_eq!(json["Operation"], "StartJob");
    assert_eq!(json["Result"]["Success"], true);
    assert_eq!(json["Result"]["Message"], "Job \"Weekly file server\" triggered to start.");
    assert_eq!(json["Links"][0]["Rel"], "Delete");
    assert_eq!(json["Href"], "https://em.example.test:9398/api/tasks/task-42");
}

#[test]
fn xml_output_decodes_again_to_the_same_json() {
    for name in ["vm_replica_point.xml", "task.xml"] {
        let file = fixture(name);
        let output = vem(&["decode", "--xml", &file], None);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        let xml = stdout(&output);
        assert!(xml.ends_with(">\n"), "{name}: XML output is newline-terminated: {xml:?}");
        assert!(xml.contains(EM_NAMESPACE), "{name}: XML output is in the EM namespace: {xml}");

        let again = vem(&["decode", "-"], Some(xml.as_bytes()));
        assert_eq!(again.status.code(), Some(0), "{name}: {}", stderr(&again));
        let round_tripped: Value = serde_json::from_str(&stdout(&again)).expect("stdout is JSON");
        assert_eq!(round_tripped, decode_json(&file), "{name}");
    }
}

#[test]
fn stdin_is_read_for_dash() {
    let xml = std::fs::read(fixture("task.xml")).expect("fixture is readable");
    let output = vem(&["decode", "-"], Some(&xml));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(json, decode_json(&fixture("task.xml")));
}

#[test]
fn mismatched_end_tag_is_reported_with_its_position() {
    let file = fixture("mismatched_end_tag.xml");
    let output = vem(&["decode", &file], None);
    let (line, _) = assert_decode_error(&output, &file, &["State", "Status"]);
    assert_eq!(line, 3);
}

#[test]
fn invalid_datetime_names_the_element_and_value() {
    let file = fixture("invalid_datetime.xml");
    let output = vem(&["decode", &file], None);
    let (line, _) = assert_decode_error(&output, &file, &["VmReplicaPoint/CreationTimeUTC", "dateTime", "yesterday"]);
    assert_eq!(line, 2);
}

#[test]
fn unknown_root_lists_known_roots() {
    let file = fixture("unknown_root.xml");
    let output = vem(&["decode", &file], None);
    assert_decode_error(&output, &file, &["Banana", "VmReplicaPoint", "Task"]);
}

#[test]
fn xml_declaration_alone_fails_cleanly() {
    let file = fixture("truncated_declaration.xml");
    let output = vem(&["decode", &file], None);
    assert_decode_error(&output, &file, &["root"]);
}

#[test]
fn start_tag_alone_fails_cleanly() {
    let file = fixture("truncated_start_tag.xml");
    let output = vem(&["decode", &file], None);
    assert_decode_error(&output, &file, &["VmReplicaPoint"]);
}

#[test]
fn truncated_and_empty_stdin_fail_cleanly() {
    let inputs: &[&[u8]] = &[
        b"",
        b"   \n",
        b"<?xml version=\"1.0\"?>",
        b"<Task xmlns=\"http://www.veeam.com/ent/v1.0\"",
        b"<Task xmlns=\"http://www.veeam.com/ent/v1.0\">",
        b"<Task xmlns=\"http://www.veeam.com/ent/v1.0\"><TaskId>task-1</Task",
        b"<Task xmlns=\"http://www.veeam.com/ent/v1.0\"><TaskId>task-1</TaskId>",
        b"<Task xmlns=\"http://www.veeam.com/ent/v1.0\"/><Task/>",
        b"<Task/>",
    ];
    for input in inputs {
        let output = vem(&["decode", "-"], Some(input));
        assert_decode_error(&output, "-", &[]);
    }
}

#[test]
fn non_utf8_input_reports_the_first_bad_byte() {
    let file = fixture("latin1.xml");
    let output = vem(&["decode", &file], None);
    let position = assert_decode_error(&output, &file, &["not UTF-8"]);
    assert_eq!(position, (2, 16));

    let output = vem(&["decode", "-"], Some(b"\xff\xfe<\x00"));
    assert_eq!(assert_decode_error(&output, "-", &["not UTF-8"]), (1, 1));
}

#[test]
fn unreadable_file_is_reported() {
    let file = fixture("does_not_exist.xml");
    let output = vem(&["decode", &file], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert!(err.starts_with(&format!("{file}: cannot read: ")), "stderr: {err}");
}

#[test]
fn usage_errors_exit_with_status_2() {
    for args in [&[][..], &["decode"][..], &["frobnicate", "x.xml"][..], &["decode", "--json", "x.xml"][..]] {
        let output = vem(args, None);
        assert_eq!(output.status.code(), Some(2), "args {args:?}: {}", stderr(&output));
        assert!(output.stdout.is_empty(), "args {args:?}");
    }
}
