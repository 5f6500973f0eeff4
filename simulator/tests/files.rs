//! Mounts, guest file browsing and paging, restore and download.

mod common;

use common::{link, Api};
use reqwest::{Method, StatusCode};
use veeam_em::model as m;
use veeam_em_sim::files::{content, BIG_FILE_SIZE};

#[tokio::test]
async fn mount_lifecycle() {
    let api = Api::new().await;
    let (point, mount_href) = api.mount_first().await;
    assert!(mount_href.ends_with(&format!("/api/vmReplicaPoints/{point}/mounts/1")), "{mount_href}");

    let mount: m::VmReplicaPointMount = api.get_doc(&mount_href).await;
    assert_eq!(mount.link_type.as_deref(), Some("VmReplicaPointMount"));
    assert_eq!(link(mount.links.as_deref(), "Delete", Some("VmReplicaPointMount")).href, mount_href);
    let roots = mount.fs_roots.expect("roots");
    let names: Vec<_> = roots.iter().filter_map(|r| r.path.as_deref()).collect();
    assert_eq!(names, ["C:", "E:"]);
    assert_eq!(roots[1].href, Some(format!("{mount_href}/E:")));

    // A second mount of the same point gets the next id.
    let (_, second) = api.mount_first().await;
    assert!(second.ends_with("/mounts/2"));
    let mounts: m::VmReplicaPointMountList = api.get_doc(&api.url(&format!("vmReplicaPoints/{point}/mounts"))).await;
    assert_eq!(mounts.items.len(), 2);

    assert_eq!(api.call(Method::DELETE, &mount_href).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(api.get(&mount_href).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.call(Method::DELETE, &mount_href).await.status(), StatusCode::NOT_FOUND);

    // Restore points mount the same way, without a body.
    let restore_point = api.sim.state().restore_points[0].id.clone();
    let response = api.call(Method::POST, &api.url(&format!("vmRestorePoints/{restore_point}/mounts"))).await;
    let task = api.start_task(response).await;
    let done = api.finish(&task).await;
    let href = link(done.links.as_deref(), "Related", Some("VmRestorePointMount")).href.clone();
    let mount: m::VmRestorePointMount = api.get_doc(&href).await;
    assert_eq!(mount.fs_roots.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn browsing_and_paging() {
    let api = Api::new().await;
    let (_, mount) = api.mount_first().await;

    let entry: m::FileSystemEntry = api.get_doc(&format!("{mount}/e:/documentation%202014")).await;
    let Some(m::FileSystemEntryEntry::DirectoryEntry(dir)) = entry.entry else { panic!("a directory: {entry:?}") };
    assert_eq!(dir.path.as_deref(), Some("E:/Documentation 2014"));
    assert_eq!(dir.href, Some(format!("{mount}/E:/Documentation%202014")));
    let listing = link(dir.links.as_deref(), "Down", Some("FileSystemItemsList")).href.clone();
    link(dir.links.as_deref(), "Down", Some("DirectoryEntryList"));
    link(dir.links.as_deref(), "Down", Some("FileEntryList"));
    link(dir.links.as_deref(), "Restore", None);
    link(dir.links.as_deref(), "Up", None);

    let all: m::FileSystemEntries = api.get_doc(&listing).await;
    assert_eq!(all.directories.as_ref().map(Vec::len), Some(1));
    assert_eq!(all.files.as_ref().map(Vec::len), Some(1));

    let projects: m::FileSystemEntries = api.get_doc(&format!("{mount}/E:/Projects?action=listFiles")).await;
    let file = &projects.files.expect("files")[0];
    assert_eq!(file.name.as_deref(), Some("R&D Plans.docx"));
    let file_href = file.href.clone().expect("href");
    assert!(file_href.ends_with("/E:/Projects/R%26D%20Plans.docx"), "{file_href}");
    let entry: m::FileSystemEntry = api.get_doc(&file_href).await;
    assert!(matches!(entry.entry, Some(m::FileSystemEntryEntry::FileEntry(f)) if f.size == Some(2048)));

    let page: m::FileSystemEntries = api.get_doc(&format!("{mount}/E:/Logs?action=listFiles&pageSize=7&page=2")).await;
    let files = page.files.expect("files");
    assert_eq!(files.len(), 7);
    assert_eq!(files[0].name.as_deref(), Some("log-008.txt"));
    assert!(page.directories.is_none());
    let info = page.paging_info.expect("paging");
    assert_eq!((info.page_num, info.page_size, info.pages_count), (Some(2), Some(7), Some(5)));
    let next = link(info.links.as_deref(), "Next", None).href.clone();
    link(info.links.as_deref(), "Previous", None);
    let last = link(info.links.as_deref(), "Last", None).href.clone();
    let next: m::FileSystemEntries = api.get_doc(&next).await;
    assert_eq!(next.files.expect("files")[0].name.as_deref(), Some("log-015.txt"));
    let last: m::FileSystemEntries = api.get_doc(&last).await;
    assert_eq!(last.files.map(|f| f.len()), Some(2));

    let dirs: m::FileSystemEntries = api.get_doc(&format!("{mount}/E:?action=listDirs")).await;
    assert_eq!(dirs.directories.map(|d| d.len()), Some(4));
    assert!(dirs.files.is_none());

    assert_eq!(api.get(&format!("{mount}/E:/missing.txt")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.get(&format!("{mount}/E:/Logs?action=listAll&pageSize=0")).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn restore_for_download_then_download() {
    let api = Api::new().await;
    let (_, mount) = api.mount_first().await;
    let file = format!("{mount}/E:/Documentation%202014/Invoices/bank_details.txt");

    assert_eq!(api.get(&format!("{file}?action=download")).await.status(), StatusCode::NOT_FOUND);

    let spec = r#"<FileRestoreSpec xmlns="http://www.veeam.com/ent/v1.0"><ForDirectDownload/></FileRestoreSpec>"#;
    let task = api.start_task(api.post_xml(&format!("{file}?action=restore"), spec).await).await;
    assert_eq!(task.operation, Some(m::TaskOperation::FileRestoreFromMountPoint));
    let done = api.finish(&task).await;
    let download = link(done.links.as_deref(), "Download", None);
    assert!(download.link_type.is_none());
    assert!(download.href.ends_with("bank_details.txt?action=download"));
    let response = api.get(&download.href).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("body");
    assert_eq!(bytes.as_ref(), content("E:/Documentation 2014/Invoices/bank_details.txt", 512).as_slice());

    // The big file, restored with a JSON body.
    let big = format!("{mount}/E:/Backups/archive.bin");
    let task =
        api.start_task(api.post_json(&format!("{big}?action=restore"), r#"{"ForDirectDownload":{}}"#).await).await;
    api.finish(&task).await;
    let bytes = api.get(&format!("{big}?action=download")).await.bytes().await.expect("body");
    assert_eq!(bytes.len() as u64, BIG_FILE_SIZE);

    // In place: no download link.
    let spec = r#"{"ToOriginalLocation":{"Overwrite":true}}"#;
    let task = api.start_task(api.post_json(&format!("{mount}/C:/boot.ini?action=restore"), spec).await).await;
    let done = api.finish(&task).await;
    assert!(done.links.unwrap_or_default().iter().all(|l| l.rel != "Download"));

    let bad = api.post_json(&format!("{file}?action=restore"), "{").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}
