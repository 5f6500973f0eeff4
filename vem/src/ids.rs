//! Checking the ids given on the command line before they go into a URL.
//!
//! A mistyped id would otherwise reach the server as some other path and come back as a confusing 404;
//! rejecting it here gives exit status 1 and says which argument was wrong.

use crate::failure::Failure;

const POINT_URN: &str = "urn:veeam:VmReplicaPoint:";

/// A replica point id: the GUID, or the whole UID `urn:veeam:VmReplicaPoint:GUID`. Returns the GUID.
pub fn point(text: &str) -> Result<String, Failure> {
    let trimmed = text.trim();
    let guid = match trimmed.get(..POINT_URN.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(POINT_URN) => &trimmed[POINT_URN.len()..],
        _ => trimmed,
    };
    if is_guid(guid) {
        Ok(guid.to_owned())
    } else {
        Err(Failure::input(format!("malformed id `{text}`: expected a replica point GUID or {POINT_URN}GUID")))
    }
}

/// A mount id: EM numbers mounts per point (`1`, `2`, ...).
pub fn mount(text: &str) -> Result<String, Failure> {
    simple(text, "mount")
}

/// A task id such as `task-3`.
pub fn task(text: &str) -> Result<String, Failure> {
    simple(text, "task")
}

/// Letters, digits, `-` and `_`: enough for every id EM hands out, and nothing that changes the path.
fn simple(text: &str, what: &str) -> Result<String, Failure> {
    let ok = !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(text.to_owned())
    } else {
        Err(Failure::input(format!("malformed id `{text}`: not a {what} id")))
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits of either case.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_accept_guid_and_uid() {
        let guid = "0c1d2e3f-4a5b-4c6d-8e7f-901234567890";
        assert_eq!(point(guid).ok().as_deref(), Some(guid));
        assert_eq!(point(&format!("urn:veeam:VmReplicaPoint:{guid}")).ok().as_deref(), Some(guid));
        for bad in
            ["", "x", "urn:veeam:Replica:0c1d2e3f-4a5b-4c6d-8e7f-901234567890", "0c1d2e3f4a5b4c6d8e7f901234567890"]
        {
            let failure = point(bad).err().map(|f| (f.code, f.message));
            assert!(failure.as_ref().is_some_and(|(code, m)| *code == 1 && m.contains("malformed id")), "{bad}");
        }
    }

    #[test]
    fn mounts_and_tasks_are_plain_tokens() {
        assert!(mount("1").is_ok());
        assert!(task("task-12").is_ok());
        assert!(mount("../1").is_err());
        assert!(task("").is_err());
    }
}
