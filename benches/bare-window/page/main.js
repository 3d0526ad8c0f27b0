// The same signal Rehome gives (ui/src/main.tsx): after the first paint of the page's content
// (two animation frames), tell the Rust side, which prints "first screen shown after N ms".
requestAnimationFrame(() =>
  requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('first_screen_shown')),
);
