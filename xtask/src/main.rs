//! Maintainer tasks. `cargo xtask codegen` regenerates `generated/src/{model,client,server}` from `schemas/`;
//! `cargo xtask codegen --check` fails when the checked-in files are stale.
//! `cargo xtask codegen --schemas DIR --out DIR` writes a standalone crate from any schema folder, and
//! `cargo xtask synth N --out DIR` writes a synthetic schema folder of `N` resources (for scaling
//! measurements). `--timings` prints the time per generator stage.

mod export;
mod standalone;
mod synth;
mod write;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::OutputFile;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--timings]
       cargo xtask codegen --schemas DIR --out DIR [--crate-name NAME] [--timings]
       cargo xtask synth N --out DIR
       cargo xtask export xsd|openapi [-o FILE] [--schemas DIR]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run(false),
        ["codegen", "--check"] => run(true),
        ["codegen", rest @ ..] => match parse_codegen(rest) {
            Ok(Command::Workspace { check, timings }) => run_timed(check, timings),
            Ok(Command::Standalone(options)) => standalone::run(&options, &workspace_root()),
            Err(message) => usage_error(&message),
        },
        ["export", rest @ ..] => export::run(rest, &workspace_root()),
        ["synth", n, "--out", out] => match n.parse::<usize>() {
            Ok(n) => synth::run(n, Path::new(out)),
            Err(_) => usage_error(&format!("`{n}` is not a number of resources")),
        },
        ["--help" | "-h"] | [] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// What `cargo xtask codegen ...` asked for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    /// The workspace's own crate (`generated/`).
    Workspace { check: bool, timings: bool },
    /// A standalone crate from `--schemas` in `--out`.
    Standalone(standalone::Options),
}

/// The arguments after `codegen`.
fn parse_codegen(args: &[&str]) -> Result<Command, String> {
    let (mut check, mut timings) = (false, false);
    let (mut schemas, mut out, mut crate_name) = (None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |slot: &mut Option<String>| match args.next() {
            Some(v) if slot.is_none() => {
                *slot = Some((*v).to_owned());
                Ok(())
            }
            Some(_) => Err(format!("{arg} given twice")),
            None => Err(format!("{arg} needs a value")),
        };
        match *arg {
            "--check" => check = true,
            "--timings" => timings = true,
            "--schemas" => value(&mut schemas)?,
            "--out" => value(&mut out)?,
            "--crate-name" => value(&mut crate_name)?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match (schemas, out) {
        (None, None) if crate_name.is_none() => Ok(Command::Workspace { check, timings }),
        (Some(schemas), Some(out)) if !check => {
            let crate_name = crate_name.unwrap_or_else(|| standalone::DEFAULT_CRATE_NAME.to_owned());
            if !is_package_name(&crate_name) {
                return Err(format!("`{crate_name}` is not a package name (ASCII letters, digits, `-`, `_`)"));
            }
            Ok(Command::Standalone(standalone::Options { schemas, out: PathBuf::from(out), crate_name, timings }))
        }
        (Some(_), Some(_)) => Err("--check applies to the workspace crate only".to_owned()),
        _ => Err("--schemas and --out go together (and --crate-name with them)".to_owned()),
    }
}

fn is_package_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// [`run`], then (with `--timings`) a line of stage timings from a measuring pass.
fn run_timed(check: bool, timings: bool) -> ExitCode {
    let start = Instant::now();
    let code = run(check);
    let total = start.elapsed();
    if timings {
        let sources = codegen::read_dir(&workspace_root().join("schemas"), "schemas");
        match sources.map_err(|e| e.to_string()).and_then(|s| standalone::measure(&s)) {
            Ok(stages) => {
                println!("{}; total {:.1} ms", standalone::timings_line(&stages, None), total.as_secs_f64() * 1e3)
            }
            Err(e) => eprintln!("error: timing pass failed: {e}"),
        }
    }
    code
}

/// The workspace root; `VEEAM_EM_ROOT` points the task at another tree (the xtask tests use a copy).
fn workspace_root() -> PathBuf {
    match std::env::var_os("VEEAM_EM_ROOT") {
        Some(root) => PathBuf::from(root),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default(),
    }
}

fn run(check: bool) -> ExitCode {
    let root = workspace_root();
    let src = root.join("generated/src");
    let files = match codegen::generate(&root.join("schemas"), "schemas") {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    let groups = group_by_dir(&files);
    let mut changes = Vec::new();
    for (dir, group) in &groups {
        match compare(&src, dir, group) {
            Ok(c) => changes.extend(c),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", src.join(dir).display());
                return ExitCode::FAILURE;
            }
        }
    }
    let dirs: Vec<String> = groups.iter().map(|(d, _)| format!("generated/src/{d}")).collect();
    if changes.is_empty() {
        println!("{} up to date ({} files)", dirs.join(", "), files.len());
        return ExitCode::SUCCESS;
    }
    if check {
        for change in &changes {
            eprintln!("{change}");
        }
        eprintln!("generated code is out of date; run `cargo xtask codegen`");
        return ExitCode::FAILURE;
    }
    match replace_dirs(&src, &groups) {
        Ok(()) => {
            for change in &changes {
                println!("{change}");
            }
            println!("wrote {} files to {}", files.len(), dirs.join(", "));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {} failed: {e}; the previous files were left in place", src.display());
            ExitCode::FAILURE
        }
    }
}

/// The generated files grouped by their top directory under `generated/src` (`model`, `client`, ...),
/// with paths relative to that directory. The generator owns these directories whole.
fn group_by_dir(files: &[OutputFile]) -> Vec<(String, Vec<OutputFile>)> {
    let mut groups: Vec<(String, Vec<OutputFile>)> = Vec::new();
    for file in files {
        let mut parts = file.path.components();
        let dir = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
        let rest = OutputFile { path: parts.as_path().to_owned(), contents: file.contents.clone() };
        match groups.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, group)) => group.push(rest),
            None => groups.push((dir, vec![rest])),
        }
    }
    groups
}

