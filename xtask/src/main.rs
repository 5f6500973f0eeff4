//! Maintainer tasks. `cargo xtask codegen` regenerates `generated/src/{model,client,server}` from `schemas/`;
//! `cargo xtask codegen --check` fails when the checked-in files are stale.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::OutputFile;

const USAGE: &str = "usage: cargo xtask codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run(false),
        ["codegen", "--check"] => run(true),
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
    let staging = |dir: &str| src.join(format!(".{dir}.new"));
    let backup = |dir: &str| src.join(format!(".{dir}.old"));
    for (dir, _) in groups {
        for leftover in [staging(dir), backup(dir)] {
            if leftover.exists() {
                fs::remove_dir_all(leftover)?;
            }
        }
    }
    let staged = (|| {
        for (dir, files) in groups {
            fs::create_dir_all(staging(dir))?;
            for file in files {
                fs::write(staging(dir).join(&file.path), &file.contents)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = staged {
        for (dir, _) in groups {
            let _ = fs::remove_dir_all(staging(dir));
        }
        return Err(e);
    }
    for (dir, _) in groups {
        let target = src.join(dir);
        if target.exists() {
            fs::rename(&target, backup(dir))?;
        }
        if let Err(e) = fs::rename(staging(dir), &target) {
            if backup(dir).exists() {
                fs::rename(backup(dir), &target)?;
            }
            return Err(e);
        }
        if backup(dir).exists() {
            fs::remove_dir_all(backup(dir))?;
        }
    }
    Ok(())
}
