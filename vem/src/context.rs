//! What every networked command runs in: the client, the output format, the kept session, and the
//! clean-up that must happen however the command ends.
//!
//! Session rules (tasks and mounts live as long as the EM logon session):
//! - with a kept session for this URL and user, the command resumes it; the client re-logs on by itself
//!   after a 401 when it has a password (`VEM_PASSWORD`). Without one, the 401 comes back to us: we ask
//!   for the password on the terminal and run the command once more. Either way the file then gets the
//!   new token;
//! - without one, the command logs on, and logs off when it is done (on failure and Ctrl-C too).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use veeam_em::client::Client;
use veeam_em::model::Task;
use veeam_em::runtime::{ClientBuilder, WaitOptions, Wire};

use crate::failure::{self, Failure};
use crate::output::Format;
use crate::session::{self, KeptSession};
use crate::{progress, Global, WireArg};

/// The connection settings taken from the global options, checked and with files read.
#[derive(Clone)]
pub struct Settings {
    /// The API root as the client normalizes it (`https://em:9398/api/`): kept sessions are matched on it.
    pub url: String,
    pub user: String,
    ca_cert: Option<Vec<u8>>,
    pin: Option<String>,
    insecure: bool,
    wire: Wire,
    timeout: Option<Duration>,
    pub wait_timeout: Duration,
    pub format: Format,
}

impl Settings {
    /// Reads the options. The URL and user may come from the kept session when neither the options nor
    /// the environment give them, so `vem login` once is enough to work with a server.
    pub fn from_global(global: &Global, kept: Option<&KeptSession>) -> Result<Settings, Failure> {
        let url = match (&global.url, kept) {
            (Some(url), _) => url.clone(),
            (None, Some(kept)) => kept.url.clone(),
            (None, None) => return Err(Failure::usage("no server given: use --url URL or set VEM_URL")),
        };
        let url = normalize_url(&url)?;
        let user = match (&global.user, kept) {
            (Some(user), _) => user.clone(),
            (None, Some(kept)) if kept.url == url => kept.user.clone(),
            _ => return Err(Failure::usage("no user given: use --user USER or set VEM_USER")),
        };
        let ca_cert = match &global.ca_cert {
            Some(path) => Some(
                std::fs::read(path)
                    .map_err(|err| Failure::input(format!("cannot read --ca-cert {}: {err}", path.display())))?,
            ),
            None => None,
        };
        if global.insecure {
            eprintln!("warning: --insecure: the server's certificate is not checked; anyone in between can listen");
        }
        Ok(Settings {
            url,
            user,
            ca_cert,
            pin: global.pin_sha256.clone(),
            insecure: global.insecure,
            wire: match global.wire {
                WireArg::Xml => Wire::Xml,
                WireArg::Json => Wire::Json,
            },
            timeout: global.timeout.map(Duration::from_secs),
            wait_timeout: Duration::from_secs(global.wait_timeout),
            format: Format::from_flags(global.json, global.xml),
        })
    }

    /// A client for this server, resuming `kept` and logging on with `password` when given.
    pub fn client(&self, kept: Option<&KeptSession>, password: Option<&str>) -> Result<Client, Failure> {
        let mut builder: ClientBuilder<Client> = Client::builder(&self.url).wire(self.wire);
        if let Some(pem) = &self.ca_cert {
            builder = builder.add_root_certificate_pem(pem);
        }
        if let Some(pin) = &self.pin {
            builder = builder.pin_sha256(pin);
        }
        if self.insecure {
            builder = builder.danger_accept_invalid_certs(true);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout).connect_timeout(timeout.min(Duration::from_secs(10)));
        }
        if let Some(kept) = kept {
            builder = builder.session_token(kept.token.clone());
            if let Some(href) = &kept.session_href {
                builder = builder.session_href(href.clone());
            }
        }
        if let Some(password) = password {
            builder = builder.credentials(self.user.clone(), password);
        }
        // Everything the builder checks comes from our options: a bad one is bad input.
        builder.build().map_err(|err| Failure::input(err.to_string()))
    }

    /// The kept session with its location, if one exists for this URL and user.
    pub fn kept_session(&self) -> Option<(PathBuf, KeptSession)> {
        let path = session::path()?;
        let kept = session::load(&path).ok().flatten()?;
        kept.is_for(&self.url, &self.user).then_some((path, kept))
    }
}

/// The API root the client will use for `text`, to compare kept sessions by.
pub fn normalize_url(text: &str) -> Result<String, Failure> {
    let client = Client::builder(text).build().map_err(|err| Failure::input(err.to_string()))?;
    Ok(client.connection().base_url().to_string())
}

/// The password from `VEM_PASSWORD`, if set.
pub fn env_password() -> Option<String> {
    std::env::var("VEM_PASSWORD").ok().filter(|p| !p.is_empty())
}

/// Asks for the password on the terminal; without one there is nobody to ask (exit status 2).
pub async fn prompt_password(settings: &Settings, why: &str) -> Result<String, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!("{why}: set VEM_PASSWORD (there is no terminal to ask on)")));
    }
    let prompt = format!("Password for {} at {}: ", settings.user, settings.url);
    let answer = tokio::task::spawn_blocking(move || rpassword::prompt_password(prompt))
        .await
        .map_err(|err| Failure::usage(format!("cannot read the password: {err}")))?;
    answer.map_err(|err| Failure::usage(format!("cannot read the password: {err}")))
}

