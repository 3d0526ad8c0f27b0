// The same signal Rehome gives (ui/src/painted.ts): once the webview has reported its first
// contentful paint and two animation frames have passed, tell the Rust side, which prints
// "first screen shown after N ms".
const shown = () =>
  requestAnimationFrame(() =>
    requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('first_screen_shown')),
  );
if (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('paint')) {
  new PerformanceObserver((list, self) => {
    if (!list.getEntriesByName('first-contentful-paint').length) return;
    self.disconnect();
    shown();
  }).observe({ type: 'paint', buffered: true });
} else {
  shown();
}
