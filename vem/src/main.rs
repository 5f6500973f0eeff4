//! `vem` — command-line companion of the `veeam-em` bindings.
//!
//! `vem decode FILE` reads one Veeam Backup Enterprise Manager XML document and prints EM's JSON form of
//! it (with `--xml`, the re-encoded XML). Every other command talks to an EM server through the generated
//! client: replica points, mounts, guest files, tasks and the query service.
//!
//! Exit codes (one mapping, in [`failure`]): 0 success; 1 bad input; 2 usage; 3 connection, TLS, timeout
//! or an answer that is not EM's; 4 the server said no, or the task failed.

mod commands;
mod context;
mod failure;
mod ids;
mod output;
mod progress;
mod session;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::failure::Failure;

/// Command-line companion of the veeam-em bindings.
#[derive(Parser)]
#[command(name = "vem", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Args, Clone, Debug)]
pub struct Global {
    /// EM server address, such as https://em:9398 (the /api suffix is optional).
    #[arg(long, env = "VEM_URL", global = true)]
    pub url: Option<String>,
    /// User name for the logon (the password comes from VEM_PASSWORD or a prompt).
    #[arg(long, env = "VEM_USER", global = true)]
    pub user: Option<String>,
    /// Trust this PEM certificate (a CA, or the server's own certificate).
    #[arg(long, value_name = "PEM", global = true)]
    pub ca_cert: Option<PathBuf>,
    /// Trust only a server certificate with this SHA-256 fingerprint (hex).
    #[arg(long, value_name = "HEX", global = true)]
    pub pin_sha256: Option<String>,
    /// Accept any server certificate (encrypted but not authenticated).
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Wire format of request and answer bodies.
    #[arg(long, value_enum, default_value_t = WireArg::Xml, global = true)]
    pub wire: WireArg,
    /// Seconds allowed for each HTTP request.
    #[arg(long, value_name = "SECS", global = true)]
    pub timeout: Option<u64>,
    /// Seconds allowed for waiting on a task.
    #[arg(long, value_name = "SECS", default_value_t = 1800, global = true)]
    pub wait_timeout: u64,
    /// Print EM's JSON form instead of a table (lists: one JSON array).
    #[arg(long, global = true, conflicts_with = "xml")]
    pub json: bool,
    /// Print EM's XML form instead of a table.
    #[arg(long, global = true)]
    pub xml: bool,
}

/// `--wire`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WireArg {
    Xml,
    Json,
}

#[derive(Subcommand)]
pub enum Command {
    /// Decode an EM XML document and print its EM JSON form (or, with --xml, the re-encoded XML).
    Decode {
        /// The XML document to read; `-` reads standard input.
        file: PathBuf,
    },
    /// Log on and keep the session for later commands (tasks and mounts live as long as it).
    Login,
    /// End the kept session and forget it.
    Logout,
    /// VM replica points.
    #[command(subcommand)]
    Points(PointsCommand),
    /// Mounts of a replica point's disks, for guest file access.
    #[command(subcommand)]
    Mounts(MountsCommand),
    /// Guest files inside a replica point.
    #[command(subcommand)]
    Files(FilesCommand),
    /// Tasks of the session.
    #[command(subcommand)]
    Tasks(TasksCommand),
    /// Run a query of the query service (all pages).
    Query {
        /// The resource type, such as VmReplicaPoint or Task.
        #[arg(value_name = "TYPE")]
        kind: String,
        /// Filter expression, such as 'VmDisplayName==sql02'.
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        /// Property to sort by.
        #[arg(long, value_name = "PROP")]
        sort: Option<String>,
        /// Sort largest first.
        #[arg(long, requires = "sort")]
        desc: bool,
        /// Results per request.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..))]
        page_size: Option<i32>,
        /// Return full entities instead of references.
        #[arg(long)]
        entity: bool,
    },
}

#[derive(Subcommand)]
pub enum PointsCommand {
    /// List the replica points.
    List {
        /// Full entities instead of references.
        #[arg(long)]
        entity: bool,
    },
    /// Show one replica point (its entity form).
    Get { point: String },
    /// Fail over to a replica point.
    Failover {
        point: String,
        /// Wait for the task to finish.
        #[arg(long)]
        wait: bool,
    },
}

#[derive(Subcommand)]
pub enum MountsCommand {
    /// Mount a replica point's disks.
    Create {
        point: String,
        /// Guest operating system family.
        #[arg(long, value_enum)]
        os: Option<OsArg>,
        /// Wait for the mount and print it.
        #[arg(long)]
        wait: bool,
    },
    /// List the session's mounts of a replica point.
    List { point: String },
    /// Unmount.
    Delete { point: String, mount: String },
}

/// `--os`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OsArg {
    Windows,
    Linux,
}

#[derive(Subcommand)]
pub enum FilesCommand {
    /// List a guest directory (all pages).
    Ls {
        point: String,
        path: String,
        /// Use this mount instead of mounting for this command.
        #[arg(long)]
        mount: Option<String>,
        /// Directories only.
        #[arg(long, conflicts_with = "files")]
        dirs: bool,
        /// Files only.
        #[arg(long)]
        files: bool,
        /// Entries per request.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..))]
        page_size: Option<i32>,
    },
    /// Restore a guest file or directory to its original location.
    Restore {
        point: String,
        path: String,
        #[arg(long)]
        mount: Option<String>,
        /// Wait for the task to finish (always done without --mount).
        #[arg(long)]
        wait: bool,
    },
    /// Download a guest file to a local file.
    Download {
        point: String,
        path: String,
        /// The local file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        #[arg(long)]
        mount: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TasksCommand {
    /// List the session's tasks.
    List,
    /// Show one task.
    Get { task: String },
    /// Stop and remove a task.
    Delete { task: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Decode { file } = &cli.command {
        if cli.global.json {
            // `decode` prints JSON by default; `--json` is a mistake there, reported as usage.
            let mut cmd = Cli::command();
            cmd.error(clap::error::ErrorKind::ArgumentConflict, "decode prints JSON already; --json is not accepted")
                .exit();
        }
        return exit(commands::decode::run(file, cli.global.xml));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => return exit(Err(Failure::input(format!("cannot start the async runtime: {err}")))),
    };
    exit(runtime.block_on(commands::run(cli)))
}

/// Prints the failure, if any, and turns it into the exit status.
fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::from(failure.code)
        }
    }
}
