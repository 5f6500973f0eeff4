//! Streaming a file from the server.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::error::from_reqwest;
use super::Error;

/// An answer whose body is a file, not yet read. The body is read piece by piece, each within the
/// connection's timeout, so a large file never has to fit in memory or in one timeout.
#[derive(Debug)]
pub struct Download {
    response: reqwest::Response,
    timeout: Duration,
}

impl Download {
    pub(crate) fn new(response: reqwest::Response, timeout: Duration) -> Self {
        Download { response, timeout }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The headers (`Content-Disposition` may name the file).
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The announced length, when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The next piece of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match tokio::time::timeout(self.timeout, self.response.chunk()).await {
            Ok(result) => result.map_err(|e| from_reqwest(e, self.timeout)),
            Err(_) => Err(Error::Timeout { after: self.timeout }),
        }
    }

    /// Copies the body to `out` and flushes it; returns the number of bytes copied.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, out: &mut W) -> Result<u64, Error> {
        let mut copied = 0u64;
        while let Some(chunk) = self.chunk().await? {
            out.write_all(&chunk).await.map_err(|source| Error::Write { source })?;
            copied += chunk.len() as u64;
        }
        out.flush().await.map_err(|source| Error::Write { source })?;
        Ok(copied)
    }

    /// Reads the whole body into memory.
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let mut body = Vec::with_capacity(self.content_length().map_or(0, |n| n.min(1 << 24) as usize));
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(body))
    }
}
