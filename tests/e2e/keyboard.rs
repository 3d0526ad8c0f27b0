//! A whole practice conversion with the keyboard alone – Tab, Enter, arrow keys and typing, sent
//! to whatever has the focus – counting every key pressed, and checking at each stop that the
//! admin can see where the focus is.

use fantoccini::key::Key;
use rehome_sandbox::{Sandbox, SandboxConfig};

use crate::harness::{play_browser, App, Launch};

/// Presses keys on the focused element and counts them.
struct Keyboard<'a> {
    app: &'a App,
    presses: usize,
    tabs: usize,
}

/// Where the focus is, and whether it shows. The focused control, its pseudo-elements and its
/// two wrappers (Fluent draws some indicators there) must draw something opaque – an outline,
/// a shadow, a border or Fluent's double underline for links – and must look different once
/// the focus has moved on (checked for the previous stop at each Tab).
const FOCUS: &str = r#"
const opaque = (colour) => !/rgba\([^)]*,\s*0\)|transparent/.test(colour);
const shows = (s) => s.display !== 'none' && s.visibility !== 'hidden' && (
  (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && opaque(s.outlineColor)) ||
  (s.boxShadow !== 'none' && s.boxShadow.split(/,(?![^(]*\))/).some(opaque)) ||
  (s.textDecorationLine.includes('underline') && s.textDecorationStyle === 'double') ||
  (s.content && s.content !== 'none' && s.content !== 'normal' && !/^matrix\(0,/.test(s.transform) &&
    ['Top','Right','Bottom','Left'].some((side) => s['border' + side + 'Style'] !== 'none' &&
      parseFloat(s['border' + side + 'Width']) > 0 && opaque(s['border' + side + 'Color']))));
const PROPS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'textDecorationStyle', 'transform',
  'borderTopColor', 'borderBottomColor', 'borderBottomWidth', 'content'];
const look = (el) => JSON.stringify([el, el.parentElement, el.parentElement?.parentElement].filter(Boolean).flatMap(
  (node) => [null, '::after', '::before'].map((pseudo) => { const s = getComputedStyle(node, pseudo); return PROPS.map((p) => s[p]); })));
const el = document.activeElement;
const previous = window.__focusCheck;
const previousShowed = !previous || !previous.el.isConnected || previous.el === el || look(previous.el) !== previous.look;
if (!el || el === document.body) return { testid: null, visible: false, previousShowed, what: 'nothing focused' };
let visible = false;
for (let node = el, depth = 0; node && depth < 3 && !visible; node = node.parentElement, depth++) {
  const own = getComputedStyle(node);
  visible = (own.opacity !== '0' && shows(own)) || shows(getComputedStyle(node, '::after')) || shows(getComputedStyle(node, '::before'));
}
window.__focusCheck = { el, look: look(el) };
const owner = el.closest('[data-testid]');
return { testid: owner ? owner.getAttribute('data-testid') : null, visible, previousShowed,
  what: el.outerHTML.slice(0, 160), previous: previous ? previous.el.outerHTML.slice(0, 160) : null };
"#;

impl Keyboard<'_> {
    async fn press(&mut self, keys: &str) {
        let focused = self.app.client.active_element().await.unwrap();
        focused.send_keys(keys).await.unwrap();
        self.presses += keys.chars().count();
    }

    async fn enter(&mut self) {
        self.press(&char::from(Key::Enter).to_string()).await;
    }

    /// Tabs forward until the focus is on `test_id` (or inside it), checking that every stop on
    /// the way shows its focus.
    async fn tab_to(&mut self, test_id: &str) {
        for _ in 0..60 {
            self.press(&char::from(Key::Tab).to_string()).await;
            self.tabs += 1;
            let focus = self.app.script(FOCUS).await;
            assert_eq!(focus["visible"], true, "the focus cannot be seen on {}", focus["what"]);
            assert_eq!(
                focus["previousShowed"], true,
                "focus looked the same as no focus: {}",
                focus["previous"]
            );
            if focus["testid"] == test_id {
                return;
            }
        }
        panic!("Tab never reached {test_id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_practice_conversion_with_the_keyboard_alone() {
    let config = SandboxConfig {
        auto_sign_in: Some("anna.lindqvist@contoso-sample.se".into()),
        ..Default::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let app = App::launch(Launch::sample("en_US.UTF-8", &sandbox)).await;
    let mut keys = Keyboard { app: &app, presses: 0, tabs: 0 };

    app.wait_for("start-screen").await;
    // Focus indicators are checked as they end up, not half-way through their transition.
    app.hold_animations_at_their_end().await;
    keys.tab_to("try-sample").await;
    keys.enter().await;
    // The sign-in itself happens in the browser, not in Rehome.
    play_browser(&app.opened_url().await).await;
    app.wait_for("home-screen").await;

    // The search box has the focus on arrival: type, and Enter opens the first match.
    app.wait_for("search-box").await;
    keys.press("astrid").await;
    app.wait_for_css("[data-testid=\"search-row\"][data-upn=\"astrid.berg@contoso-sample.se\"]")
        .await;
    keys.enter().await;

    app.wait_for_css("[data-testid=\"review-outcome\"]").await;
    keys.tab_to("email-candidate").await;
    keys.press(" ").await;
    keys.tab_to("email-check").await;
    keys.enter().await;
    app.wait_for_css("[data-testid=\"review-outcome\"][data-outcome=\"readyWithWarnings\"]").await;
    keys.tab_to("to-message").await;
    keys.enter().await;

    app.wait_for("message-screen").await;
    keys.tab_to("to-confirm").await;
    keys.enter().await;

    app.wait_for("confirm-screen").await;
    keys.tab_to("confirm-upn").await;
    keys.press("astrid.berg@contoso-sample.se").await;
    keys.tab_to("convert").await;
    keys.enter().await;

    app.wait_for_css("[data-testid=\"result-screen\"][data-outcome=\"succeeded\"]").await;
    let id = sandbox.control().user_id("astrid.berg@contoso-sample.se").unwrap();
    assert_eq!(sandbox.control().user(&id).unwrap()["externalUserState"], "PendingAcceptance");
    // The README states this figure (Keyboard only); printed for `--nocapture`.
    println!(
        "keyboard-only practice conversion: {} key presses, {} of them Tab",
        keys.presses, keys.tabs
    );
}