/// What a command gets to work with.
#[derive(Clone)]
pub struct Ctx {
    pub client: Client,
    pub settings: Settings,
    /// Whether the session outlives this command (a kept session), which decides whether mounts and
    /// tasks survive it.
    pub kept: bool,
    /// Mounts this command made for itself and has not yet removed: unmounted by [`Ctx::clean_up`]
    /// whatever happens.
    own_mounts: Arc<Mutex<Vec<(String, String)>>>,
}

impl Ctx {
    /// The output format.
    pub fn format(&self) -> Format {
        self.settings.format
    }

    /// Says on stderr that what the command shows goes away with it, when the session is not kept.
    pub fn warn_if_ephemeral(&self, what: &str) {
        if !self.kept {
            eprintln!("warning: no kept session: {what} will be gone when this command logs off (use `vem login` to keep one)");
        }
    }

    /// Waits for a task, with a progress bar when stderr is a terminal.
    pub async fn wait(&self, task: &Task, what: &str) -> Result<Task, Failure> {
        let bar = progress::Bar::start(what);
        let mut options = WaitOptions::default()
            .with_timeout(self.settings.wait_timeout)
            .with_delays(Duration::from_millis(100), Duration::from_secs(2));
        if let Some(callback) = bar.callback() {
            options.progress = Some(callback);
        }
        let result = self.client.wait(task, &options).await;
        bar.finish();
        result.map_err(Failure::from)
    }

    /// Notes a mount this command made for itself, to be removed even if the command is interrupted.
    pub fn own_mount(&self, point: &str, mount: &str) {
        self.mounts().push((point.to_owned(), mount.to_owned()));
    }

    /// Forgets a mount noted with [`own_mount`](Self::own_mount), once it has been removed.
    pub fn disown_mount(&self, point: &str, mount: &str) {
        self.mounts().retain(|(p, m)| !(p == point && m == mount));
    }

    fn mounts(&self) -> std::sync::MutexGuard<'_, Vec<(String, String)>> {
        // Plain data, consistent after every push or retain: a poisoned lock is still usable.
        self.own_mounts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Removes the mounts the command left behind (interrupted or failed), warning about any that
    /// cannot be removed.
    async fn clean_up(&self) {
        let left: Vec<(String, String)> = self.mounts().drain(..).collect();
        for (point, mount) in left {
            if let Err(err) = self.client.vm_replica_point_mount(&point, &mount).delete().await {
                eprintln!("warning: cannot unmount mount {mount} of {point}: {}", failure::client_error(&err).message);
            }
        }
    }
}

/// Runs a networked command with the session rules above. `command` may be called twice (the second
/// time after a re-logon with a prompted password), each time with a fresh [`Ctx`].
pub async fn run<F, Fut>(global: &Global, command: F) -> Result<(), Failure>
where
    F: Fn(Ctx) -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>>,
{
    let any_kept = session::path().and_then(|path| session::load(&path).ok().flatten());
    let settings = Settings::from_global(global, any_kept.as_ref())?;
    let kept = settings.kept_session();
    let mut password = env_password();
    if kept.is_none() && password.is_none() {
        password = Some(prompt_password(&settings, "a password is needed to log on").await?);
    }

    let is_kept = kept.is_some();
    let ctx = new_ctx(&settings, kept.as_ref().map(|(_, k)| k), is_kept, password.as_deref())?;
    let result = run_once(&ctx, &command).await;
    let (ctx, result) = match (&result, &kept, &password) {
        // The kept session is gone and the client had no password to log on again with: ask, once.
        (Err(failure), Some(_), None) if failure.session_expired => {
            let password = prompt_password(&settings, "the kept session has expired").await?;
            // A fresh logon, still in kept-session mode: the new token replaces the old one in the file.
            let ctx = new_ctx(&settings, None, true, Some(&password))?;
            let result = run_once(&ctx, &command).await;
            (ctx, result)
        }
        _ => (ctx, result),
    };

    match &kept {
        Some((path, old)) => keep_new_token(&ctx, path, old),
        None => {
            if let Err(err) = ctx.client.logout().await {
                eprintln!("warning: cannot log off: {}", failure::client_error(&err).message);
            }
        }
    }
    result
}

fn new_ctx(
    settings: &Settings,
    resume: Option<&KeptSession>,
    kept: bool,
    password: Option<&str>,
) -> Result<Ctx, Failure> {
    Ok(Ctx { client: settings.client(resume, password)?, settings: settings.clone(), kept, own_mounts: Arc::default() })
}

/// One run of the command: interrupted by Ctrl-C, and followed by the removal of its own mounts.
async fn run_once<F, Fut>(ctx: &Ctx, command: &F) -> Result<(), Failure>
where
    F: Fn(Ctx) -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>>,
{
    let result = tokio::select! {
        result = command(ctx.clone()) => result,
        _ = tokio::signal::ctrl_c() => Err(Failure::interrupted()),
    };
    ctx.clean_up().await;
    result
}

/// After a command on a kept session: if the client logged on again, the file gets the new token.
fn keep_new_token(ctx: &Ctx, path: &std::path::Path, old: &KeptSession) {
    let Some(token) = ctx.client.connection().session_token() else { return };
    if token == old.token {
        return;
    }
    let renewed = KeptSession {
        url: old.url.clone(),
        user: old.user.clone(),
        token,
        session_href: ctx.client.connection().session_href(),
    };
    if let Err(err) = session::save(path, &renewed) {
        eprintln!("warning: cannot update the kept session in {}: {err}", path.display());
    }
}
