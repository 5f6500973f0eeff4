//! The README's walkthrough is `examples/walkthrough.rs`: this runs it against a simulator and checks that
//! the README shows the same code, so the documented example always compiles and works.

#[path = "../examples/walkthrough.rs"]
#[allow(dead_code)] // its `main` is for `cargo run --example`
mod walkthrough;

use veeam_em_sim::Simulator;

const BEGIN: &str = "// README walkthrough: begin\n";
const END: &str = "// README walkthrough: end\n";

#[tokio::test]
async fn the_walkthrough_runs_against_the_simulator() {
    let sim = Simulator::start().await;
    let dir = std::env::temp_dir().join(format!("veeam-em-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("log.txt");
    let bytes = walkthrough::walkthrough(&sim.base_url(), "admin", "secret", "sql02", "E:/Logs", &target)
        .await
        .expect("the walkthrough succeeds");
    let written = std::fs::read(&target).unwrap();
    assert_eq!(written.len() as u64, bytes);
    assert_eq!(written, veeam_em_sim::files::content("E:/Logs/log-001.txt", bytes));
    // It cleaned up after itself: no mount is left, and the session is gone.
    assert!(sim.state().mounts.is_empty(), "the mount was removed");
    assert!(sim.state().sessions.is_empty(), "the session was ended");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_readme_shows_the_walkthrough() {
    let example = include_str!("../examples/walkthrough.rs");
    let code = &example[example.find(BEGIN).unwrap() + BEGIN.len()..example.find(END).unwrap()];
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(code),
        "README.md must show the code between the markers of simulator/examples/walkthrough.rs verbatim"
    );
}
