/**
 * Calls `then` once what is in the page now has been painted: the webview has reported its
 * first contentful paint (where it reports paints), and two animation frames have passed. An
 * animation frame alone can come before WebKit paints at all. `make bench`'s bare window uses
 * the same rule (benches/bare-window/page/main.js).
 */
export function afterPaint(then: () => void) {
  const twoFrames = () => requestAnimationFrame(() => requestAnimationFrame(then));
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('paint')) return twoFrames();
  const observer = new PerformanceObserver((list, self) => {
    if (!list.getEntriesByName('first-contentful-paint').length) return;
    self.disconnect();
    twoFrames();
  });
  observer.observe({ type: 'paint', buffered: true });
}
