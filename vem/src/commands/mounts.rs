//! `vem mounts create|list|delete`, and the mount-for-one-command helpers the file commands use.

use veeam_em::client::{Client, VmReplicaPointMountApi};
use veeam_em::model::{OsKind, RestorePointMountSpec, VmReplicaPointMount};

use super::tasks;
use crate::context::Ctx;
use crate::failure::Failure;
use crate::output::{self, cell, Format, Outcome, Table};
use crate::{ids, MountsCommand, OsArg};

pub async fn run(ctx: Ctx, cmd: &MountsCommand) -> Outcome {
    let format = ctx.format();
    match cmd {
        MountsCommand::Create { point, os, wait } => {
            let point = ids::point(point)?;
            ctx.warn_if_ephemeral("the mount");
            let task = ctx.client.vm_replica_point_mounts(&point).create(&spec(*os)).await?;
            if !*wait {
                return tasks::show(format, &task);
            }
            let finished = ctx.wait(&task, "mounting").await?;
            let mount: VmReplicaPointMount = ctx.client.follow(&finished, "Related").await?;
            output::document(format, &mount, |m| fields(&ctx.client, m))
        }
        MountsCommand::List { point } => {
            let list = ctx.client.vm_replica_point_mounts(&ids::point(point)?).get().await?;
            output::list(format, &list, &list.items, || table(&ctx.client, &list.items))
        }
        MountsCommand::Delete { point, mount } => {
            let (point, mount) = (ids::point(point)?, ids::mount(mount)?);
            ctx.client.vm_replica_point_mount(&point, &mount).delete().await?;
            if format == Format::Table {
                output::emit(&format!("unmounted mount {mount} of {point}"))?;
            }
            Ok(())
        }
    }
}

/// Mounts `point` and waits for the mount; returns its id. The mount is noted in `ctx`, so that it is
/// removed even when the command fails or is interrupted.
pub async fn mount_for_command(ctx: &Ctx, point: &str) -> Result<String, Failure> {
    let task = ctx.client.vm_replica_point_mounts(point).create(&spec(None)).await?;
    let finished = ctx.wait(&task, "mounting").await?;
    // The finished task's `Related` link is the mount's address; its last segment is the mount id.
    let href =
        finished.links.iter().flatten().find(|link| link.rel == "Related").map(|link| link.href.clone()).ok_or_else(
            || {
                Failure::from(veeam_em::runtime::ClientError::NoSuchLink {
                    rel: "Related".to_owned(),
                    types: vec!["VmReplicaPointMount".to_owned()],
                })
            },
        )?;
    let mount = mount_id(&ctx.client, &href)?;
    ctx.own_mount(point, &mount);
    Ok(mount)
}

/// Removes a mount made by [`mount_for_command`].
pub async fn unmount_for_command(ctx: &Ctx, point: &str, mount: &str) -> Result<(), Failure> {
    ctx.client.vm_replica_point_mount(point, mount).delete().await?;
    ctx.disown_mount(point, mount);
    Ok(())
}

fn spec(os: Option<OsArg>) -> RestorePointMountSpec {
    RestorePointMountSpec {
        os_kind: os.map(|os| match os {
            OsArg::Windows => OsKind::Windows,
            OsArg::Linux => OsKind::Linux,
        }),
    }
}

/// The mount id in a mount's address (`.../vmReplicaPoints/{id}/mounts/{mountId}`), checked to be one.
pub fn mount_id(client: &Client, href: &str) -> Result<String, Failure> {
    let api = VmReplicaPointMountApi::from_href(client, href)?;
    api.url()
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| Failure::from(veeam_em::runtime::ClientError::invalid_url(href, "no mount id in it")))
}

/// The table form of one mount.
fn fields(client: &Client, mount: &VmReplicaPointMount) -> String {
    let id = mount.href.as_deref().and_then(|href| mount_id(client, href).ok());
    let roots: Vec<&str> = mount.fs_roots.iter().flatten().filter_map(|root| root.path.as_deref()).collect();
    output::fields(&[
        ("Mount", id),
        ("Roots", Some(roots.join(" "))),
        ("Href", mount.href.clone()),
        ("Links", output::links(mount.links.as_deref())),
    ])
}

/// The table of several mounts.
fn table(client: &Client, mounts: &[VmReplicaPointMount]) -> String {
    let mut table = Table::new(&["MOUNT", "ROOTS", "HREF"]);
    for mount in mounts {
        let id = mount.href.as_deref().and_then(|href| mount_id(client, href).ok());
        let roots: Vec<&str> = mount.fs_roots.iter().flatten().filter_map(|root| root.path.as_deref()).collect();
        table.row(vec![cell(id), roots.join(" "), cell(mount.href.as_deref())]);
    }
    table.render()
}
