//! The one-shot loopback redirect listener of RFC 8252: 127.0.0.1 on an ephemeral port, one
//! sign-in, then closed. The browser tab gets a short page in the admin's language.

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::{AppError, ErrorCode};

/// What the identity platform sent back to the redirect URI.
#[derive(Debug, PartialEq, Eq)]
pub enum Redirect {
    Code { code: String, state: Option<String> },
    Error { error: String, description: String, state: Option<String> },
}

pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
}

impl LoopbackListener {
    pub async fn bind() -> Result<LoopbackListener, AppError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            AppError::internal(format!("cannot listen on 127.0.0.1 for the sign-in redirect: {e}"))
        })?;
        let port = listener.local_addr().map_err(|e| AppError::internal(e.to_string()))?.port();
        Ok(LoopbackListener { listener, port })
    }

    /// Registered as `http://localhost`; the platform ignores the port for loopback (DOMAIN.md §9.3).
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Waits for the redirect to `/`. Other paths (a favicon) get 404 and the wait goes on. The
    /// listener is consumed: a second redirect finds nobody listening.
    pub async fn receive(self, page: impl Fn(&Redirect) -> String) -> Result<Redirect, AppError> {
        loop {
            let (stream, _) = self
                .listener
                .accept()
                .await
                .map_err(|e| AppError::internal(format!("sign-in redirect: {e}")))?;
            if let Some(redirect) = answer(stream, &page).await {
                return Ok(redirect);
            }
        }
    }
}

async fn answer(mut stream: TcpStream, page: &impl Fn(&Redirect) -> String) -> Option<Redirect> {
    let head =
        tokio::time::timeout(Duration::from_secs(5), read_head(&mut stream)).await.ok()??;
    let target = head.lines().next()?.strip_prefix("GET ")?.split(' ').next()?.to_owned();
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    if url.path() != "/" {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return None;
    }
    let param =
        |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let state = param("state");
    let redirect = match (param("code"), param("error")) {
        (_, Some(error)) => Redirect::Error {
            error,
            description: param("error_description").unwrap_or_default(),
            state,
        },
        (Some(code), None) => Redirect::Code { code, state },
        (None, None) => Redirect::Error {
            error: "invalid_request".into(),
            description: "The redirect carried no code.".into(),
            state,
        },
    };
    let body = page(&redirect);
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    Some(redirect)
}

async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 1024];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > 16 * 1024 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    String::from_utf8(buffer).ok()
}

/// The page the browser tab shows, in the admin's language (`sv` or English).
pub fn result_page(language: &str, signed_in: bool) -> String {
    let swedish = language.starts_with("sv");
    let (title, text) = match (signed_in, swedish) {
        (true, false) => ("You are signed in", "Return to Rehome. You can close this tab."),
        (true, true) => {
            ("Du är inloggad", "Gå tillbaka till Rehome. Du kan stänga den här fliken.")
        }
        (false, false) => (
            "Sign-in did not complete",
            "Return to Rehome: it explains what happened and what to do.",
        ),
        (false, true) => (
            "Inloggningen slutfördes inte",
            "Gå tillbaka till Rehome: där står vad som hände och vad du kan göra.",
        ),
    };
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Rehome</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:48px\"><h1 style=\"font-weight:600\">{title}</h1><p>{text}</p></body></html>",
        if swedish { "sv" } else { "en" }
    )
}

/// A sign-in the admin did not finish: how it ended for the caller.
pub fn timed_out() -> AppError {
    AppError::new(
        ErrorCode::SignInTimedOut,
        "The sign-in in the browser was not completed in time.",
    )
}
