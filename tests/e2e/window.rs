//! The window as a desktop app's: one Rehome per data folder, and its size kept across starts.

use crate::harness::{App, Launch};

#[tokio::test(flavor = "multi_thread")]
async fn starting_rehome_again_shows_the_running_window_instead_of_a_second_one() {
    let app = App::launch(Launch::locale("en_US.UTF-8")).await;
    app.wait_for("start-screen").await;

    let windows = app.rehome_windows();
    let second = app.start_again().await;

    assert!(second.success(), "the second start hands over and ends quietly: {second}");
    assert_eq!(app.rehome_windows(), windows, "no second Rehome window");
    let log = std::fs::read_to_string(app.log_file()).unwrap();
    assert!(log.contains("Rehome was started again"), "the running Rehome was told: {log}");
    // And it still answers.
    app.click("language-menu").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_opens_as_large_as_the_admin_left_it() {
    let app = App::launch(Launch::locale("en_US.UTF-8")).await;
    app.wait_for("start-screen").await;
    let (width, height) = app.client.get_window_size().await.unwrap();
    let (new_width, new_height) = (width - 160, height - 100);
    app.client.set_window_size(new_width as u32, new_height as u32).await.unwrap();
    app.close_window().await;

    let app = App::launch_in(app.close().await, Launch::locale("en_US.UTF-8")).await;
    app.wait_for("start-screen").await;
    assert_eq!(app.client.get_window_size().await.unwrap(), (new_width, new_height));
}
