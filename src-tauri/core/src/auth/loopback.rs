//! The one-shot loopback redirect listener of RFC 8252: an ephemeral port on the loopback
//! interface, one sign-in, then closed. The browser tab gets a short page in the admin's language.
//!
//! The redirect URI is `http://localhost:{port}/`, exactly what admins register in the portal's
//! "Mobile and desktop applications" form (`http://localhost`; the port is ignored for loopback,
//! DOMAIN.md §9.3, §11.2). `127.0.0.1` would need the manifest. Because the browser may resolve
//! `localhost` to IPv4 or IPv6, the listener takes the same port on 127.0.0.1 and on [::1].

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::{AppError, ErrorCode};

/// What the identity platform sent back to the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    Code { code: String, state: Option<String> },
    Error { error: String, description: String, state: Option<String> },
}

pub struct LoopbackListener {
    ipv4: TcpListener,
    /// `None` where the machine has no IPv6 loopback: then `localhost` resolves to 127.0.0.1.
    ipv6: Option<TcpListener>,
    port: u16,
}

impl LoopbackListener {
    pub async fn bind() -> Result<LoopbackListener, AppError> {
        let cannot = |e: std::io::Error| {
            AppError::internal(format!(
                "cannot listen on the loopback for the sign-in redirect: {e}"
            ))
        };
        // The port chosen for IPv4 may be taken on IPv6 by another program: try a few ports.
        for _ in 0..8 {
            let ipv4 = TcpListener::bind(("127.0.0.1", 0)).await.map_err(cannot)?;
            let port = ipv4.local_addr().map_err(cannot)?.port();
            match TcpListener::bind(("::1", port)).await {
                Ok(ipv6) => return Ok(LoopbackListener { ipv4, ipv6: Some(ipv6), port }),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
                // No IPv6 loopback here (disabled or absent).
                Err(_) => return Ok(LoopbackListener { ipv4, ipv6: None, port }),
            }
        }
        Err(AppError::internal("no free loopback port for the sign-in redirect"))
    }

    /// What the app registration holds (`http://localhost`), with this listener's port.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}/", self.port)
    }

    /// Waits for the redirect to `/`, on IPv4 or IPv6. Other paths (a favicon) get 404 and the
    /// wait goes on. The listener is consumed: a second redirect finds nobody listening.
    pub async fn receive(self, page: impl Fn(&Redirect) -> String) -> Result<Redirect, AppError> {
        loop {
            let accepted = match &self.ipv6 {
                Some(ipv6) => tokio::select! {
                    accepted = self.ipv4.accept() => accepted,
                    accepted = ipv6.accept() => accepted,
                },
                None => self.ipv4.accept().await,
            };
            let (stream, _) =
                accepted.map_err(|e| AppError::internal(format!("sign-in redirect: {e}")))?;
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
    let url = url::Url::parse(&format!("http://localhost{target}")).ok()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn redirect_via(host: &str) -> Option<Redirect> {
        let listener = LoopbackListener::bind().await.unwrap();
        let uri = listener.redirect_uri();
        let port = uri.trim_end_matches('/').rsplit(':').next().unwrap().to_owned();
        assert_eq!(uri, format!("http://localhost:{port}/"), "what admins register, plus the port");
        if host == "[::1]" && listener.ipv6.is_none() {
            return None;
        }
        let waiting = tokio::spawn(listener.receive(|_| "ok".into()));
        let url = format!("http://{host}:{port}/?code=abc&state=s1");
        reqwest::get(&url).await.unwrap().text().await.unwrap();
        Some(waiting.await.unwrap().unwrap())
    }

    #[tokio::test]
    async fn the_redirect_arrives_whether_localhost_is_ipv4_or_ipv6() {
        let expected = Redirect::Code { code: "abc".into(), state: Some("s1".into()) };
        assert_eq!(redirect_via("127.0.0.1").await, Some(expected.clone()));
        // Where the machine has an IPv6 loopback, a browser resolving localhost to ::1 gets through.
        if let Some(redirect) = redirect_via("[::1]").await {
            assert_eq!(redirect, expected);
        }
    }
}
