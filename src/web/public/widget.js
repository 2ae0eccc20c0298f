/* Helpnet widget: <script src="https://helpnet.example.com/widget.js" data-category="ms-exchange" async></script>
 * Adds a launcher button to the page; it opens a panel, an iframe of Helpnet's own page
 * (/widget/frame), where the customer files a ticket and follows the conversation. The
 * launcher lives in a shadow root and is styled through the CSSOM, so the host's CSS
 * does not reach it and a strict host CSP (no inline style) does not block it. Plain
 * browser JavaScript, no framework, nothing global but a guard against a second copy. */
/* global window, document */
(function () {
  'use strict';
  if (window.__helpnetWidget) return;
  window.__helpnetWidget = true;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"][data-category], script[src*="widget.js"]');
  if (!script || !script.src) return;
  var base = script.src.replace(/widget\.js(\?.*)?$/, '');
  var helpnetOrigin = new URL(base).origin;
  var category = script.getAttribute('data-category') || '';
  var label = script.getAttribute('data-label') || 'Help';

  function css(el, styles) {
    for (var k in styles) el.style.setProperty(k, styles[k]);
    return el;
  }

  var host = css(document.createElement('div'), { position: 'fixed', right: '16px', bottom: '16px', 'z-index': '2147483000', margin: '0', padding: '0', border: '0' });
  host.setAttribute('data-helpnet-widget', '');
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var font = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  var launcher = css(document.createElement('button'), {
    all: 'initial', display: 'block', cursor: 'pointer', 'font-family': font, 'font-size': '16px', 'font-weight': '600', 'line-height': '1.2',
    color: '#ffffff', background: '#1f4fa3', padding: '12px 20px', 'border-radius': '24px', 'box-shadow': '0 2px 8px rgba(0,0,0,.3)', 'margin-left': 'auto',
  });
  launcher.type = 'button';
  launcher.textContent = label;
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.addEventListener('focus', function () { css(launcher, { outline: '3px solid #f2b705', 'outline-offset': '2px' }); });
  launcher.addEventListener('blur', function () { css(launcher, { outline: 'none' }); });

  var frame = null;
  var loaded = false;
  var open = false;

  function tell(type) {
    if (loaded) frame.contentWindow.postMessage({ helpnet: type }, helpnetOrigin);
  }

  function makeFrame() {
    frame = css(document.createElement('iframe'), {
      display: 'none', border: '0', 'border-radius': '12px', background: '#ffffff', 'box-shadow': '0 4px 24px rgba(0,0,0,.35)',
      width: 'min(380px, calc(100vw - 32px))', height: 'min(560px, calc(100vh - 96px))', 'margin-bottom': '12px',
    });
    frame.id = 'helpnet-widget-panel';
    frame.title = 'Helpnet support';
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.src = base + 'widget/frame' + (category ? '?category=' + encodeURIComponent(category) : '');
    frame.addEventListener('load', function () { loaded = true; if (open) tell('open'); });
    launcher.setAttribute('aria-controls', frame.id);
    root.insertBefore(frame, launcher);
  }

  function setOpen(next) {
    open = next;
    if (!frame) makeFrame();
    css(frame, { display: next ? 'block' : 'none' });
    launcher.setAttribute('aria-expanded', String(next));
    launcher.textContent = next ? 'Close help' : label;
    if (next) {
      frame.focus();
      tell('open');
    } else {
      tell('closed');
      launcher.focus();
    }
  }

  launcher.addEventListener('click', function () { setOpen(!open); });
  launcher.addEventListener('keydown', function (e) { if (e.key === 'Escape' && open) setOpen(false); });
  // The panel asks to close (its Close button, or Escape pressed inside it).
  window.addEventListener('message', function (e) {
    if (!frame || e.origin !== helpnetOrigin || e.source !== frame.contentWindow) return;
    if (e.data && e.data.helpnet === 'close' && open) setOpen(false);
  });

  root.appendChild(launcher);
  function mount() { document.body.appendChild(host); }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
