//! The kept session: what `vem login` leaves for later commands.
//!
//! EM ties mounts and tasks to the logon session, so a workflow spread over several commands needs them
//! all to use one session. The file holds the session token, which is as good as the password while the
//! session lives: it is created with mode 0600 (never widened after the fact, so there is no moment when
//! others could read it) in a directory only the user can enter, and replaced atomically.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One kept session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptSession {
    /// The API root the session belongs to, as the client normalizes it (`https://em:9398/api/`).
    pub url: String,
    /// The user who logged on.
    pub user: String,
    /// The `X-RestSvcSessionId` token. Never printed.
    pub token: String,
    /// The session's own address, for logout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_href: Option<String>,
}

impl KeptSession {
    /// Whether this session is the one to use for `url` (normalized) and `user`.
    pub fn is_for(&self, url: &str, user: &str) -> bool {
        self.url == url && self.user == user
    }
}

/// Where the session is kept: `VEM_SESSION_FILE`, else `$XDG_STATE_HOME/vem/session.json`, else
/// `~/.local/state/vem/session.json`. `None` when none of these can be worked out.
pub fn path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("VEM_SESSION_FILE").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(file));
    }
    let state = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".local/state"),
    };
    Some(state.join("vem").join("session.json"))
}

/// Reads the kept session. A missing file is `Ok(None)`; so is a file that does not parse (a leftover
/// from another version is no reason to fail every command: `vem login` replaces it).
pub fn load(path: &Path) -> io::Result<Option<KeptSession>> {
    match fs::read(path) {
        Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Writes the kept session: a fresh file created with mode 0600 beside the target, then renamed over it.
pub fn save(path: &Path, session: &KeptSession) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let text = serde_json::to_string_pretty(session).map_err(io::Error::other)?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("session.json");
    let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = open_private(&temp)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes the kept session; a file already gone is fine.
pub fn remove(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn open_private(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_privately_and_loads_back() {
        let dir = std::env::temp_dir().join(format!("vem-session-test-{}", std::process::id()));
        let path = dir.join("nested").join("session.json");
        let kept = KeptSession {
            url: "http://127.0.0.1:1/api/".into(),
            user: "admin".into(),
            token: "abc==".into(),
            session_href: Some("http://127.0.0.1:1/api/logonSessions/x".into()),
        };
        save(&path, &kept).expect("saved");
        save(&path, &kept).expect("saved over the old file");
        assert_eq!(load(&path).expect("read").as_ref(), Some(&kept));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        remove(&path).expect("removed");
        remove(&path).expect("removing twice is fine");
        assert_eq!(load(&path).expect("read"), None);
        let _ = fs::remove_dir_all(&dir);
    }
}
