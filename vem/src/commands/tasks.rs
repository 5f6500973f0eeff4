//! `vem tasks list|get|delete`, and how a task is shown by every command that starts one.

use veeam_em::model::Task;

use crate::context::Ctx;
use crate::output::{self, cell, Format, Outcome, Table};
use crate::{ids, TasksCommand};

pub async fn run(ctx: Ctx, cmd: &TasksCommand) -> Outcome {
    let format = ctx.format();
    match cmd {
        TasksCommand::List => {
            ctx.warn_if_ephemeral("every task listed");
            let list = ctx.client.tasks().get().await?;
            output::list(format, &list, &list.items, || table(&list.items))
        }
        TasksCommand::Get { task } => {
            let task = ctx.client.task(&ids::task(task)?).get().await?;
            show(format, &task)
        }
        TasksCommand::Delete { task } => {
            let id = ids::task(task)?;
            ctx.client.task(&id).delete().await?;
            if format == Format::Table {
                output::emit(&format!("deleted task {id}"))?;
            }
            Ok(())
        }
    }
}

/// Prints one task.
pub fn show(format: Format, task: &Task) -> Outcome {
    output::document(format, task, fields)
}

/// The table form of one task.
pub fn fields(task: &Task) -> String {
    let result = task.result.as_ref();
    output::fields(&[
        ("Task", task.task_id.clone()),
        ("State", task.state.as_ref().map(ToString::to_string)),
        ("Operation", task.operation.as_ref().map(ToString::to_string)),
        ("Success", result.and_then(|r| r.success).map(|s| s.to_string())),
        ("Message", result.and_then(|r| r.message.clone())),
        ("Links", output::links(task.links.as_deref())),
    ])
}

/// The table of several tasks.
fn table(tasks: &[Task]) -> String {
    let mut table = Table::new(&["TASK", "STATE", "OPERATION", "SUCCESS", "MESSAGE"]);
    for task in tasks {
        let result = task.result.as_ref();
        table.row(vec![
            cell(task.task_id.as_deref()),
            cell(task.state.as_ref()),
            cell(task.operation.as_ref()),
            cell(result.and_then(|r| r.success)),
            cell(result.and_then(|r| r.message.as_deref())),
        ]);
    }
    table.render()
}
