//! Settings in the real window: the journal's folder opens in the file manager, not keeping
//! message bodies is remembered, and the interface language switches to Swedish.

use crate::harness::{signed_in_as_anna, translation};

#[tokio::test(flavor = "multi_thread")]
async fn settings_open_the_journal_folder_remember_a_choice_and_switch_language() {
    let (_sandbox, app) = signed_in_as_anna("en_US.UTF-8", vec![]).await;
    app.click("open-settings").await;
    let journal = app.text_of("journal-file").await;
    assert!(journal.ends_with("se.rehome.desktop/journal.sqlite3"), "{journal}");
    assert!(
        journal.starts_with(&app.home().path().display().to_string()),
        "in the app's data directory"
    );

    app.click("open-journal-folder").await;
    let opened = app.opened_matching(|url| url.ends_with("se.rehome.desktop")).await;
    assert!(journal.starts_with(&opened) && opened.ends_with("se.rehome.desktop"), "{opened}");

    app.screenshot("settings-en").await;
    app.click("keep-bodies").await;
    let saved = app.home().path().join("config/se.rehome.desktop/preferences.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_to_string(&saved).is_ok_and(|t| t.contains("\"keepMessageBodies\": false"))
    {
        assert!(std::time::Instant::now() < deadline, "the choice was not saved");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    app.click("settings-language-sv").await;
    app.wait_for_text_containing("settings-screen", &translation("sv", "settings.journal")).await;
    app.screenshot("settings-sv").await;
}
