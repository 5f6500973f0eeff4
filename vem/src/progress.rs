//! The progress display while a task runs: a spinner with the task's state on a terminal, nothing
//! otherwise (scripts read stderr for errors, not for animation frames).

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use veeam_em::runtime::client::{ProgressFn, TaskProgress};

/// A spinner on stderr, or nothing when stderr is not a terminal.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// Starts the spinner for a wait described by `what` ("mounting", ...).
    pub fn start(what: &str) -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::new_spinner();
        // The template is a constant; should indicatif ever refuse it, its default style is fine too.
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg} [{elapsed}]") {
            bar.set_style(style);
        }
        bar.set_prefix(what.to_owned());
        bar.set_message("Running");
        bar.enable_steady_tick(Duration::from_millis(120));
        Bar(Some(bar))
    }

    /// The callback for [`WaitOptions::progress`](veeam_em::runtime::WaitOptions), showing each state read.
    pub fn callback(&self) -> Option<ProgressFn> {
        let bar = self.0.clone()?;
        Some(Arc::new(move |progress: &TaskProgress| {
            bar.set_message(progress.state.clone().unwrap_or_else(|| "?".to_owned()));
        }))
    }

    /// Removes the spinner.
    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}
