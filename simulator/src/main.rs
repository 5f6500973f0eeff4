//! `em-sim`: runs the simulator until Ctrl-C.
//!
//! The first line on stdout is `listening 127.0.0.1:PORT`, so scripts and tests that pass `--port 0` can
//! read the port the system chose.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tokio::net::TcpListener;
use veeam_em_sim::{SimConfig, Simulator};

/// An in-memory Veeam Backup Enterprise Manager for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "em-sim", version)]
struct Args {
    /// Port to listen on, on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 9398)]
    port: u16,
    /// The account that may log on.
    #[arg(long, default_value = "admin")]
    user: String,
    /// Its password.
    #[arg(long, default_value = "secret")]
    password: String,
    /// Reads of a task until it finishes.
    #[arg(long, default_value_t = 2)]
    task_polls: u32,
    /// Idle timeout of logon sessions, in seconds.
    #[arg(long, default_value_t = 900)]
    idle_timeout: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match TcpListener::bind(("127.0.0.1", args.port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("em-sim: cannot listen on 127.0.0.1:{}: {err}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let config = SimConfig {
        user: args.user,
        password: args.password,
        task_polls: args.task_polls,
        session_idle_timeout: std::time::Duration::from_secs(args.idle_timeout),
        ..SimConfig::default()
    };
    let sim = match Simulator::serve(listener, config) {
        Ok(sim) => sim,
        Err(err) => {
            eprintln!("em-sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    // Scripts wait for this exact line; flush so they see it even when stdout is a pipe.
    if writeln!(stdout, "listening {}", sim.addr()).and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("em-sim: cannot wait for Ctrl-C: {err}");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}
