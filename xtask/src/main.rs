//! Maintainer tasks. `cargo xtask codegen` regenerates `generated/src/model` from `schemas/`;
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
    let out_dir = root.join("generated/src/model");
    let files = match codegen::generate(&root.join("schemas"), "schemas") {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    let changes = match compare(&out_dir, &files) {
        Ok(changes) => changes,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", out_dir.display());
            return ExitCode::FAILURE;
        }
    };
    if changes.is_empty() {
        println!("generated/src/model is up to date ({} files)", files.len());
        return ExitCode::SUCCESS;
    }
    if check {
        for change in &changes {
            eprintln!("{change}");
        }
        eprintln!("generated/src/model is out of date; run `cargo xtask codegen`");
        return ExitCode::FAILURE;
    }
    match replace_dir(&out_dir, &files) {
        Ok(()) => {
            for change in &changes {
                println!("{change}");
            }
            println!("wrote {} files to generated/src/model", files.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {} failed: {e}; the previous files were left in place", out_dir.display());
            ExitCode::FAILURE
        }
    }
}

/// What differs between the rendered files and the directory: `stale`, `missing` and `orphaned` lines.
fn compare(dir: &Path, files: &[OutputFile]) -> std::io::Result<Vec<String>> {
    let mut changes = Vec::new();
    for file in files {
        match fs::read_to_string(dir.join(&file.path)) {
            Ok(text) if text == file.contents => {}
            Ok(_) => changes.push(format!("stale: generated/src/model/{}", file.path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changes.push(format!("missing: generated/src/model/{}", file.path.display()))
            }
            Err(e) => return Err(e),
        }
    }
    if dir.exists() {
        let mut on_disk: Vec<PathBuf> = fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        on_disk.sort();
        for path in on_disk {
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            if !files.iter().any(|f| f.path == name) {
                changes.push(format!("orphaned: generated/src/model/{}", name.display()));
            }
        }
    }
    Ok(changes)
}

/// Writes the whole set beside `dir` and swaps it in with renames, so a failure leaves the old tree intact.
fn replace_dir(dir: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let staging = parent.join(".model.new");
    let backup = parent.join(".model.old");
    for leftover in [&staging, &backup] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    let result = (|| {
        fs::create_dir_all(&staging)?;
        for file in files {
            fs::write(staging.join(&file.path), &file.contents)?;
        }
        if dir.exists() {
            fs::rename(dir, &backup)?;
        }
        if let Err(e) = fs::rename(&staging, dir) {
            if backup.exists() {
                fs::rename(&backup, dir)?;
            }
            return Err(e);
        }
        if backup.exists() {
            fs::remove_dir_all(&backup)?;
        }
        Ok(())
    })();
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}
