//! How Rehome speaks HTTP to Microsoft: one client that follows no redirects (a token or a Graph
//! request goes only where Rehome sent it), and answers read up to a cap, so a server that sends
//! without end cannot exhaust memory.

use std::time::Duration;

use crate::{AppError, ErrorCode};

/// Far above any answer Rehome asks for (a page of users, a `$batch` of twenty).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The client for the identity platform and Microsoft Graph.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("Rehome/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(15))
        .build()
        .unwrap_or_default()
}

/// The answer's body as text, refused once it passes `MAX_BODY_BYTES`.
pub async fn body_text(
    mut response: reqwest::Response,
    unreachable: impl Fn(reqwest::Error) -> AppError,
) -> Result<String, AppError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(&unreachable)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(AppError::new(
                ErrorCode::UnexpectedResponse,
                format!("The service's answer was larger than {} MiB.", MAX_BODY_BYTES >> 20),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[cfg(test)]
mod tests {
    use tokio::{
        io::{AsyncReadExt, AsyncWriteExt},
        net::TcpListener,
    };

    use super::*;

    /// A server that answers every request with `head` and then `body_bytes` bytes of `x`;
    /// counts the requests that asked for `/elsewhere`.
    async fn server(
        head: &'static str,
        body_bytes: usize,
    ) -> (String, tokio::task::JoinHandle<usize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let mut elsewhere = 0;
            while let Ok(Ok((mut stream, _))) =
                tokio::time::timeout(Duration::from_millis(500), listener.accept()).await
            {
                let mut request = [0u8; 2048];
                let read = stream.read(&mut request).await.unwrap_or(0);
                if String::from_utf8_lossy(&request[..read]).starts_with("GET /elsewhere") {
                    elsewhere += 1;
                }
                let _ = stream.write_all(head.as_bytes()).await;
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < body_bytes {
                    if stream.write_all(&chunk).await.is_err() {
                        break;
                    }
                    sent += chunk.len();
                }
            }
            elsewhere
        });
        (base, task)
    }

    fn unreachable(e: reqwest::Error) -> AppError {
        AppError::new(ErrorCode::Network, e.to_string())
    }

    #[tokio::test]
    async fn a_redirect_is_not_followed() {
        let (base, served) =
            server("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n", 0)
                .await;
        let response = client().get(format!("{base}/token")).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::FOUND);
        assert_eq!(served.await.unwrap(), 0, "the redirect's target was never asked");
    }

    #[tokio::test]
    async fn an_endless_answer_is_cut_off_with_a_clear_error() {
        let (base, _served) = server(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
            MAX_BODY_BYTES + (1 << 20),
        )
        .await;
        let response = client().get(format!("{base}/users")).send().await.unwrap();
        let error = body_text(response, unreachable).await.unwrap_err();
        assert_eq!(error.code, ErrorCode::UnexpectedResponse);
        assert!(error.message.contains("16 MiB"), "{}", error.message);
    }
}
