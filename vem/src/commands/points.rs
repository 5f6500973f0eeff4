//! `vem points list|get|failover`.

use veeam_em::model::{EntityReference, VmReplicaPoint};

use super::tasks;
use crate::context::Ctx;
use crate::output::{self, cell, uid_id, Outcome, Table};
use crate::{ids, PointsCommand};

pub async fn run(ctx: Ctx, cmd: &PointsCommand) -> Outcome {
    let format = ctx.format();
    match cmd {
        PointsCommand::List { entity: false } => {
            let list = ctx.client.vm_replica_points().reference().await?;
            output::list(format, &list, &list.items, || references(&list.items))
        }
        PointsCommand::List { entity: true } => {
            let list = ctx.client.vm_replica_points().entity().await?;
            output::list(format, &list, &list.items, || entities(&list.items))
        }
        PointsCommand::Get { point } => {
            let point = ctx.client.vm_replica_point(&ids::point(point)?).entity().await?;
            output::document(format, &point, fields)
        }
        PointsCommand::Failover { point, wait } => {
            let mut task = ctx.client.vm_replica_point(&ids::point(point)?).failover().await?;
            if *wait {
                task = ctx.wait(&task, "failover").await?;
            }
            tasks::show(format, &task)
        }
    }
}

/// The table of point references: the id commands take, and the name.
pub fn references(items: &[EntityReference]) -> String {
    let mut table = Table::new(&["ID", "NAME"]);
    for item in items {
        table.row(vec![cell(uid_id(item.uid.as_deref())), cell(item.name.as_deref())]);
    }
    table.render()
}

/// The table of full points.
fn entities(items: &[VmReplicaPoint]) -> String {
    let mut table = Table::new(&["ID", "VM", "CREATED (UTC)", "TYPE", "ALGORITHM"]);
    for item in items {
        table.row(vec![
            cell(uid_id(item.uid.as_deref())),
            cell(item.vm_display_name.as_deref().or(item.vm_name.as_deref())),
            cell(item.creation_time_utc.as_ref()),
            cell(item.point_type.as_ref()),
            cell(item.algorithm.as_ref()),
        ]);
    }
    table.render()
}

/// The table form of one point.
fn fields(point: &VmReplicaPoint) -> String {
    output::fields(&[
        ("Id", uid_id(point.uid.as_deref())),
        ("UID", point.uid.clone()),
        ("Name", point.name.clone()),
        ("VM", point.vm_display_name.clone().or_else(|| point.vm_name.clone())),
        ("Created (UTC)", point.creation_time_utc.as_ref().map(ToString::to_string)),
        ("Type", point.point_type.as_ref().map(ToString::to_string)),
        ("Algorithm", point.algorithm.as_ref().map(ToString::to_string)),
        ("Links", output::links(point.links.as_deref())),
    ])
}
