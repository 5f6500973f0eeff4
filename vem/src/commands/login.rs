//! `vem login` and `vem logout`: start and end the kept session.

use crate::context::{self, Settings};
use crate::failure::Failure;
use crate::output::{self, Format};
use crate::session::{self, KeptSession};
use crate::Global;

/// Logs on and keeps the session (token, its address, URL and user) for later commands. A session kept
/// before for the same URL and user is ended first; one for another server or user is replaced (there
/// is one file), without being ended, since this command cannot speak for that server.
pub async fn login(global: &Global) -> Result<(), Failure> {
    let path = session::path()
        .ok_or_else(|| Failure::usage("cannot tell where to keep the session: set VEM_SESSION_FILE or HOME"))?;
    let previous = session::load(&path).ok().flatten();
    let settings = Settings::from_global(global, previous.as_ref())?;
    let password = match context::env_password() {
        Some(password) => password,
        None => context::prompt_password(&settings, "a password is needed to log on").await?,
    };
    let client = settings.client(None, Some(&password))?;
    let logon = client.logon().await?;
    let connection = client.connection();
    let Some(token) = connection.session_token() else {
        return Err(Failure::from(veeam_em::runtime::ClientError::NoSessionToken { header: "X-RestSvcSessionId" }));
    };
    if let Some(old) = previous.filter(|old| old.is_for(&settings.url, &settings.user)) {
        // Best effort: an old session that is already gone is what we want anyway.
        if let Ok(old_client) = settings.client(Some(&old), None) {
            let _ = old_client.logout().await;
        }
    }
    let kept = KeptSession {
        url: settings.url.clone(),
        user: settings.user.clone(),
        token,
        session_href: connection.session_href(),
    };
    if let Err(err) = session::save(&path, &kept) {
        // Without the file the session is useless to later commands: end it rather than leave it open.
        let _ = client.logout().await;
        return Err(Failure::input(format!("cannot keep the session in {}: {err}", path.display())));
    }
    match settings.format {
        Format::Table => output::emit(&format!(
            "logged on to {} as {}; session kept in {}",
            settings.url,
            settings.user,
            path.display()
        )),
        format => output::document(format, &logon, |_| String::new()),
    }
}

/// Ends the kept session on the server and removes the file. Without a kept session for this URL and
/// user there is nothing to do, which is not an error (scripts may log out unconditionally).
pub async fn logout(global: &Global) -> Result<(), Failure> {
    let path = session::path();
    let any = path.as_deref().and_then(|p| session::load(p).ok().flatten());
    let settings = Settings::from_global(global, any.as_ref())?;
    let (Some(path), Some(kept)) = (path, settings.kept_session().map(|(_, kept)| kept)) else {
        eprintln!("vem: no kept session for {} as {}", settings.url, settings.user);
        return Ok(());
    };
    let client = settings.client(Some(&kept), None)?;
    // A session the server no longer knows counts as ended (the client treats 401 and 404 so). On a
    // connection failure the file stays, so that the logout can be tried again.
    client.logout().await?;
    session::remove(&path)
        .map_err(|err| Failure::input(format!("cannot remove the kept session {}: {err}", path.display())))?;
    if settings.format == Format::Table {
        output::emit(&format!("logged off from {} as {}", settings.url, settings.user))?;
    }
    Ok(())
}
