// The field app's outbox: visit records saved on the phone (IndexedDB, through the vendored `idb`) until the
// server has them. Each record carries the client_id made when it was saved; every attempt sends the same body,
// and the server stores a client_id once (a repeat answers 200 with the stored visit), so a record whose answer
// was lost is simply sent again: exactly once, whatever the retries. A record leaves the outbox only when the
// server confirms it (201/200 naming its client_id); one the server refuses (a subject reassigned meanwhile, a
// campaign closed, invalid input) is kept aside with the server's message, never dropped.
(function () {
  "use strict";

  var DB_NAME = "civicloop-field";
  var WAITING = "waiting";
  var ATTENTION = "attention";
  var SENT_KEPT = 200; // the most recent confirmations kept, for the visited marks and the "sent" notes
  var TIMEOUT_MS = 20000;

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB_NAME, 1, {
        upgrade: function (d) {
          // records: {client_id, user, team, subject_id, subject_label, saved_at, body, state, error, tries}
          d.createObjectStore("records", { keyPath: "client_id" });
          // sent: {client_id, user, team, subject_id, subject_label, sent_at, cases}
          d.createObjectStore("sent", { keyPath: "client_id" });
        },
      });
    }
    return dbPromise;
  }

  function byTime(a, b) {
    return a.saved_at < b.saved_at ? -1 : a.saved_at > b.saved_at ? 1 : 0;
  }

  async function save(record) {
    record.state = WAITING;
    record.error = null;
    record.tries = 0;
    await (await db()).put("records", record);
    return record;
  }

  async function records() {
    return (await (await db()).getAll("records")).sort(byTime);
  }

  async function sent() {
    return (await (await db()).getAll("sent"));
  }

  async function discard(clientId) {
    await (await db()).delete("records", clientId);
  }

  async function retry(clientId) {
    var d = await db();
    var record = await d.get("records", clientId);
    if (record) {
      record.state = WAITING;
      record.error = null;
      await d.put("records", record);
    }
  }

  function csrfToken(cookieName) {
    // The cookie holds the current token (a new login rotates it; a page kept offline may hold an old one).
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + cookieName + "=([^;]+)"));
    if (match) return decodeURIComponent(match[1]);
    var headers = document.body.getAttribute("hx-headers");
    try {
      return headers ? JSON.parse(headers)["X-CSRFToken"] : "";
    } catch (e) {
      return "";
    }
  }

  // How one attempt ended: "sent" (stored, now or before), "attention" (refused; retrying cannot help),
  // "login" / "csrf" (the session must be renewed first), "retry" (no answer, or the server could not answer).
  function outcome(status, body, clientId) {
    if ((status === 201 || status === 200) && body && body.client_id === clientId) return "sent";
    if (status === 401) return "login";
    if (status === 403 && body && body.code === "csrf_failed") return "csrf";
    if (status >= 400 && status < 500 && status !== 408 && status !== 429 && body && body.code) return "attention";
    return "retry"; // 5xx, 408/429, or an answer that is not ours (a Wi-Fi login page): try again later
  }

  async function post(url, record, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    try {
      var response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "Accept-Language": options.language,
          "X-CSRFToken": csrfToken(options.csrfCookie),
        },
        body: JSON.stringify(record.body),
        signal: controller.signal,
      });
      var body = null;
      if ((response.headers.get("Content-Type") || "").indexOf("json") !== -1) {
        try { body = await response.json(); } catch (e) { body = null; }
      }
      return { status: response.redirected ? 0 : response.status, body: body };
    } catch (e) {
      return { status: 0, body: null }; // offline, refused, timed out
    } finally {
      clearTimeout(timer);
    }
  }

  async function confirm(record, body) {
    var d = await db();
    var tx = d.transaction(["records", "sent"], "readwrite");
    tx.objectStore("records").delete(record.client_id);
    tx.objectStore("sent").put({
      client_id: record.client_id, user: record.user, team: record.team, subject_id: record.subject_id,
      subject_label: record.subject_label, sent_at: new Date().toISOString(), cases: body.cases || [],
    });
    await tx.done;
    var all = (await d.getAll("sent")).sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
    for (var i = SENT_KEPT; i < all.length; i++) await d.delete("sent", all[i].client_id);
  }

  async function setAside(record, body) {
    record.state = ATTENTION;
    record.error = { code: body.code, message: body.message, details: body.details || [] };
    await (await db()).put("records", record);
  }

  // Send the waiting records of `options.user`, oldest first. Stops at the first one that cannot be answered
  // (no network, session ended): the rest would meet the same. Returns {sent: [...], setAside: [...], stopped}.
  async function sendWaiting(options) {
    var result = { sent: [], setAside: [], stopped: null };
    var waiting = (await records()).filter(function (r) { return r.state === WAITING && r.user === options.user; });
    for (var i = 0; i < waiting.length; i++) {
      var record = waiting[i];
      record.tries = (record.tries || 0) + 1;
      var answer = await post(options.url, record, options);
      var how = outcome(answer.status, answer.body, record.client_id);
      if (how === "sent") {
        await confirm(record, answer.body);
        result.sent.push({ record: record, answer: answer.body });
      } else if (how === "attention") {
        await setAside(record, answer.body);
        result.setAside.push({ record: record, answer: answer.body });
      } else {
        await (await db()).put("records", record); // the count of tries, for the list
        result.stopped = how;
        break;
      }
    }
    return result;
  }

  // One sync at a time: in this page (a promise) and across the app's open tabs (a Web Lock, where the browser
  // has them). A second tab would only send the same client_ids again, which the server answers 200.
  var running = null;
  function sync(options) {
    if (running) return running;
    var run = function () { return sendWaiting(options); };
    running = (navigator.locks ? navigator.locks.request("civicloop-field-sync", run) : run())
      .finally(function () { running = null; });
    return running;
  }

  window.civicloopOutbox = {
    WAITING: WAITING, ATTENTION: ATTENTION,
    save: save, records: records, sent: sent, discard: discard, retry: retry, sync: sync,
    newClientId: function () { return crypto.randomUUID(); },
  };
})();
