// The sandbox page (/sandbox): polls what Slack would show the viewer and swaps in the
// fragments the server rendered (escaped there); sends each click, message, command and
// modal submission to the server, which signs it as Slack would and hands it to Helpnet.
/* global document, fetch, setTimeout, setInterval */
(function () {
  'use strict';
  var main = document.getElementById('main');
  if (!main) return;
  var viewer = main.getAttribute('data-viewer');
  var status = document.getElementById('sbx-status');
  var shown = { channels: '', dm: '', home: '', modal: '', mail: '' };
  var POLL_MS = 1500;

  function say(text) {
    status.textContent = text;
  }

  function post(path, body) {
    body.as = viewer;
    return fetch('/sandbox/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.json(); })
      .then(function (answer) {
        if (!answer.ok) say('Not sent: ' + (answer.errors ? answer.errors.join('; ') : answer.error));
        else if (answer.error) say('Not sent: ' + answer.error);
        setTimeout(refresh, 200);
        return answer;
      })
      .catch(function () { say('Not sent: the server did not answer.'); });
  }

  // Replacing a fragment must not lose what the viewer is typing in it.
  function swap(id, html) {
    var el = document.getElementById(id);
    var typed = {};
    var focused = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : null;
    el.querySelectorAll('textarea, input[type="text"]').forEach(function (f) { if (f.id) typed[f.id] = f.value; });
    el.innerHTML = html;
    Object.keys(typed).forEach(function (fid) { var f = document.getElementById(fid); if (f) f.value = typed[fid]; });
    if (focused) { var again = document.getElementById(focused); if (again) again.focus(); }
  }

  function render(state) {
    var channels = state.channels.map(function (c) { return c.html; }).join('');
    if (channels !== shown.channels) { swap('channels', channels); shown.channels = channels; }
    if (state.dm !== shown.dm) { swap('dm', state.dm); shown.dm = state.dm; }
    if (state.home !== shown.home) { swap('home', state.home); shown.home = state.home; }
    if (state.mail !== shown.mail) { swap('mail', state.mail); shown.mail = state.mail; }
    var modal = document.getElementById('modal');
    var modalHtml = state.modal ? state.modal.html : '';
    if (modalHtml !== shown.modal) {
      shown.modal = modalHtml;
      modal.innerHTML = modalHtml;
      modal.hidden = !modalHtml;
      var first = modal.querySelector('input, select, textarea, button');
      if (first) first.focus();
    }
  }

  function refresh() {
    return fetch('/sandbox/state?as=' + encodeURIComponent(viewer), { headers: { accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (state) { if (state) render(state); })
      .catch(function () { /* the next poll tries again */ });
  }

  // Where an element sits: a message (conversation and ts) or a view (its id).
  function place(el) {
    var view = el.closest('[data-view-id]');
    if (view) return { viewId: view.getAttribute('data-view-id') };
    var message = el.closest('.sbx-message');
    return message ? { conversation: message.getAttribute('data-conversation'), ts: message.getAttribute('data-ts') } : {};
  }

  function action(el, extra) {
    if (el.closest('form.sbx-modal-form')) return; // a modal's fields go with its submit
    var body = place(el);
    body.actionId = el.getAttribute('data-action-id');
    body.blockId = el.getAttribute('data-block-id') || '';
    Object.keys(extra).forEach(function (k) { body[k] = extra[k]; });
    say('Sent.');
    post('act', body);
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest('button.sbx-action');
    if (button) { action(button, { type: 'button', value: button.getAttribute('data-value') || undefined }); return; }
    if (e.target.closest('.sbx-modal-close')) {
      var form = e.target.closest('form.sbx-modal-form');
      post('close', { viewId: form.getAttribute('data-view-id') });
    }
  });

  document.addEventListener('change', function (e) {
    var select = e.target.closest('select.sbx-select');
    if (select && select.value) { action(select, { type: select.getAttribute('data-type') === 'overflow' ? 'overflow' : 'static_select', value: select.value }); return; }
    var toggle = e.target.closest('input.sbx-toggle');
    if (toggle) {
      var set = toggle.closest('fieldset');
      var values = Array.prototype.map.call(set.querySelectorAll('input:checked'), function (i) { return i.value; });
      action(set, { type: 'checkboxes', values: values });
    }
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.classList.contains('sbx-say')) {
      e.preventDefault();
      var box = form.querySelector('textarea');
      var text = box.value.trim();
      if (!text) return;
      post('say', { conversation: form.getAttribute('data-conversation'), threadTs: form.getAttribute('data-thread-ts'), text: text }).then(function (a) { if (a && a.ok && !a.error) box.value = ''; });
    } else if (form.id === 'command-form') {
      e.preventDefault();
      var input = document.getElementById('command-text');
      post('command', { text: input.value }).then(function (a) { if (a && a.ok) input.value = ''; });
    } else if (form.classList.contains('sbx-modal-form')) {
      e.preventDefault();
      var values = {};
      form.querySelectorAll('.sbx-field').forEach(function (f) {
        if (!f.name) return;
        if (f.type === 'checkbox') { values[f.name] = values[f.name] || []; if (f.checked) values[f.name].push(f.value); }
        else if (f.type === 'radio') { if (f.checked) values[f.name] = f.value; }
        else values[f.name] = f.value;
      });
      post('submit', { viewId: form.getAttribute('data-view-id'), values: values }).then(function (a) {
        if (a && a.errors && !Array.isArray(a.errors)) {
          form.querySelector('.sbx-errors').textContent = Object.keys(a.errors).map(function (k) { return a.errors[k]; }).join(' ');
        }
      });
    }
  });

  document.getElementById('open-home').addEventListener('click', function () { say('Opening the App Home…'); post('home-opened', {}); });

  refresh();
  setInterval(refresh, POLL_MS);
})();
