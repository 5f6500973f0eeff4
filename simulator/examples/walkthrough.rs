//! The README's walkthrough, run against a simulator: `cargo run -p veeam-em-sim --example walkthrough`.
//! `simulator/tests/readme.rs` runs it too and checks that the README shows this very code.

use std::error::Error;
use std::path::Path;

// README walkthrough: begin
use futures_util::TryStreamExt;
use veeam_em::client::{Client, QueryQueryParams, VmReplicaPointGuestFileListAllParams};
use veeam_em::model::{FileRestoreSpec, FileRestoreSpecTarget, OsKind, RestorePointMountSpec, VmReplicaPointMount};
use veeam_em::runtime::client::Filter;
use veeam_em::runtime::WaitOptions;

/// Logs on, finds the newest replica point of `vm`, mounts it, lists `folder` inside it, downloads the
/// first file found there to `save_as`, unmounts and logs off. Returns the number of bytes downloaded.
pub async fn walkthrough(
    url: &str,
    user: &str,
    password: &str,
    vm: &str,
    folder: &str,
    save_as: &Path,
) -> Result<u64, Box<dyn Error>> {
    let client = Client::builder(url).credentials(user, password).build()?;
    let session = client.logon().await?;
    println!("logged on as {}", session.user_name.as_deref().unwrap_or("?"));

    // The query service: replica points of one VM, newest first, as full entities.
    let query = QueryQueryParams {
        r#type: "VmReplicaPoint".into(),
        format: Some("Entities".into()),
        filter: Some(Filter::eq("VmDisplayName", vm).to_string()),
        sort_desc: Some("CreationTime".into()),
        ..Default::default()
    };
    let result = client.query().query(&query).await?;
    let point = result
        .entities
        .and_then(|e| e.vm_replica_points)
        .and_then(|points| points.into_iter().next())
        .ok_or("no replica point of that VM")?;
    let point_id = point.uid.as_deref().and_then(|uid| uid.rsplit(':').next()).ok_or("point without UID")?;
    println!("newest point: {}", point.name.as_deref().unwrap_or(point_id));

    // Mounting is asynchronous: EM answers with a task; the finished task links the new mount.
    let spec = RestorePointMountSpec { os_kind: Some(OsKind::Windows) };
    let task = client.vm_replica_point_mounts(point_id).create(&spec).await?;
    let task = client.wait(&task, &WaitOptions::default()).await?;
    let mount: VmReplicaPointMount = client.follow(&task, "Related").await?;
    let mount_href = mount.href.as_deref().ok_or("mount without Href")?;
    let mount_id = mount_href.rsplit('/').next().unwrap_or_default();

    // Every page of the folder listing, fetched lazily.
    let listing = client.vm_replica_point_guest_file(point_id, mount_id, folder);
    let paging = VmReplicaPointGuestFileListAllParams { page_size: Some(10), ..Default::default() };
    let pages: Vec<_> = listing.list_all_pages(&paging).try_collect().await?;
    let files: Vec<_> = pages.into_iter().flat_map(|page| page.files.unwrap_or_default()).collect();
    println!("{} files in {folder}", files.len());

    // Download: restore the file for direct download, wait, then stream it to disk.
    let name = files.first().and_then(|f| f.path.clone()).ok_or("the folder has no files")?;
    let file = client.vm_replica_point_guest_file(point_id, mount_id, &name);
    let restore = FileRestoreSpec { target: Some(FileRestoreSpecTarget::ForDirectDownload) };
    client.wait(&file.restore(&restore).await?, &WaitOptions::default()).await?;
    let mut out = tokio::fs::File::create(save_as).await?;
    let bytes = file.download().await?.write_to(&mut out).await?;
    println!("downloaded {name}: {bytes} bytes");

    client.vm_replica_point_mount(point_id, mount_id).delete().await?;
    client.logout().await?;
    Ok(bytes)
}
// README walkthrough: end

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let sim = veeam_em_sim::Simulator::start().await;
    let target = std::env::temp_dir().join("veeam-em-walkthrough.bin");
    walkthrough(&sim.base_url(), "admin", "secret", "sql02", "E:/Logs", &target).await?;
    Ok(())
}
