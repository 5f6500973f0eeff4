//! `vem files ls|restore|download`: guest files of a mounted replica point.
//!
//! Without `--mount` the command mounts the point for itself and unmounts when done; a failure or
//! Ctrl-C in between is covered by [`Ctx`]'s clean-up, which removes the mounts it was told about.

use std::path::Path;

use serde_json::Value;
use veeam_em::client::{VmReplicaPointGuestFileApi, VmReplicaPointGuestFileListAllParams as AllParams};
use veeam_em::client::{
    VmReplicaPointGuestFileListDirsParams as DirsParams, VmReplicaPointGuestFileListFilesParams as FilesParams,
};
use veeam_em::model::{
    DirectoryEntry, FileEntry, FileRestoreSpec, FileRestoreSpecTarget, FileRestoreToOriginalSpec, FileSystemEntries,
    Task,
};
use veeam_em::runtime::ClientError;

use super::{mounts, tasks};
use crate::context::Ctx;
use crate::failure::Failure;
use crate::output::{self, cell, Format, Outcome, Table};
use crate::{ids, FilesCommand};

/// More pages than this means the server's paging is broken; stop rather than loop forever.
const MAX_PAGES: i32 = 100_000;

pub async fn run(ctx: Ctx, cmd: &FilesCommand) -> Outcome {
    match cmd {
        FilesCommand::Ls { point, path, mount, dirs, files, page_size } => {
            let listing = match (dirs, files) {
                (true, _) => Listing::Dirs,
                (_, true) => Listing::Files,
                _ => Listing::All,
            };
            let point = ids::point(point)?;
            with_mount(&ctx, &point, mount.as_deref(), |mount| ls(&ctx, &point, mount, path, listing, *page_size)).await
        }
        FilesCommand::Restore { point, path, mount, wait } => {
            let point = ids::point(point)?;
            // A mount of our own goes away when the command ends, so the restore has to be over by then.
            let wait = *wait || mount.is_none();
            with_mount(&ctx, &point, mount.as_deref(), |mount| restore(&ctx, &point, mount, path, wait)).await
        }
        FilesCommand::Download { point, path, output, mount } => {
            let point = ids::point(point)?;
            check_output(output)?;
            with_mount(&ctx, &point, mount.as_deref(), |mount| download(&ctx, &point, mount, path, output)).await
        }
    }
}

