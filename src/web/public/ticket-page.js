/*
 * The portal's ticket page, live: polls the ticket's conversation
 * (GET /tickets/:id/messages.json?after=<cursor>) every 4 seconds while the page is visible,
 * appends new messages, updates the status, the expert's alias and the survey link, and sends
 * the reply box with fetch. Without this script the page still works: it is rendered with the
 * conversation, and the reply box is a plain form.
 */
/* global window, document, fetch, setInterval, clearInterval, URLSearchParams, FormData */
(function () {
  'use strict';
  var POLL_MS = 4000;
  var list = document.getElementById('messages');
  if (!list || !window.fetch) return;
  var ticket = list.getAttribute('data-ticket');
  var cursor = Number(list.getAttribute('data-cursor')) || 0;
  var shown = {};
  Array.prototype.forEach.call(list.querySelectorAll('li[data-id]'), function (li) {
    shown[li.getAttribute('data-id')] = true;
  });
  var byId = function (id) {
    return document.getElementById(id);
  };
  var timer = null;
  var polling = false;

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  /** Adds a message unless it is shown already (a poll may send a message again). */
  function append(m) {
    var key = String(m.id);
    if (shown[key]) return;
    shown[key] = true;
    var li = document.createElement('li');
    li.className = 'message from-' + (m.from === 'you' || m.from === 'expert' ? m.from : 'helpnet');
    li.setAttribute('data-id', key);
    var meta = text('p', 'message-meta', '');
    meta.appendChild(text('span', 'message-name', m.name));
    meta.appendChild(document.createTextNode(' '));
    var time = text('time', '', m.atText);
    time.setAttribute('datetime', m.at);
    meta.appendChild(time);
    li.appendChild(meta);
    li.appendChild(text('p', 'message-text', m.text));
    // In id order, so a message that committed late still lands in its place.
    var next = null;
    Array.prototype.some.call(list.children, function (other) {
      if (Number(other.getAttribute('data-id')) > m.id) {
        next = other;
        return true;
      }
      return false;
    });
    list.insertBefore(li, next);
    var none = byId('no-messages');
    if (none) none.hidden = true;
  }

  function update(data) {
    (data.messages || []).forEach(append);
    if (typeof data.cursor === 'number' && data.cursor > cursor) cursor = data.cursor;
    var status = byId('ticket-status');
    if (status && status.textContent !== data.statusText) {
      status.textContent = data.statusText;
      status.className = 'status status-' + data.status;
    }
    var expert = byId('ticket-expert');
    if (expert && data.expert && expert.textContent !== data.expert) expert.textContent = data.expert;
    var survey = byId('survey');
    if (survey && data.surveyHref) {
      byId('survey-link').setAttribute('href', data.surveyHref);
      survey.hidden = false;
    } else if (survey) {
      survey.hidden = true;
    }
    var withdraw = byId('withdraw');
    if (withdraw && !data.canCancel) withdraw.hidden = true;
    var form = byId('reply-form');
    if (!data.canReply) {
      if (form) form.hidden = true;
      var closed = byId('closed-note');
      if (closed) closed.hidden = false;
    }
  }

  function poll() {
    if (polling || document.hidden) return;
    polling = true;
    fetch('/tickets/' + encodeURIComponent(ticket) + '/messages.json?after=' + cursor, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 401) {
          stop();
          return null;
        }
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (data) update(data);
      })
      .catch(function () {
        /* Offline for a moment: the next poll tries again. */
      })
      .then(function () {
        polling = false;
      });
  }

  function start() {
    if (timer === null) timer = setInterval(poll, POLL_MS);
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      stop();
    } else {
      poll();
      start();
    }
  });
  if (!document.hidden) start();

  var form = byId('reply-form');
  if (!form) return;
  var box = byId('reply-text');
  var button = byId('reply-submit');
  var said = byId('reply-status');
  var errorBox = byId('reply-text-error');
  var errorText = byId('reply-text-error-text');

  function showError(message) {
    errorText.textContent = message;
    errorBox.hidden = !message;
    byId('reply-field').className = message ? 'field invalid' : 'field';
    if (message) {
      box.setAttribute('aria-invalid', 'true');
      box.setAttribute('aria-describedby', 'reply-text-hint reply-text-error');
    } else {
      box.removeAttribute('aria-invalid');
      box.setAttribute('aria-describedby', 'reply-text-hint');
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    said.textContent = 'Sending…';
    var body = new URLSearchParams(new FormData(form)).toString();
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body,
    })
      .then(function (res) {
        var json = (res.headers.get('content-type') || '').indexOf('application/json') === 0;
        if (!json) {
          // Not an answer for the script (the form expired, say): the plain form shows the page that explains.
          said.textContent = '';
          form.submit();
          return null;
        }
        return res.json().then(function (data) {
          if (res.ok && data.message) {
            append(data.message);
            box.value = '';
            form.elements.namedItem('submission').value = data.submission;
            showError('');
            said.textContent = 'Sent.';
          } else {
            showError((data.errors && data.errors.text) || 'Your message could not be sent. Please try again.');
            said.textContent = '';
            box.focus();
          }
        });
      })
      .catch(function () {
        said.textContent = '';
        showError('Your message could not be sent: the connection seems down. Please try again.');
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
