/* The widget's panel (/widget/frame): files a ticket through POST /api/widget/tickets and
 * follows its conversation through /api/widget/tickets/:id/messages, same-origin. Every text
 * shown is set with textContent, never parsed as HTML. The ticket's access token is kept in
 * this origin's sessionStorage (the browser partitions it by the embedding site) until the
 * tab closes or "New ticket" is pressed. */
/* global window, document, fetch, sessionStorage, setTimeout, clearTimeout */
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var STORE = 'helpnet-widget-ticket';
  var FIELDS = ['name', 'email', 'phone', 'category', 'description'];
  var state = null; // { ticket, token, after }
  var open = window.parent === window;
  var timer = null;
  var shown = {}; // message ids already in the list

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || 'null'); } catch { return null; }
  }
  function save() {
    try { if (state) sessionStorage.setItem(STORE, JSON.stringify({ ticket: state.ticket, token: state.token })); else sessionStorage.removeItem(STORE); } catch { /* storage off: the ticket lasts as long as the page */ }
  }
  function show(el, text) {
    el.textContent = text || '';
    el.hidden = !text;
  }
  function fieldError(field, text) {
    var input = $(field === 'text' ? 'reply' : field);
    var err = $((field === 'text' ? 'reply' : field) + '-error');
    if (!input || !err) return false;
    show(err, text);
    if (text) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', err.id + (field === 'email' ? ' email-hint' : ''));
    } else {
      input.removeAttribute('aria-invalid');
      if (field === 'email') input.setAttribute('aria-describedby', 'email-hint');
      else input.removeAttribute('aria-describedby');
    }
    return true;
  }
  function call(method, path, body, headers) {
    var h = { accept: 'application/json' };
    for (var k in headers || {}) h[k] = headers[k];
    if (body) h['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined, credentials: 'omit', cache: 'no-store' }).then(function (res) {
      return res.json().then(function (json) { return { status: res.status, json: json }; }, function () { return { status: res.status, json: {} }; });
    });
  }
  function apiPath(suffix) { return '../api/widget/tickets/' + encodeURIComponent(state.ticket) + suffix; }
  function auth() { return { authorization: 'Bearer ' + state.token }; }

  // --- Filing -----------------------------------------------------------------------
  var main = $('widget');
  var wanted = main.getAttribute('data-category') || '';
  var fileKey = newKey();

  call('GET', '../api/widget/categories').then(function (res) {
    var select = $('category');
    (res.json.categories || []).forEach(function (c) {
      var option = document.createElement('option');
      option.value = c.key;
      option.textContent = c.name;
      if (c.key === wanted) option.selected = true;
      select.appendChild(option);
    });
  });

  $('file-form').addEventListener('input', function () { fileKey = newKey(); });
  $('file-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var body = {};
    FIELDS.forEach(function (f) { var v = $(f).value; if (f !== 'phone' || v.trim()) body[f] = v; fieldError(f, ''); });
    show($('file-problem'), '');
    $('file-submit').disabled = true;
    call('POST', '../api/widget/tickets', body, { 'idempotency-key': fileKey }).then(function (res) {
      $('file-submit').disabled = false;
      if ((res.status === 201 || res.status === 200) && res.json.token) {
        state = { ticket: res.json.ticket, token: res.json.token, after: 0 };
        save();
        $('file-form').reset();
        startTalk(true);
      } else if (res.status === 400 && res.json.errors) {
        var first = null;
        for (var f in res.json.errors) {
          if (fieldError(f, res.json.errors[f])) first = first || $(f);
          else show($('file-problem'), res.json.errors[f]);
        }
        if (first) first.focus();
      } else {
        show($('file-problem'), res.json.message || 'We could not send your ticket. Please try again.');
      }
    }, function () {
      $('file-submit').disabled = false;
      show($('file-problem'), 'We could not reach Helpnet. Please check your connection and try again.');
    });
  });

  // --- The conversation --------------------------------------------------------------
  var STATUS = { open: 'Waiting for an expert to take it.', dispatched: 'Waiting for an expert to take it.', booked: 'An expert is on it.', close_pending: 'Resolved: we asked you how it went.', closed: 'Closed.', cancelled: 'Cancelled.' };

  function addMessage(m) {
    var li = document.createElement('li');
    li.className = 'message from-' + (m.from === 'you' ? 'you' : m.from === 'expert' ? 'expert' : 'helpnet');
    var who = document.createElement('p');
    who.className = 'who';
    who.textContent = m.name + ' · ' + new Date(m.at).toLocaleString();
    var text = document.createElement('p');
    text.className = 'text';
    text.textContent = m.text;
    li.appendChild(who);
    li.appendChild(text);
    li.setAttribute('data-id', String(m.id));
    // In id order: a message that committed late goes where it belongs.
    var list = $('messages');
    var next = null;
    for (var i = 0; i < list.children.length && !next; i++) if (Number(list.children[i].getAttribute('data-id')) > m.id) next = list.children[i];
    list.insertBefore(li, next);
    li.scrollIntoView({ block: 'nearest' });
  }

  function poll() {
    clearTimeout(timer);
    if (!state) return;
    var asked = state;
    call('GET', apiPath('/messages' + (state.after ? '?after=' + state.after : '')), null, auth()).then(function (res) {
      if (state !== asked) return;
      if (res.status === 404) return forget();
      if (res.status === 200) {
        var status = STATUS[res.json.status] || res.json.status;
        show($('talk-status'), (res.json.expert ? 'Your expert: ' + res.json.expert + '. ' : '') + status);
        // The cursor stays behind messages that may still commit, so some come again: each id is shown once.
        (res.json.messages || []).forEach(function (m) {
          if (!shown[m.id]) { shown[m.id] = true; addMessage(m); }
        });
        if (typeof res.json.cursor === 'number' && res.json.cursor > state.after) state.after = res.json.cursor;
      }
      schedule();
    }, schedule);
  }
  function schedule() {
    clearTimeout(timer);
    if (state) timer = setTimeout(poll, open && document.visibilityState !== 'hidden' ? 4000 : 30000);
  }

  function startTalk(focus) {
    $('file').hidden = true;
    $('talk').hidden = false;
    $('ticket-id').textContent = state.ticket;
    $('messages').textContent = '';
    shown = {};
    state.after = 0;
    poll();
    if (focus) $('reply').focus();
  }
  function forget() {
    clearTimeout(timer);
    state = null;
    save();
    $('talk').hidden = true;
    $('file').hidden = false;
    fileKey = newKey();
    $('name').focus();
  }

  var replyKey = newKey();
  $('reply').addEventListener('input', function () { replyKey = newKey(); });
  $('reply-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (!state) return;
    fieldError('text', '');
    show($('talk-problem'), '');
    $('reply-submit').disabled = true;
    call('POST', apiPath('/messages'), { text: $('reply').value }, Object.assign(auth(), { 'idempotency-key': replyKey })).then(function (res) {
      $('reply-submit').disabled = false;
      if (res.status === 201 || res.status === 200) {
        $('reply').value = '';
        replyKey = newKey();
        poll();
      } else if (res.status === 400 && res.json.errors) {
        fieldError('text', res.json.errors.text || res.json.errors.body);
        $('reply').focus();
      } else {
        show($('talk-problem'), res.json.message || 'We could not send your message. Please try again.');
      }
    }, function () {
      $('reply-submit').disabled = false;
      show($('talk-problem'), 'We could not reach Helpnet. Please check your connection and try again.');
    });
  });
  $('new-ticket').addEventListener('click', forget);

  // --- Open and close, with the page that embeds the panel -----------------------------
  function askToClose() { if (window.parent !== window) window.parent.postMessage({ helpnet: 'close' }, '*'); }
  $('close').addEventListener('click', askToClose);
  $('close').hidden = window.parent === window;
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') askToClose(); });
  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || !e.data) return;
    if (e.data.helpnet === 'open') {
      open = true;
      var target = state ? $('reply') : $('name');
      target.focus();
      poll();
    } else if (e.data.helpnet === 'closed') {
      open = false;
      schedule();
    }
  });
  document.addEventListener('visibilitychange', schedule);

  state = load();
  if (state && state.ticket && state.token) startTalk(false);
  else state = null;
})();