/// Runs `body` with the given mount, or with a mount made for it and removed afterwards.
async fn with_mount<F, Fut>(ctx: &Ctx, point: &str, given: Option<&str>, body: F) -> Outcome
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Outcome>,
{
    if let Some(mount) = given {
        return body(ids::mount(mount)?).await;
    }
    let mount = mounts::mount_for_command(ctx, point).await?;
    let result = body(mount.clone()).await;
    let unmounted = mounts::unmount_for_command(ctx, point, &mount).await;
    // The command's own failure matters more than a failed unmount (which the clean-up tries again).
    result.and(unmounted)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Listing {
    All,
    Dirs,
    Files,
}

async fn ls(ctx: &Ctx, point: &str, mount: String, path: &str, listing: Listing, page_size: Option<i32>) -> Outcome {
    let api = ctx.client.vm_replica_point_guest_file(point, &mount, path);
    let pages = all_pages(&api, listing, page_size).await?;
    let (directories, files) = merge(&pages);
    match ctx.format() {
        Format::Table => output::emit(&table(&directories, &files)),
        Format::Json => {
            let mut items: Vec<Value> = Vec::with_capacity(directories.len() + files.len());
            for dir in &directories {
                items.push(serde_json::to_value(dir).map_err(|e| Failure::input(e.to_string()))?);
            }
            for file in &files {
                items.push(serde_json::to_value(file).map_err(|e| Failure::input(e.to_string()))?);
            }
            output::emit(&output::json(&items)?)
        }
        Format::Xml => {
            // One document for the whole listing: the first page's identity with every page's entries.
            let first = pages.first().cloned().unwrap_or_default();
            let whole = FileSystemEntries {
                files: (listing != Listing::Dirs).then_some(files),
                directories: (listing != Listing::Files).then_some(directories),
                paging_info: None,
                ..first
            };
            output::emit(&veeam_em::runtime::XmlDocument::to_xml(&whole))
        }
    }
}

/// Fetches page after page until the server's `PagingInfo` says there are no more.
async fn all_pages(
    api: &VmReplicaPointGuestFileApi,
    listing: Listing,
    page_size: Option<i32>,
) -> Result<Vec<FileSystemEntries>, ClientError> {
    let mut pages = Vec::new();
    for page in 1..=MAX_PAGES {
        let entries = match listing {
            Listing::All => api.list_all(&AllParams { page_size, page: Some(page) }).await?,
            Listing::Dirs => api.list_dirs(&DirsParams { page_size, page: Some(page) }).await?,
            Listing::Files => api.list_files(&FilesParams { page_size, page: Some(page) }).await?,
        };
        let count = entries.paging_info.as_ref().and_then(|info| info.pages_count);
        let empty = entries.files.as_deref().unwrap_or_default().is_empty()
            && entries.directories.as_deref().unwrap_or_default().is_empty();
        pages.push(entries);
        // Without a page count the server did not page (or says nothing): one request is all there is.
        if empty || !matches!(count, Some(count) if page < count) {
            break;
        }
    }
    Ok(pages)
}

fn merge(pages: &[FileSystemEntries]) -> (Vec<DirectoryEntry>, Vec<FileEntry>) {
    let directories = pages.iter().flat_map(|p| p.directories.iter().flatten().cloned()).collect();
    let files = pages.iter().flat_map(|p| p.files.iter().flatten().cloned()).collect();
    (directories, files)
}

fn table(directories: &[DirectoryEntry], files: &[FileEntry]) -> String {
    let mut table = Table::new(&["TYPE", "SIZE", "MODIFIED (UTC)", "PATH"]);
    for dir in directories {
        table.row(vec!["dir".into(), "-".into(), "-".into(), cell(dir.path.as_deref().or(dir.name.as_deref()))]);
    }
    for file in files {
        table.row(vec![
            "file".into(),
            cell(file.size),
            cell(file.modified_date_utc.as_ref()),
            cell(file.path.as_deref().or(file.name.as_deref())),
        ]);
    }
    table.render()
}

async fn restore(ctx: &Ctx, point: &str, mount: String, path: &str, wait: bool) -> Outcome {
    let spec = FileRestoreSpec {
        target: Some(FileRestoreSpecTarget::ToOriginalLocation(FileRestoreToOriginalSpec::default())),
    };
    let mut task = ctx.client.vm_replica_point_guest_file(point, &mount, path).restore(&spec).await?;
    if wait {
        task = ctx.wait(&task, "restoring").await?;
    }
    tasks::show(ctx.format(), &task)
}

/// `-o` must name a file we can create: a folder is bad input, found before anything is mounted.
fn check_output(output: &Path) -> Result<(), Failure> {
    if output.is_dir() {
        return Err(Failure::input(format!("{} is a folder; -o needs a file name", output.display())));
    }
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Failure::input(format!("cannot write {}: no folder {}", output.display(), parent.display())));
    }
    Ok(())
}

async fn download(ctx: &Ctx, point: &str, mount: String, path: &str, output: &Path) -> Outcome {
    let spec = FileRestoreSpec { target: Some(FileRestoreSpecTarget::ForDirectDownload) };
    let task = ctx.client.vm_replica_point_guest_file(point, &mount, path).restore(&spec).await?;
    let finished = ctx.wait(&task, "preparing the download").await?;
    let href = download_href(&finished)?;
    let file_api = VmReplicaPointGuestFileApi::from_href(&ctx.client, &href)?;
    let download = file_api.download().await?;
    let mut file = tokio::fs::File::create(output)
        .await
        .map_err(|err| Failure::input(format!("cannot create {}: {err}", output.display())))?;
    let copied = match download.write_to(&mut file).await {
        Ok(copied) => copied,
        Err(err) => {
            // A partial file looks like a good one; leave nothing rather than that.
            drop(file);
            let _ = tokio::fs::remove_file(output).await;
            return Err(err.into());
        }
    };
    match ctx.format() {
        Format::Table => output::emit(&format!("downloaded {copied} bytes to {}", output.display())),
        format => tasks::show(format, &finished),
    }
}

/// The finished restore task's `Download` link (EM gives it no type).
fn download_href(task: &Task) -> Result<String, Failure> {
    task.links
        .iter()
        .flatten()
        .find(|link| link.rel == "Download")
        .map(|link| link.href.clone())
        .ok_or_else(|| Failure::from(ClientError::NoSuchLink { rel: "Download".to_owned(), types: Vec::new() }))
}
