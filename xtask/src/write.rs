//! Replacing a directory the generator owns whole: the new set is written beside it, then swapped in
//! with renames, so a failure while writing leaves the old directory as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files by path relative to the directory that holds them.
pub type Tree = BTreeMap<PathBuf, String>;

/// `dir/.NAME.SUFFIX` beside `target` (`target` = `dir/NAME`).
pub fn beside(target: &Path, suffix: &str) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, format!("{} does not name a directory", target.display()))
    })?;
    let parent = target.parent().unwrap_or(Path::new(""));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Every regular file under `dir` (recursively, hidden entries included) with its text; `None` when
/// `dir` does not exist. A file that is not UTF-8 reads as an empty string, which never equals output.
pub fn read_tree(dir: &Path) -> io::Result<Option<Tree>> {
    fn walk(root: &Path, dir: &Path, tree: &mut Tree) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, tree)?;
            } else {
                let text = fs::read(&path).map(|b| String::from_utf8(b).unwrap_or_default())?;
                tree.insert(path.strip_prefix(root).unwrap_or(&path).to_owned(), text);
            }
        }
        Ok(())
    }
    if !dir.exists() {
        return Ok(None);
    }
    let mut tree = Tree::new();
    walk(dir, dir, &mut tree)?;
    Ok(Some(tree))
}

/// Makes `target` hold exactly `files`: written to `.NAME.new` beside it, then swapped in (the old
/// directory goes to `.NAME.old` and is removed once the new one is in place).
pub fn replace_dir(target: &Path, files: &Tree) -> io::Result<()> {
    replace_dirs(&[(target.to_owned(), files)])
}

/// [`replace_dir`] for several directories at once: every new set is written before any is swapped in,
/// so a failure while writing leaves all of them as they were.
pub fn replace_dirs(dirs: &[(PathBuf, &Tree)]) -> io::Result<()> {
    let mut places = Vec::new();
    for (target, _) in dirs {
        let (staging, backup) = (beside(target, "new")?, beside(target, "old")?);
        for leftover in [&staging, &backup] {
            if leftover.exists() {
                fs::remove_dir_all(leftover)?;
            }
        }
        places.push((staging, backup));
    }
    let staged = (|| {
        for ((_, files), (staging, _)) in dirs.iter().zip(&places) {
            fs::create_dir_all(staging)?;
            for (path, contents) in files.iter() {
                let path = staging.join(path);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(path, contents)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = staged {
        for (staging, _) in &places {
            let _ = fs::remove_dir_all(staging);
        }
        return Err(e);
    }
    for ((target, _), (staging, backup)) in dirs.iter().zip(&places) {
        if target.exists() {
            fs::rename(target, backup)?;
        }
        if let Err(e) = fs::rename(staging, target) {
            if backup.exists() {
                fs::rename(backup, target)?;
            }
            let _ = fs::remove_dir_all(staging);
            return Err(e);
        }
        if backup.exists() {
            fs::remove_dir_all(backup)?;
        }
    }
    Ok(())
}