/// What differs between the rendered files and one directory: `stale`, `missing` and `orphaned` lines.
fn compare(src: &Path, dir: &str, files: &[OutputFile]) -> std::io::Result<Vec<String>> {
    let path = src.join(dir);
    let mut changes = Vec::new();
    for file in files {
        match fs::read_to_string(path.join(&file.path)) {
            Ok(text) if text == file.contents => {}
            Ok(_) => changes.push(format!("stale: generated/src/{dir}/{}", file.path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changes.push(format!("missing: generated/src/{dir}/{}", file.path.display()))
            }
            Err(e) => return Err(e),
        }
    }
    if path.exists() {
        let mut on_disk: Vec<PathBuf> = fs::read_dir(&path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        on_disk.sort();
        for entry in on_disk {
            let name = entry.file_name().map(PathBuf::from).unwrap_or_default();
            if !files.iter().any(|f| f.path == name) {
                changes.push(format!("orphaned: generated/src/{dir}/{}", name.display()));
            }
        }
    }
    Ok(changes)
}

/// Writes every directory's new set beside it first, then swaps them in with renames, so a failure while
/// writing leaves the old tree intact.
fn replace_dirs(src: &Path, groups: &[(String, Vec<OutputFile>)]) -> std::io::Result<()> {
    let trees: Vec<(PathBuf, write::Tree)> = groups
        .iter()
        .map(|(dir, files)| (src.join(dir), files.iter().map(|f| (f.path.clone(), f.contents.clone())).collect()))
        .collect();
    let dirs: Vec<(PathBuf, &write::Tree)> = trees.iter().map(|(dir, tree)| (dir.clone(), tree)).collect();
    write::replace_dirs(&dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codegen_arguments() {
        let workspace = |check, timings| Ok(Command::Workspace { check, timings });
        assert_eq!(parse_codegen(&["--timings"]), workspace(false, true));
        assert_eq!(parse_codegen(&["--timings", "--check"]), workspace(true, true));
        let standalone = parse_codegen(&["--schemas", "s", "--out", "o", "--timings"]).unwrap();
        assert_eq!(
            standalone,
            Command::Standalone(standalone::Options {
                schemas: "s".into(),
                out: "o".into(),
                crate_name: "veeam-em-generated".into(),
                timings: true
            })
        );
        let named = parse_codegen(&["--out", "o", "--crate-name", "my_api", "--schemas", "s"]).unwrap();
        assert!(matches!(named, Command::Standalone(o) if o.crate_name == "my_api"));
        assert!(parse_codegen(&["--schemas", "s"]).is_err());
        assert!(parse_codegen(&["--schemas", "s", "--out", "o", "--check"]).is_err());
        assert!(parse_codegen(&["--schemas", "s", "--out", "o", "--crate-name", "1x"]).is_err());
        assert!(parse_codegen(&["--schemas", "s", "--schemas", "t", "--out", "o"]).is_err());
        assert!(parse_codegen(&["--out"]).is_err());
        assert!(parse_codegen(&["--crate-name", "x"]).is_err());
        assert!(parse_codegen(&["--frobnicate"]).is_err());
    }
}
