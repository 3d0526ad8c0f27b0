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

    /// Waits for the redirect to `/` that carries this sign-in's `state`, on IPv4 or IPv6. Each
    /// connection is answered on its own task, so an idle or slow one cannot hold up the real
    /// redirect; anything without the expected `state` (someone else's redirect, a forged error, a
    /// favicon) gets a page that says it was ignored, and the wait goes on. The listener is
    /// consumed: a second redirect finds nobody listening.
    pub async fn receive(self, expected_state: &str, language: &str) -> Result<Redirect, AppError> {
        let (found, mut answered) = tokio::sync::mpsc::channel::<Redirect>(8);
        let mut connections = tokio::task::JoinSet::new();
        loop {
            let accepted = tokio::select! {
                accepted = self.ipv4.accept() => accepted,
                accepted = accept(self.ipv6.as_ref()) => accepted,
                Some(redirect) = answered.recv() => return Ok(redirect),
            };
            let (stream, _) =
                accepted.map_err(|e| AppError::internal(format!("sign-in redirect: {e}")))?;
            let (found, expected, language) =
                (found.clone(), expected_state.to_owned(), language.to_owned());
            connections.spawn(async move {
                if let Some(redirect) = answer(stream, &expected, &language).await {
                    let _ = found.send(redirect).await;
                }
            });
        }
    }
}

/// Accepts on the IPv6 listener, or waits forever where there is none.
async fn accept(
    listener: Option<&TcpListener>,
) -> std::io::Result<(TcpStream, std::net::SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

/// Reads one request and answers it; the redirect when it is this sign-in's.
async fn answer(mut stream: TcpStream, expected_state: &str, language: &str) -> Option<Redirect> {
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
            state: state.clone(),
        },
        (Some(code), None) => Redirect::Code { code, state: state.clone() },
        (None, None) => Redirect::Error {
            error: "invalid_request".into(),
            description: "The redirect carried no code.".into(),
            state: state.clone(),
        },
    };
    let ours = state.as_deref() == Some(expected_state);
    let body = match (&redirect, ours) {
        (_, false) => ignored_page(language),
        (Redirect::Code { .. }, true) => result_page(language, true),
        (Redirect::Error { .. }, true) => result_page(language, false),
    };
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    ours.then_some(redirect)
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

/// What a request that is not this sign-in's redirect gets: nothing happened, close the tab.
pub fn ignored_page(language: &str) -> String {
    let (title, text) = if language.starts_with("sv") {
        ("Rehome väntade inte på den här sidan", "Inget hände. Du kan stänga fliken.")
    } else {
        ("Rehome was not expecting this page", "Nothing happened. You can close this tab.")
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Rehome</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:48px\"><h1 style=\"font-weight:600\">{title}</h1><p>{text}</p></body></html>"
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
        let waiting = tokio::spawn(async move { listener.receive("s1", "en").await });
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

    #[tokio::test]
    async fn requests_that_are_not_this_sign_ins_are_ignored_and_an_idle_socket_holds_nothing_up() {
        use tokio::io::AsyncWriteExt;
        let listener = LoopbackListener::bind().await.unwrap();
        let base = listener.redirect_uri().replace("localhost", "127.0.0.1");
        let waiting = tokio::spawn(async move { listener.receive("s1", "sv").await });
        // A connection that never sends anything stays open for the whole test.
        let port = base.trim_end_matches('/').rsplit(':').next().unwrap().parse::<u16>().unwrap();
        let mut idle = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        idle.write_all(b"GET /").await.unwrap();
        for stray in [
            "?code=someone-elses&state=forged",
            "?error=access_denied&error_description=forged",
            "?code=no-state",
            "favicon.ico",
        ] {
            let page = reqwest::get(format!("{base}{stray}")).await.unwrap().text().await.unwrap();
            assert!(!waiting.is_finished(), "{stray} ended the wait");
            if !stray.starts_with("favicon") {
                assert!(page.contains("Rehome väntade inte på den här sidan"), "{page}");
            }
        }
        let page = reqwest::get(format!("{base}?code=abc&state=s1")).await.unwrap().text().await;
        assert!(page.unwrap().contains("Du är inloggad"));
        let redirect = tokio::time::timeout(Duration::from_secs(4), waiting).await;
        let redirect = redirect.expect("the idle socket held up the redirect").unwrap().unwrap();
        assert_eq!(redirect, Redirect::Code { code: "abc".into(), state: Some("s1".into()) });
        drop(idle);
    }
}
