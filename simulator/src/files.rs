//! The fake guest file system every mount shows.
//!
//! One fixed tree is enough for the clients' needs: a few nested directories, one directory with enough
//! files to page through, names with a space and an `&` (the URL-encoding traps), and one file of about a
//! megabyte for streaming downloads. Contents are derived from the path so a download can be checked.

/// One file or directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Full guest path with forward slashes (`E:/Logs/log-001.txt`; a volume root is `E:`).
    pub path: String,
    /// Whether this is a directory (volume roots are directories).
    pub is_dir: bool,
    /// Size in bytes (0 for directories).
    pub size: u64,
}

impl Node {
    /// The last path component (the volume name for a root).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The parent directory's path, or `None` for a volume root.
    pub fn parent(&self) -> Option<&str> {
        self.path.rsplit_once('/').map(|(parent, _)| parent)
    }
}

/// The size of the one big file, `E:/Backups/archive.bin`.
pub const BIG_FILE_SIZE: u64 = 1024 * 1024;

/// The number of files in `E:/Logs`, the directory for paging tests.
pub const LOG_FILES: usize = 30;

/// A guest file tree.
#[derive(Clone, Debug)]
pub struct FileTree {
    nodes: Vec<Node>,
}

impl Default for FileTree {
    fn default() -> Self {
        FileTree::sample()
    }
}

impl FileTree {
    /// The standard tree:
    ///
    /// ```text
    /// C:/  Windows/System32/{drivers/, hosts, kernel32.dll}  Users/Administrator/Documents/{Invoice1.docx, Invoice2.docx}  boot.ini
    /// E:/  Documentation 2014/{Invoices/bank_details.txt, readme.txt}  Projects/R&D Plans.docx
    ///      Logs/log-001.txt .. log-030.txt  Backups/archive.bin (1 MiB)
    /// ```
    pub fn sample() -> Self {
        let mut tree = FileTree { nodes: Vec::new() };
        for dir in [
            "C:",
            "C:/Windows",
            "C:/Windows/System32",
            "C:/Windows/System32/drivers",
            "C:/Users",
            "C:/Users/Administrator",
            "C:/Users/Administrator/Documents",
            "E:",
            "E:/Documentation 2014",
            "E:/Documentation 2014/Invoices",
            "E:/Projects",
            "E:/Logs",
            "E:/Backups",
        ] {
            tree.nodes.push(Node { path: dir.to_owned(), is_dir: true, size: 0 });
        }
        for (file, size) in [
            ("C:/boot.ini", 211),
            ("C:/Windows/System32/hosts", 824),
            ("C:/Windows/System32/kernel32.dll", 4096),
            ("C:/Users/Administrator/Documents/Invoice1.docx", 2345),
            ("C:/Users/Administrator/Documents/Invoice2.docx", 3456),
            ("E:/Documentation 2014/readme.txt", 1200),
            ("E:/Documentation 2014/Invoices/bank_details.txt", 512),
            ("E:/Projects/R&D Plans.docx", 2048),
            ("E:/Backups/archive.bin", BIG_FILE_SIZE),
        ] {
            tree.nodes.push(Node { path: file.to_owned(), is_dir: false, size });
        }
        for i in 1..=LOG_FILES {
            let size = 1000 + 37 * i as u64;
            tree.nodes.push(Node { path: format!("E:/Logs/log-{i:03}.txt"), is_dir: false, size });
        }
        tree
    }

    /// The volume roots, in order.
    pub fn roots(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|node| node.parent().is_none())
    }

    /// The node at `path`, compared case-insensitively; `\` and a trailing `/` are accepted (`e:\logs\`).
    pub fn find(&self, path: &str) -> Option<&Node> {
        let wanted = normalize(path);
        self.nodes.iter().find(|node| node.path.eq_ignore_ascii_case(&wanted))
    }

    /// The children of the directory `dir`: directories first, then files, each by name.
    pub fn children(&self, dir: &Node) -> (Vec<&Node>, Vec<&Node>) {
        let mut dirs = Vec::new();
        let mut files = Vec::new();
        for node in &self.nodes {
            if node.parent() == Some(dir.path.as_str()) {
                if node.is_dir {
                    dirs.push(node);
                } else {
                    files.push(node);
                }
            }
        }
        dirs.sort_by_key(|node| node.name().to_ascii_lowercase());
        files.sort_by_key(|node| node.name().to_ascii_lowercase());
        (dirs, files)
    }

    /// Adds a file (and any missing parent directories); for tests that need another shape.
    pub fn add_file(&mut self, path: &str, size: u64) {
        let path = normalize(path);
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                prefix.push('/');
            }
            prefix.push_str(part);
            if self.find(&prefix).is_none() {
                let is_dir = i + 1 < parts.len();
                self.nodes.push(Node { path: prefix.clone(), is_dir, size: if is_dir { 0 } else { size } });
            }
        }
    }
}

/// `e:\Logs\` -> `e:/Logs`.
fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.trim_end_matches('/').to_owned()
}

/// The content of the file at `path` (its exact path as stored) of `size` bytes: readable text that repeats
/// the path, so a test can tell files apart and check every byte.
pub fn content(path: &str, size: u64) -> Vec<u8> {
    let line = format!("veeam-em-sim {path}\n");
    line.bytes().cycle().take(usize::try_from(size).unwrap_or(usize::MAX)).collect()
}

/// The content a restored directory downloads as: a listing of the files under it.
pub fn directory_listing(tree: &FileTree, dir: &Node) -> Vec<u8> {
    let prefix = format!("{}/", dir.path);
    let mut out = String::new();
    for node in &tree.nodes {
        if !node.is_dir && node.path.starts_with(&prefix) {
            out.push_str(&format!("{}\t{}\n", node.path, node.size));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paths_case_insensitively() {
        let tree = FileTree::sample();
        assert_eq!(tree.find("e:\\documentation 2014\\").map(|n| n.path.as_str()), Some("E:/Documentation 2014"));
        assert_eq!(tree.find("C:/").map(|n| n.path.as_str()), Some("C:"));
        assert!(tree.find("E:/nope").is_none());
    }

    #[test]
    fn lists_dirs_before_files() {
        let tree = FileTree::sample();
        let e = tree.find("E:").expect("root");
        let (dirs, files) = tree.children(e);
        assert_eq!(
            dirs.iter().map(|n| n.name()).collect::<Vec<_>>(),
            ["Backups", "Documentation 2014", "Logs", "Projects"]
        );
        assert!(files.is_empty());
        let logs = tree.find("E:/Logs").expect("logs");
        assert_eq!(tree.children(logs).1.len(), LOG_FILES);
    }

    #[test]
    fn content_has_the_size_and_names_the_path() {
        let data = content("E:/a.txt", 100);
        assert_eq!(data.len(), 100);
        assert!(data.starts_with(b"veeam-em-sim E:/a.txt\n"));
    }

    #[test]
    fn add_file_creates_parents() {
        let mut tree = FileTree::sample();
        tree.add_file("F:/x/y.txt", 3);
        assert!(tree.find("F:").is_some_and(|n| n.is_dir));
        assert!(tree.find("f:/X").is_some_and(|n| n.is_dir));
        assert_eq!(tree.find("F:/x/y.txt").map(|n| n.size), Some(3));
    }
}
