//! Waiting for asynchronous EM tasks.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::{Connection, Error, Request};
use crate::protocol::{Document, TaskView};

/// How [`Connection::wait`] polls a task.
#[derive(Clone)]
pub struct WaitOptions {
    /// Give up (with [`Error::TaskTimeout`]) after this long. Default 30 minutes.
    pub timeout: Duration,
    /// The pause before the first poll, doubled after each poll. Default 200 ms.
    pub initial_delay: Duration,
    /// The longest pause between polls. Default 5 s.
    pub max_delay: Duration,
    /// Called after every poll.
    pub progress: Option<ProgressFn>,
}

/// A progress callback, shareable between waits.
pub type ProgressFn = Arc<dyn Fn(&TaskProgress) + Send + Sync>;

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(30 * 60),
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            progress: None,
        }
    }
}

impl WaitOptions {
    /// Sets the overall timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first and the longest pause between polls.
    pub fn with_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max;
        self
    }

    /// Sets the progress callback.
    pub fn with_progress(mut self, progress: impl Fn(&TaskProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("initial_delay", &self.initial_delay)
            .field("max_delay", &self.max_delay)
            .field("progress", &self.progress.as_ref().map(|_| "Fn"))
            .finish()
    }
}

/// What the progress callback is told after each poll.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskProgress {
    /// The task's address.
    pub href: String,
    /// The state just read (`Running`, `OperationFinished`, `Finished`).
    pub state: Option<String>,
    /// Polls so far, this one included.
    pub polls: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
}

/// The state that ends the wait. `OperationFinished` is a step on the way: EM is still cleaning up.
const FINISHED: &str = "Finished";

impl Connection {
    /// Polls a task until its state is `Finished`, pausing between polls with exponential backoff.
    /// A finished task that did not succeed becomes [`Error::TaskFailed`]; otherwise the last task read
    /// is returned.
    pub async fn wait<T: TaskView + Document>(&self, task: &T, options: &WaitOptions) -> Result<T, Error> {
        let href = task.href().ok_or_else(|| Error::invalid_url("", "the task has no href to poll"))?.to_owned();
        let url = self.href(&href)?;
        let start = Instant::now();
        let deadline = start + options.timeout;
        // A task that is already finished is read once more without pausing, to return an owned copy.
        let mut delay = if task.state() == Some(FINISHED) { Duration::ZERO } else { options.initial_delay };
        let mut polls = 0;
        loop {
            if Instant::now() + delay > deadline {
                return Err(Error::TaskTimeout);
            }
            tokio::time::sleep(delay).await;
            let current: T = self.fetch(Request::get(url.clone())).await?;
            polls += 1;
            if let Some(progress) = &options.progress {
                progress(&TaskProgress {
                    href: href.clone(),
                    state: current.state().map(str::to_owned),
                    polls,
                    elapsed: start.elapsed(),
                });
            }
            if current.state() == Some(FINISHED) {
                if current.succeeded() == Some(false) {
                    let message = current.message().unwrap_or("(no message)").to_owned();
                    return Err(Error::TaskFailed { message });
                }
                return Ok(current);
            }
            // Never zero, so a zero `initial_delay` cannot turn into a busy loop.
            delay = (delay * 2).max(options.initial_delay).max(Duration::from_millis(10)).min(options.max_delay);
        }
    }
}
