//! Light, dark and high contrast in the real window (WebKitGTK): chosen in Settings as an admin
//! would, remembered across a restart, and following the system – GTK's dark theme is
//! `prefers-color-scheme: dark` to WebKitGTK, its HighContrast theme `prefers-contrast: more`.
//! (WebKitGTK knows `forced-colors` but never reports it active: Linux has no forced colours; the
//! UI tests check forced colours in Chromium.)

use std::time::{Duration, Instant};

use crate::harness::{signed_in_as_anna, App, Launch};

/// The theme the app draws with: its name, and the page's background and text colours.
struct Look {
    theme: String,
    background: [u8; 3],
    text: [u8; 3],
}

/// WCAG's relative luminance: 0 for black, 1 for white.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn rgb(css: &str) -> [u8; 3] {
    let numbers: Vec<u8> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|n| n.trim().parse().unwrap_or_else(|_| panic!("not a colour: {css}")))
        .collect();
    [numbers[0], numbers[1], numbers[2]]
}

/// Waits until the app draws with `theme`, and returns what the page then looks like.
async fn wait_for_theme(app: &App, theme: &str) -> Look {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = app
            .script(
                "const root = document.querySelector('[data-testid=app-root]'); const style = getComputedStyle(root); \
                 return [root.dataset.theme, style.backgroundColor, style.color]",
            )
            .await;
        let [name, background, text] =
            [0, 1, 2].map(|i| answer[i].as_str().unwrap_or_default().to_owned());
        if name == theme {
            return Look { theme: name, background: rgb(&background), text: rgb(&text) };
        }
        assert!(Instant::now() < deadline, "the app draws with {name:?}, not {theme:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn assert_dark(look: &Look) {
    assert!(
        luminance(look.background) < 0.05,
        "{} background {:?} is not dark",
        look.theme,
        look.background
    );
    assert!(luminance(look.text) > 0.8, "{} text {:?} is not light", look.theme, look.text);
}

fn assert_light(look: &Look) {
    assert!(
        luminance(look.background) > 0.9,
        "{} background {:?} is not light",
        look.theme,
        look.background
    );
    assert!(luminance(look.text) < 0.05, "{} text {:?} is not dark", look.theme, look.text);
}

fn assert_high_contrast(look: &Look) {
    assert_eq!((look.background, look.text), ([0, 0, 0], [255, 255, 255]), "{}", look.theme);
}

/// Settings › Appearance › `choice`, as the admin picks it.
async fn choose(app: &App, choice: &str) {
    app.click("open-settings").await;
    app.click(&format!("settings-appearance-{choice}")).await;
    app.click("settings-back").await;
    app.wait_for("home-screen").await;
}

/// The home screen, then Ingrid's eligibility report (blocked: red, amber and green checks).
async fn home_and_review(app: &App, name: &str, language: &str) {
    app.screenshot(&format!("home-{name}-{language}")).await;
    app.type_into("search-box", "ingrid").await;
    app.click_css("[data-testid=\"search-row\"][data-upn=\"ingrid.falk@contoso-sample.se\"]").await;
    app.wait_for_css("[data-testid=\"review-outcome\"][data-outcome=\"blocked\"]").await;
    app.wait_for("check-onPremisesUpn").await;
    app.screenshot(&format!("review-{name}-{language}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dark_chosen_in_settings_is_drawn_and_remembered() {
    let (_sandbox, app) = signed_in_as_anna("en_US.UTF-8", vec![]).await;
    assert_light(&wait_for_theme(&app, "light").await);

    choose(&app, "dark").await;
    assert_dark(&wait_for_theme(&app, "dark").await);
    home_and_review(&app, "dark", "en").await;

    // Remembered on this workstation: the next start is dark from its first screen.
    let home = app.close().await;
    let app = App::launch_in(home, Launch::locale("en_US.UTF-8")).await;
    app.wait_for("start-screen").await;
    assert_dark(&wait_for_theme(&app, "dark").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn high_contrast_chosen_in_settings_is_drawn() {
    let (_sandbox, app) = signed_in_as_anna("sv_SE.UTF-8", vec![]).await;
    choose(&app, "highContrast").await;
    assert_high_contrast(&wait_for_theme(&app, "highContrast").await);
    home_and_review(&app, "high-contrast", "sv").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn follows_the_system_dark_and_high_contrast_until_overridden() {
    let dark_gtk = vec![("GTK_THEME", "Adwaita:dark".to_owned())];
    let (_sandbox, app) = signed_in_as_anna("en_US.UTF-8", dark_gtk).await;
    assert_dark(&wait_for_theme(&app, "dark").await);
    app.click("open-settings").await;
    // Fluent's Radio puts the test id on its <input>.
    let system = app.wait_for("settings-appearance-system").await;
    assert!(system.is_selected().await.unwrap(), "\"Follow the system\" is the first choice");

    // The admin's choice wins over the system, and going back to the system follows it again.
    app.click("settings-appearance-light").await;
    assert_light(&wait_for_theme(&app, "light").await);
    app.click("settings-appearance-system").await;
    assert_dark(&wait_for_theme(&app, "dark").await);
    drop(app);

    // GNOME's High Contrast (the accessibility switch sets this GTK theme).
    let mut launch = Launch::locale("en_US.UTF-8");
    launch.env.push(("GTK_THEME", "HighContrast".to_owned()));
    let app = App::launch(launch).await;
    app.wait_for("start-screen").await;
    assert_high_contrast(&wait_for_theme(&app, "highContrast").await);
}
