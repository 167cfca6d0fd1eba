// The offline field app (visits/field.html; visits/README.md "Offline"): the team's list in walk order and the
// visit form, drawn from the field-list JSON; a saved record goes to the outbox (outbox.js) and is sent when the
// connection allows — on load, when the browser comes online, from the 立即同步 button, and every half minute
// while something waits. The service worker (sw.js) keeps this page, its files and the lists for offline use.
// Every string shown comes translated from the server (#field-strings); data is written as text, never as HTML.
(function () {
  "use strict";

  var app = document.getElementById("field-app");
  var configNode = document.getElementById("field-config");
  if (!app || !configNode) return;
  var config = JSON.parse(configNode.textContent);
  var T = JSON.parse(document.getElementById("field-strings").textContent);
  var outbox = window.civicloopOutbox;
  var LANG = document.documentElement.lang || "zh-hans";
  var RETRY_MS = 30000;
  var TEAM_KEY = "civicloop-field-team";

  function $(id) { return document.getElementById(id); }

  function t(key, params) {
    return T[key].replace(/%\((\w+)\)s/g, function (m, name) {
      return params && params[name] != null ? String(params[name]) : "";
    });
  }

  // A DOM element: el("div", {class: "x", dataset: {id: 1}}, [child, "text"]).
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value == null || value === false) return;
      if (name === "dataset") Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
      else if (name === "text") node.textContent = value;
      else if (name === "checked" || name === "disabled" || name === "hidden") node[name] = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child != null && child !== "") node.append(child);
    });
    return node;
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function localTime(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" +
      pad(d.getMinutes());
  }

  var state = { team: null, list: null, fromCache: false, query: "", subject: null, records: [], sent: [] };

  // ---- network and offline readiness -------------------------------------------------------------------------

  function showNetwork() {
    var badge = $("net-status");
    badge.textContent = navigator.onLine ? t("online") : t("offline");
    badge.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
    app.dataset.online = navigator.onLine ? "true" : "false";
  }

  function listUrl(teamId) { return config.field_list_url.replace("{id}", String(teamId)); }

  function readList(teamId) {
    return fetch(listUrl(teamId), {
      credentials: "same-origin", headers: { "Accept": "application/json", "Accept-Language": LANG },
    });
  }

  async function makeReadyOffline() {
    var badge = $("offline-status");
    if (!("serviceWorker" in navigator)) {
      badge.textContent = t("offline_unsupported");
      return;
    }
    badge.textContent = t("offline_not_ready");
    try {
      await navigator.serviceWorker.register(config.sw_url, { scope: config.sw_scope });
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise(function (resolve) {
          navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
        });
      }
      // Lists read before the worker took over did not pass through it: read every team's again, so each is
      // kept for the stairwell (a list shown from the cache stays as it is).
      await Promise.all(config.teams.map(function (team) { return readList(team.id).catch(function () { return null; }); }));
      badge.textContent = t("offline_ready");
      badge.className = "badge text-bg-info";
      app.dataset.offlineReady = "true";
    } catch (e) {
      badge.textContent = t("offline_not_ready");
    }
  }

  // ---- the team's list ---------------------------------------------------------------------------------------

  function setMeta(text, link) {
    var meta = $("list-meta");
    meta.replaceChildren(text);
    if (link) meta.append(" ", el("a", { href: config.login_url, text: t("login_again") }));
  }

  async function loadList(quiet) {
    var teamId = state.team;
    var response;
    try {
      response = await readList(teamId);
    } catch (e) {
      if (!quiet && !state.list) setMeta(t("list_failed"));
      app.dataset.state = state.list ? "ready" : "failed";
      return;
    }
    if (teamId !== state.team) return; // another team was chosen meanwhile
    if (response.status === 401) {
      setMeta(t("list_unauthorized"), true);
      app.dataset.state = state.list ? "ready" : "failed";
      return;
    }
    if (!response.ok) {
      if (!state.list) setMeta(t("list_failed"));
      app.dataset.state = state.list ? "ready" : "failed";
      return;
    }
    state.list = await response.json();
    state.fromCache = response.headers.get("X-Civicloop-Cache") === "hit";
    var when = localTime(state.list.generated_at);
    setMeta(state.fromCache ? t("list_cached", { time: when }) : t("list_updated", { time: when }));
    $("list-meta").classList.toggle("text-warning-emphasis", state.fromCache);
    renderList();
    app.dataset.state = "ready";
  }

  // What the phone knows beyond the list: records waiting to be sent, and records sent after the list was made.
  function visitState(subject) {
    var waiting = state.records.some(function (r) {
      return r.subject_id === subject.id && r.state === outbox.WAITING;
    });
    var generated = state.list.generated_at ? Date.parse(state.list.generated_at) : 0;
    var sentSince = state.sent.filter(function (s) {
      return s.subject_id === subject.id && s.team === state.team && Date.parse(s.sent_at) > generated;
    }).length;
    var count = (subject.visits_count || 0) + sentSince;
    return { key: waiting ? "queued" : count > 0 ? "visited" : "none", count: count };
  }

  function subjectButton(subject, visit) {
    var status;
    if (visit.key === "queued") {
      status = el("span", { class: "badge text-bg-warning", text: t("queued") });
    } else if (visit.key === "visited") {
      status = el("span", { class: "text-success" }, [
        "✓ " + t("visited_times", { n: visit.count }),
        subject.last_visited_on ? " · " + t("last_visited", { date: subject.last_visited_on }) : "",
      ]);
    } else {
      status = el("span", { class: "text-muted", text: t("not_visited") });
    }
    var key = /_key$/.test(subject.group || "");
    return el("button", {
      type: "button", class: "list-group-item list-group-item-action subject",
      dataset: { subjectId: subject.id, visitState: visit.key },
    }, [
      el("div", { class: "d-flex align-items-start gap-2" }, [
        subject.room ? el("span", { class: "subject-room", text: subject.room }) : null,
        el("span", { class: "subject-label me-auto text-break", text: subject.label }),
        el("span", { class: "badge " + (key ? "text-bg-danger" : "text-bg-light border"), text: subject.group_label }),
      ]),
      el("div", { class: "small" }, [status]),
    ]);
  }

  function matches(subject, query) {
    if (!query) return true;
    return [subject.label, subject.community, subject.compound, subject.building, subject.room]
      .some(function (v) { return v && String(v).toLowerCase().indexOf(query) !== -1; });
  }

  function renderList() {
    if (!state.list) return;
    var query = state.query.trim().toLowerCase();
    var box = $("subjects");
    var nodes = [];
    var community, compound, building, group = null;
    var shown = 0, visited = 0;
    state.list.subjects.forEach(function (subject) {
      var visit = visitState(subject);
      if (visit.key !== "none") visited += 1;
      if (!matches(subject, query)) return;
      shown += 1;
      var c = subject.community || t("no_community");
      if (c !== community) {
        nodes.push(el("h3", { class: "h6 group-community", text: c }));
        community = c;
        compound = building = undefined;
        group = null;
      }
      if (subject.compound !== compound) {
        if (subject.compound) nodes.push(el("div", { class: "group-compound fw-semibold", text: subject.compound }));
        compound = subject.compound;
        building = undefined;
        group = null;
      }
      if (subject.building !== building) {
        if (subject.building) nodes.push(el("div", { class: "group-building", text: subject.building }));
        building = subject.building;
        group = null;
      }
      if (!group) {
        group = el("div", { class: "list-group mb-2" });
        nodes.push(group);
      }
      group.append(subjectButton(subject, visit));
    });
    if (!shown) nodes.push(el("p", { class: "text-muted", text: t("no_subjects") }));
    box.replaceChildren.apply(box, nodes);
    $("subjects-count").textContent = t("subjects_count", { n: state.list.subjects.length, visited: visited });
  }

  // ---- the visit form ----------------------------------------------------------------------------------------

  function choice(name, value, label, checked) {
    var id = "f-" + name + "-" + value;
    return [
      el("input", { type: "radio", class: "btn-check", name: name, id: id, value: value, autocomplete: "off", checked: checked }),
      el("label", { class: "btn btn-outline-primary", for: id, text: label }),
    ];
  }

  function followUp(kase) {
    var name = "fu-" + kase.id;
    var options = [el("option", { value: "", text: t("not_answered") })].concat(
      state.list.satisfactions.map(function (s) { return el("option", { value: s.value, text: s.label }); }));
    var meta = kase.resolved_on
      ? t("follow_up_resolved", { code: kase.tracking_code, state: kase.state_label, date: kase.resolved_on })
      : t("follow_up_open", { code: kase.tracking_code, state: kase.state_label });
    return el("div", { class: "follow-up", dataset: { caseId: kase.id } }, [
      el("label", { class: "form-label mb-1", for: name, text: t("follow_up_question", { summary: kase.summary }) }),
      el("div", { class: "small text-muted mb-1" }, [meta, kase.awaiting_rating ? " · " + t("follow_up_rating") : ""]),
      el("select", { class: "form-select mb-1", id: name, name: name }, options),
      el("input", { type: "text", class: "form-control", name: name + "-note", maxlength: "200",
                    placeholder: t("note_placeholder"), "aria-label": kase.tracking_code }),
    ]);
  }

  function addProblem(text) {
    var box = $("f-problems");
    var n = box.children.length + 1;
    var id = "f-problem-" + n + "-" + Date.now();
    var remove = el("button", { type: "button", class: "btn btn-sm btn-outline-danger", text: t("remove_problem") });
    remove.addEventListener("click", function () {
      row.remove();
      Array.prototype.forEach.call(box.querySelectorAll("[data-problem-title]"), function (label, i) {
        label.textContent = t("problem_n", { n: i + 1 });
      });
    });
    var row = el("div", { class: "mb-2 problem" }, [
      el("div", { class: "d-flex align-items-center mb-1" }, [
        el("label", { class: "form-label mb-0 me-auto", for: id, dataset: { problemTitle: "" }, text: t("problem_n", { n: n }) }),
        remove,
      ]),
      el("textarea", { class: "form-control", id: id, name: "problem", rows: "2", maxlength: "2000" }),
    ]);
    if (text) row.querySelector("textarea").value = text;
    box.append(row);
    return row.querySelector("textarea");
  }

  function openForm(subject) {
    var list = state.list;
    state.subject = subject;
    $("form-subject").textContent = subject.label;
    var visit = visitState(subject);
    $("form-subject-meta").textContent = [subject.group_label,
      visit.count ? t("visited_times", { n: visit.count }) : t("not_visited")].join(" · ");

    var method = subject.kind === "enterprise" ? "enterprise" : "door";
    $("f-method").replaceChildren.apply($("f-method"), [].concat.apply([], list.methods.map(function (m) {
      return choice("method", m.value, m.label, m.value === method);
    })));
    var date = $("f-date");
    date.value = today();
    date.max = today();
    $("f-members").replaceChildren.apply($("f-members"), list.members.map(function (m) {
      var id = "f-member-" + m.id;
      return el("div", { class: "form-check" }, [
        el("input", { type: "checkbox", class: "form-check-input", id: id, name: "member", value: m.id, checked: true }),
        el("label", { class: "form-check-label", for: id, text: m.name + " · " + m.role_label }),
      ]);
    }));
    $("f-summary").value = "";
    $("f-satisfaction").replaceChildren.apply($("f-satisfaction"), [].concat.apply([], list.satisfactions.map(function (s) {
      return choice("satisfaction", s.value, s.label, false);
    })));
    var topic = $("f-topic");
    topic.replaceChildren(topic.options[0]);
    list.topics.forEach(function (tp) { topic.append(el("option", { value: tp.id, text: tp.title })); });
    topic.value = "";
    $("f-topic-row").hidden = !list.topics.length;
    var earlier = subject.earlier_cases || [];
    $("f-follow-ups").replaceChildren.apply($("f-follow-ups"), earlier.map(followUp));
    $("f-follow-ups-row").hidden = !earlier.length;
    $("f-problems").replaceChildren();
    $("form-error").hidden = true;
    $("save-visit").disabled = false;

    $("list-view").hidden = true;
    $("form-view").hidden = false;
    window.scrollTo(0, 0);
  }

  function showList() {
    state.subject = null;
    $("form-view").hidden = true;
    $("list-view").hidden = false;
  }

  function labelOf(node) {
    var legend = node.closest("fieldset") && node.closest("fieldset").querySelector("legend");
    var label = document.querySelector("label[for='" + node.id + "']");
    return ((label || legend || node).firstChild.textContent || "").trim();
  }

  // The VisitIn body (POST /api/visits/visits), or null with the missing fields named.
  function collect() {
    var form = $("visit-form");
    var method = form.querySelector("input[name=method]:checked");
    var satisfaction = form.querySelector("input[name=satisfaction]:checked");
    var summary = $("f-summary").value.trim();
    var date = $("f-date").value;
    var missing = [];
    if (!method) missing.push(labelOf($("f-method")));
    if (!date) missing.push(labelOf($("f-date")));
    if (!summary) missing.push(labelOf($("f-summary")));
    if (!satisfaction) missing.push(labelOf($("f-satisfaction")));
    if (missing.length) {
      $("form-error").textContent = t("missing", { fields: missing.join(t("separator")) });
      $("form-error").hidden = false;
      $("form-error").scrollIntoView({ block: "center" });
      return null;
    }
    var topic = $("f-topic").value;
    return {
      subject_id: state.subject.id,
      visited_on: date,
      method: method.value,
      summary: summary,
      satisfaction: satisfaction.value,
      member_ids: Array.prototype.map.call(form.querySelectorAll("input[name=member]:checked"),
        function (box) { return Number(box.value); }),
      topic_id: topic ? Number(topic) : null,
      problems: Array.prototype.map.call(form.querySelectorAll("textarea[name=problem]"), function (area) {
        return { description: area.value.trim() };
      }).filter(function (p) { return p.description; }),
      follow_ups: Array.prototype.map.call(form.querySelectorAll(".follow-up"), function (box) {
        return {
          case_id: Number(box.dataset.caseId),
          satisfaction: box.querySelector("select").value,
          note: box.querySelector("input").value.trim(),
        };
      }).filter(function (f) { return f.satisfaction; }),
    };
  }

  async function saveVisit(event) {
    event.preventDefault();
    var button = $("save-visit");
    if (button.disabled) return;
    var body = collect();
    if (!body) return;
    button.disabled = true; // one tap, one record: a second record would carry a second client_id
    var subject = state.subject;
    var record = {
      client_id: outbox.newClientId(), user: config.user, team: state.team, subject_id: subject.id,
      subject_label: subject.label, saved_at: new Date().toISOString(), body: body,
    };
    body.client_id = record.client_id;
    try {
      await outbox.save(record);
    } catch (e) {
      button.disabled = false;
      throw e;
    }
    showList();
    await refreshOutbox();
    say([t(navigator.onLine ? "saved_sending" : "saved_offline")]);
    if (navigator.onLine) syncNow();
  }

  // ---- the outbox --------------------------------------------------------------------------------------------

  function say(lines, login) {
    var box = $("sync-message");
    box.replaceChildren.apply(box, lines.map(function (line) { return el("div", { text: line }); }));
    if (login) box.append(el("a", { class: "btn btn-sm btn-outline-primary mt-1", href: config.login_url, text: t("login_again") }));
  }

  function recordLine(record) {
    var b = record.body;
    var parts = [b.visited_on];
    if (b.problems.length) parts.push(t("problems_count", { n: b.problems.length }));
    parts.push(t("saved_at", { time: localTime(record.saved_at) }));
    return [el("div", { class: "fw-semibold text-break", text: record.subject_label }),
            el("div", { class: "text-muted", text: parts.join(" · ") })];
  }

  async function refreshOutbox() {
    var all = await outbox.records();
    var mine = all.filter(function (r) { return r.user === config.user; });
    var waiting = mine.filter(function (r) { return r.state === outbox.WAITING; });
    var attention = mine.filter(function (r) { return r.state === outbox.ATTENTION; });
    state.records = mine;
    state.sent = await outbox.sent();

    var count = $("outbox-count");
    count.textContent = waiting.length ? t("waiting", { n: waiting.length }) : t("nothing_waiting");
    count.dataset.count = String(waiting.length);
    $("outbox-list").replaceChildren.apply($("outbox-list"), waiting.map(function (r) {
      return el("li", { dataset: { clientId: r.client_id } }, recordLine(r));
    }));

    $("attention").hidden = !attention.length;
    $("attention-count").textContent = t("attention", { n: attention.length });
    $("attention-count").dataset.count = String(attention.length);
    $("attention-list").replaceChildren.apply($("attention-list"), attention.map(function (r) {
      var retry = el("button", { type: "button", class: "btn btn-sm btn-outline-primary me-2", text: t("retry") });
      retry.addEventListener("click", async function () {
        await outbox.retry(r.client_id);
        await refreshOutbox();
        syncNow();
      });
      var discard = el("button", { type: "button", class: "btn btn-sm btn-outline-danger", text: t("discard") });
      discard.addEventListener("click", async function () {
        if (!window.confirm(t("discard_confirm"))) return;
        await outbox.discard(r.client_id);
        await refreshOutbox();
      });
      return el("li", { dataset: { clientId: r.client_id, code: r.error ? r.error.code : "" } }, recordLine(r).concat([
        el("div", { class: "text-danger", dataset: { serverMessage: "" }, text: r.error ? r.error.message : "" }),
        r.error && r.error.details && r.error.details.length ? el("ul", { class: "text-danger mb-0" },
          r.error.details.map(function (d) {
            return el("li", { text: d.field ? t("detail", { field: d.field, reason: d.reason }) : d.reason });
          })) : null,
        el("div", { class: "mt-1" }, [retry, discard]),
      ]));
    }));

    var others = all.length - mine.length;
    $("other-account").hidden = !others;
    $("other-account").textContent = others ? t("other_account", { n: others }) : "";
    renderList();
    return waiting.length;
  }

  var syncing = false;
  async function syncNow() {
    if (syncing) return;
    syncing = true;
    app.dataset.syncing = "true";
    $("sync-now").disabled = true;
    say([t("syncing")]);
    try {
      var result = await outbox.sync({ user: config.user, url: config.visits_url, language: LANG,
                                       csrfCookie: config.csrf_cookie });
      var lines = result.sent.map(function (s) {
        var codes = (s.answer.cases || []).map(function (c) { return c.tracking_code; });
        return codes.length ? t("sent_cases", { label: s.record.subject_label, codes: codes.join(t("separator")) })
          : t("sent_ok", { label: s.record.subject_label });
      });
      result.setAside.forEach(function (s) { lines.push(s.answer.message); }); // it names the subject
      var stopped = { retry: navigator.onLine ? "sync_server" : "sync_offline", login: "sync_login", csrf: "sync_csrf" };
      if (result.stopped) lines.push(t(stopped[result.stopped]));
      await refreshOutbox();
      say(lines, result.stopped === "login");
      if (result.sent.length) loadList(true); // the server's counts now hold what was sent
    } finally {
      syncing = false;
      app.dataset.syncing = "false";
      $("sync-now").disabled = false;
    }
  }

  // ---- start -------------------------------------------------------------------------------------------------

  showNetwork();
  window.addEventListener("online", function () { showNetwork(); syncNow(); loadList(true); });
  window.addEventListener("offline", showNetwork);
  if (!config.teams.length) return;

  var chosen = Number(localStorage.getItem(TEAM_KEY));
  state.team = config.teams.some(function (tm) { return tm.id === chosen; }) ? chosen : config.teams[0].id;
  var select = $("team-select");
  if (select) {
    select.value = String(state.team);
    select.addEventListener("change", function () {
      state.team = Number(select.value);
      localStorage.setItem(TEAM_KEY, String(state.team));
      state.list = null;
      $("subjects").replaceChildren();
      showList();
      loadList(false);
    });
  }
  $("search").addEventListener("input", function (e) { state.query = e.target.value; renderList(); });
  $("subjects").addEventListener("click", function (e) {
    var button = e.target.closest("button.subject");
    if (!button || !state.list) return;
    var id = Number(button.dataset.subjectId);
    var subject = state.list.subjects.find(function (s) { return s.id === id; });
    if (subject) openForm(subject);
  });
  $("back-to-list").addEventListener("click", showList);
  $("add-problem").addEventListener("click", function () { addProblem("").focus(); });
  $("visit-form").addEventListener("submit", saveVisit);
  $("sync-now").addEventListener("click", syncNow);

  (async function () {
    await loadList(false);
    var waiting = await refreshOutbox();
    if (waiting && navigator.onLine) syncNow();
    makeReadyOffline();
    setInterval(function () {
      if (navigator.onLine && !syncing && state.records.some(function (r) { return r.state === outbox.WAITING; })) syncNow();
    }, RETRY_MS);
  })();
})();
