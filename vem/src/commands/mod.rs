//! The subcommands. Each module turns parsed arguments into client calls and output; sessions, the
//! password and clean-up are [`crate::context`]'s business.

pub mod decode;
pub mod files;
pub mod login;
pub mod mounts;
pub mod points;
pub mod query;
pub mod tasks;

use crate::failure::Failure;
use crate::{context, ids, Cli, Command, FilesCommand, MountsCommand, PointsCommand, TasksCommand};

/// Runs a networked command (`decode` is handled before the async runtime starts).
pub async fn run(cli: Cli) -> Result<(), Failure> {
    // Ids are checked before anything else, so a typo fails fast (exit 1) without a logon or a prompt.
    check_ids(&cli.command)?;
    let global = &cli.global;
    match &cli.command {
        Command::Decode { file } => decode::run(file, global.xml),
        Command::Login => login::login(global).await,
        Command::Logout => login::logout(global).await,
        Command::Points(cmd) => context::run(global, |ctx| points::run(ctx, cmd)).await,
        Command::Mounts(cmd) => context::run(global, |ctx| mounts::run(ctx, cmd)).await,
        Command::Files(cmd) => context::run(global, |ctx| files::run(ctx, cmd)).await,
        Command::Tasks(cmd) => context::run(global, |ctx| tasks::run(ctx, cmd)).await,
        Command::Query { .. } => context::run(global, |ctx| query::run(ctx, &cli.command)).await,
    }
}

/// Every id argument of the command, checked.
fn check_ids(command: &Command) -> Result<(), Failure> {
    match command {
        Command::Points(PointsCommand::Get { point } | PointsCommand::Failover { point, .. })
        | Command::Mounts(MountsCommand::Create { point, .. } | MountsCommand::List { point }) => {
            ids::point(point)?;
        }
        Command::Mounts(MountsCommand::Delete { point, mount }) => {
            ids::point(point)?;
            ids::mount(mount)?;
        }
        Command::Files(
            FilesCommand::Ls { point, mount, .. }
            | FilesCommand::Restore { point, mount, .. }
            | FilesCommand::Download { point, mount, .. },
        ) => {
            ids::point(point)?;
            if let Some(mount) = mount {
                ids::mount(mount)?;
            }
        }
        Command::Tasks(TasksCommand::Get { task } | TasksCommand::Delete { task }) => {
            ids::task(task)?;
        }
        _ => {}
    }
    Ok(())
}
