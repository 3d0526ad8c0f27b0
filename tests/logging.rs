//! The real logger, writing a real file: secrets logged by mistake never reach the disk.
//! (Its own test binary, because the logger is process-global.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{fs, time::Duration};

use tauri::test::{mock_builder, mock_context, noop_assets};

#[test]
fn the_log_file_gets_the_line_but_not_the_secrets() {
    rehome_lib::private_by_default();
    let folder = tempfile::tempdir().unwrap();
    let _app = mock_builder()
        .plugin(rehome_lib::logging::plugin_writing_to(folder.path().to_path_buf()))
        .build(mock_context(noop_assets()))
        .unwrap();

    let access = "eyJ0eXAiOiJKV1QifQ.eyJzY3AiOiJVc2VyLlJlYWQifQ.c2lnbmF0dXJlLXBhcnQ";
    let refresh = "0.AXoAc2VjcmV0LXJlZnJlc2gtdG9rZW4";
    tracing::warn!("token call failed: Authorization: Bearer {access}");
    tracing::error!(r#"token response {{"access_token":"{access}","refresh_token":"{refresh}"}}"#);
    log::logger().flush();

    let file = folder.path().join("rehome.log");
    let mut contents = String::new();
    for _ in 0..50 {
        contents = fs::read_to_string(&file).unwrap_or_default();
        if contents.lines().count() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(contents.contains("token call failed: Authorization: Bearer [redacted]"), "{contents}");
    assert!(contents.contains(r#""refresh_token":"[redacted]""#), "{contents}");
    assert!(!contents.contains(access) && !contents.contains(refresh), "{contents}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the log is its owner's alone");
    }
}
