//! `cargo xtask synth` and `cargo xtask codegen --schemas DIR --out DIR`: a standalone crate from a
//! synthetic schema folder, written whole or not at all. The crate is not built here (too slow for CI);
//! `bench/README.md` has the commands that build it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("veeam-em-xtask-standalone-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    root
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).env_remove("VEEAM_EM_ROOT").output().expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file under `dir` (hidden ones included) with its contents.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned(), fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn synth(n: usize, out: &Path) {
    let run = xtask(&["synth", &n.to_string(), "--out", s(out)]);
    assert!(run.status.success(), "{}", text(&run.stderr));
}

#[test]
fn synth_then_standalone_crate() {
    let root = scratch("crate");
    let schemas = root.join("schemas");
    synth(3, &schemas);
    let names: Vec<String> = tree(&schemas).keys().map(|p| p.display().to_string()).collect();
    assert_eq!(names, ["common.xml", "synth_0000.xml"]);
    let first = tree(&schemas);
    synth(3, &schemas);
    assert_eq!(tree(&schemas), first, "synth is deterministic");

    let out = root.join("crate");
    let run = xtask(&["codegen", "--schemas", s(&schemas), "--out", s(&out), "--timings"]);
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(stdout.contains("2 schema files"), "{stdout}");
    for stage in ["parse", "validate", "lower", "emit", "format", "write"] {
        assert!(stdout.contains(&format!(" {stage} ")), "no {stage} timing in {stdout}");
    }
    let files: Vec<String> = tree(&out).keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        files,
        [
            "Cargo.toml",
            "src/client/mod.rs",
            "src/lib.rs",
            "src/model/common.rs",
            "src/model/mod.rs",
            "src/model/synth_0000.rs",
            "src/server/mod.rs"
        ]
    );
    let lib = fs::read_to_string(out.join("src/lib.rs")).unwrap();
    for module in
        ["pub mod model;", "pub mod client;", "#[cfg(feature = \"server\")]\n#[rustfmt::skip]\npub mod server;"]
    {
        assert!(lib.contains(module), "lib.rs lacks `{module}`:\n{lib}");
    }
    assert!(lib.contains("pub use veeam_em_runtime as runtime;"), "{lib}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime").canonicalize().unwrap();
    assert!(manifest.contains("name = \"veeam-em-generated\""), "{manifest}");
    assert!(manifest.contains(&format!("veeam-em-runtime = {{ path = \"{}\" }}", runtime.display())), "{manifest}");
    assert!(manifest.contains("server = [\"veeam-em-runtime/server\"]"), "{manifest}");
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    let model = fs::read_to_string(out.join("src/model/synth_0000.rs")).unwrap();
    assert!(model.contains("pub struct Synth0002Point {"), "the third resource is in the first file");

    // Running again changes nothing; another crate name rewrites the manifest only.
    let before = tree(&out);
    let again = xtask(&["codegen", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(again.status.success());
    assert!(text(&again.stdout).contains("up to date"), "{}", text(&again.stdout));
    assert_eq!(tree(&out), before);
    let renamed = xtask(&["codegen", "--schemas", s(&schemas), "--out", s(&out), "--crate-name", "my-api"]);
    assert!(renamed.status.success(), "{}", text(&renamed.stderr));
    let after = tree(&out);
    assert!(after[Path::new("Cargo.toml")].contains("name = \"my-api\""));
    assert_eq!(after.len(), before.len());
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_broken_schema_folder_leaves_out_untouched() {
    let root = scratch("broken");
    let schemas = root.join("schemas");
    synth(3, &schemas);
    let out = root.join("crate");
    assert!(xtask(&["codegen", "--schemas", s(&schemas), "--out", s(&out)]).status.success());
    // What cargo leaves in a crate is not the generator's and stays.
    fs::write(out.join("Cargo.lock"), "# kept\n").unwrap();
    let before = tree(&out);

    let broken = root.join("broken");
    synth(12, &broken);
    let file = broken.join("synth_0001.xml");
    let schema = fs::read_to_string(&file).unwrap().replace("type=\"Algorithm\"", "type=\"Algorythm\"");
    fs::write(&file, schema).unwrap();
    let run = xtask(&["codegen", "--schemas", s(&broken), "--out", s(&out)]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("synth_0001.xml:"), "{stderr}");
    assert!(stderr.contains("error: unknown type `Algorythm`"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(tree(&out), before, "the crate is untouched, no staging files left");
    let mut entries: Vec<String> =
        fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    entries.sort();
    assert_eq!(entries, ["broken", "crate", "schemas"]);

    // The good folder still regenerates over it.
    let good = xtask(&["codegen", "--schemas", s(&schemas), "--out", s(&out)]);
    assert!(good.status.success(), "{}", text(&good.stderr));
    assert_eq!(tree(&out), before);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn foreign_directories_are_not_replaced() {
    let root = scratch("foreign");
    let schemas = root.join("schemas");
    synth(1, &schemas);

    let project = root.join("project");
    fs::create_dir_all(project.join("src")).unwrap();
    fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    fs::write(project.join("src/lib.rs"), "// mine\n").unwrap();
    let plain = root.join("plain");
    fs::create_dir_all(&plain).unwrap();
    fs::write(plain.join("notes.txt"), "mine\n").unwrap();
    for out in [&project, &plain] {
        let before = tree(out);
        let run = xtask(&["codegen", "--schemas", s(&schemas), "--out", s(out)]);
        assert_eq!(run.status.code(), Some(1));
        assert!(text(&run.stderr).contains("refusing to replace"), "{}", text(&run.stderr));
        assert_eq!(tree(out), before);
    }

    let run = xtask(&["synth", "2", "--out", s(&plain)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("notes.txt was not written by `cargo xtask synth`"), "{}", text(&run.stderr));
    assert_eq!(tree(&plain).len(), 1);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn usage_errors() {
    for args in [
        &["codegen", "--schemas", "x"][..],
        &["codegen", "--schemas", "x", "--out", "y", "--check"],
        &["codegen", "--schemas", "x", "--out", "y", "--crate-name", "no spaces"],
        &["synth", "many", "--out", "x"],
        &["synth", "3"],
    ] {
        let run = xtask(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(text(&run.stderr).contains("cargo xtask synth N --out DIR"), "{}", text(&run.stderr));
    }
}
