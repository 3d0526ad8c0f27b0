//! The journal survives `kill -9` in the middle of writing: a child process writes entries as fast
//! as it can and is killed; every entry it reported committed is there and the file is intact.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use rehome_core::journal::{EntryKind, Intent, Journal};

const CHILD: &str = "REHOME_JOURNAL_CHILD";

fn intent(n: usize) -> Intent {
    Intent {
        kind: EntryKind::Conversion,
        admin_upn: "anna.lindqvist@contoso-sample.se".into(),
        cloud: "sample".into(),
        tenant_id: "t-1".into(),
        user_id: format!("user-{n}"),
        user_upn: format!("user{n}@contoso-sample.se"),
        user_name: format!("Användare {n}"),
        email: format!("user{n}@partner.example"),
        set_mail: false,
        send_email: true,
        language: "sv-SE".into(),
        personal_message: Some("Hej! ".repeat(200)),
        cc: None,
        redirect_url: "https://myapps.microsoft.com/".into(),
        requests: vec![],
    }
}

/// The child: writes until killed, printing the number of each entry once it is committed. Not a
/// test of its own: the one below starts it.
#[test]
#[ignore = "the child process of the_journal_survives_kill_9_during_writes"]
fn journal_writer_child() {
    let Ok(path) = std::env::var(CHILD) else { return };
    let journal = Journal::open(std::path::Path::new(&path)).unwrap();
    for n in 1.. {
        journal.begin(&intent(n)).unwrap();
        println!("committed {n}");
    }
}

#[test]
fn the_journal_survives_kill_9_during_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "journal_writer_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut committed = 0;
    // The pipe stays open until the kill, so the child is writing (not dying of a closed pipe).
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        if let Some(n) = line.unwrap().strip_prefix("committed ") {
            committed = n.parse().unwrap();
            if committed >= 200 {
                break;
            }
        }
    }
    // SIGKILL: no destructor, no flush – as when the machine loses power or the app is killed.
    #[cfg(unix)]
    {
        let status = Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "the child was killed, it did not exit: {status}");
    }
    // Windows' counterpart, TerminateProcess: just as abrupt (exit code 1, which std passes).
    #[cfg(windows)]
    {
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "the child was killed, it did not exit: {status}");
    }
    drop(lines);

    let journal = Journal::open(&path).unwrap();
    let entries = journal.entries().unwrap();
    assert!(
        entries.len() >= committed,
        "{} entries, {committed} reported committed",
        entries.len()
    );
    assert!(entries.iter().all(|e| e.intent.user_name.starts_with("Användare")));
    let check = rusqlite::Connection::open(&path).unwrap();
    let integrity: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}
