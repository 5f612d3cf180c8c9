// The support leads' page: plain JavaScript over the host's JSON API, no build step.
'use strict';

const $ = (selector) => document.querySelector(selector);
const tokenInput = $('#token');
tokenInput.value = sessionStorage.getItem('slapolicy-token') || '';
tokenInput.addEventListener('change', () => { sessionStorage.setItem('slapolicy-token', tokenInput.value); refresh(); });

// The scheduler's dashboard is a page of its own: with a token typed in, it is shown to the dashboard as a session
// cookie first (actions on the dashboard need it; without one it is read-only, and only on this machine).
$('#scheduler-link').addEventListener('click', async (event) => {
  if (!tokenInput.value) return;
  event.preventDefault();
  await fetch('/api/dashboard-session', { method: 'POST', headers: { Authorization: `Bearer ${tokenInput.value}` } }).catch(() => {});
  window.location.href = '/hangfire';
});

async function api(path) {
  const headers = tokenInput.value ? { Authorization: `Bearer ${tokenInput.value}` } : {};
  const response = await fetch(path, { headers });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || `${response.status} ${response.statusText}`);
  }
  return response.json();
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value; else if (key.startsWith('on')) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
  return node;
}

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const when = (text) => text ? new Date(text).toISOString().replace('T', ' ').slice(0, 16) + 'Z' : '-';
const number = (value, digits = 1) => Number(value).toFixed(digits).replace(/\.0+$/, '');

// Where an explanation step comes from, as `file:line:col`; null when it has no location.
const stepSource = (step) => step.location && step.location.line > 0 ? `${step.location.file}:${step.location.line}:${step.location.column}` : null;

let shownCase = null;

async function showCase(id) {
  shownCase = id;
  $('#case-id').value = id;
  $('#case-error').hidden = true;
  try {
    // The id goes in the query, encoded: any id works there, `INC/2026/0001`, `a%2Fb`, `.` and `..` included.
    const trace = await api(`/api/why?case=${encodeURIComponent(id)}`);
    renderCase(trace);
    // One form in the address, `#case=ID`: a short `#ID` is rewritten in place; another case is a new history entry,
    // so the back button returns to the previous case (pushState fires no hashchange, so nothing loads twice).
    const address = `#case=${encodeURIComponent(id)}`;
    if (location.hash !== address) {
      if (caseFromHash() === id) history.replaceState(null, '', address); else history.pushState(null, '', address);
    }
  } catch (error) {
    $('#case-view').hidden = true;
    $('#case-error').textContent = error.message;
    $('#case-error').hidden = false;
  }
}

function renderCase(trace) {
  const c = trace.case;
  $('#case-summary').replaceChildren(
    el('p', {}, el('strong', {}, c.id), ` ${c.customer} / ${c.tier} / ${c.region} / ${c.service}, severity ${c.severity}; opened ${when(c.openedAt)}`,
      c.firstResponseAt ? `, first response ${when(c.firstResponseAt)}` : '', c.resolvedAt ? `, resolved ${when(c.resolvedAt)}` : ', not resolved'));
  drawTimeline(trace);
  const list = $('#explanation');
  list.replaceChildren();
  if (trace.decisions.length === 0) list.append(el('p', {}, 'No decisions yet: the nightly run has not evaluated this case.'));
  for (const { decision: d } of trace.decisions) {
    const source = d.policyFile ? `${d.policyFile}:${d.policyLine}` : '';
    list.append(el('div', { class: `decision ${d.status}` },
      el('div', {}, el('strong', {}, d.target || '(no target)'), ' ', el('span', { class: `badge ${d.status}` }, d.status),
        ` ${number(d.percentUsed)}% used, escalation level ${d.escalationLevel}`),
      el('div', {}, `due ${when(d.dueAt)}; elapsed ${number(d.elapsedMinutes)} min, paused ${number(d.pausedMinutes)} min; as of ${when(d.asOf)}`),
      el('div', {}, `policy ${d.policy || 'none'}@${d.policyVersion || '-'}`, el('span', { class: 'where' }, source), d.ruleName ? ` rule ${d.ruleName}` : ''),
      el('ol', { class: 'steps' }, ...d.explanation.map((s) => el('li', { class: `step ${s.kind}` },
        el('span', { class: 'kind' }, s.kind), s.at ? `${when(s.at)} ` : '', s.text,
        stepSource(s) ? el('span', { class: 'where' }, stepSource(s)) : '')))));
  }
  if (trace.escalations.length > 0) {
    list.append(el('div', {}, el('strong', {}, 'Escalation history'),
      el('ul', {}, ...trace.escalations.map((e) => el('li', {}, `level ${e.level} first reached ${when(e.firstReachedAt)} (run ${e.runId})`)))));
  }
  $('#case-view').hidden = false;
}

// Timeline: status segments from opening to the stop or asOf, with the engine's own explanation steps drawn on it:
// pauses (steps of kind `pause`) shaded, clock stops (`stop`), escalation crossings (`escalation`, at their `at`),
// each target's due time and the evaluation time (asOf).
function drawTimeline(trace) {
  const c = trace.case;
  const decisions = trace.decisions.map((x) => x.decision);
  const asOf = decisions.length ? decisions[0].asOf : null;
  const marks = [{ at: c.openedAt, label: 'opened', kind: 'open' }];
  const seen = new Set();
  const mark = (m) => { const key = `${m.kind}|${Date.parse(m.at)}|${m.label}`; if (!seen.has(key)) { seen.add(key); marks.push(m); } };
  for (const d of decisions) {
    for (const s of d.explanation) {
      if (!s.at) continue;
      if (s.kind === 'stop' && !/not stopped/.test(s.text)) mark({ at: s.at, label: `stop ${d.target}`, kind: 'stop' });
      if (s.kind === 'escalation') {
        const level = /level (\d+)/.exec(s.text);
        mark({ at: s.at, label: level ? `escalation L${level[1]}` : 'notify', kind: level ? 'escalation' : 'notify' });
      }
    }
    if (d.dueAt) mark({ at: d.dueAt, label: `due ${d.target}`, kind: 'due' });
  }
  if (asOf) marks.push({ at: asOf, label: 'asOf', kind: 'asof' });
  const pauseStarts = new Set(decisions.flatMap((d) => d.explanation).filter((s) => s.kind === 'pause' && s.at).map((s) => Date.parse(s.at)));
  const times = marks.map((m) => Date.parse(m.at)).concat(c.events.map((e) => Date.parse(e.at)));
  const start = Math.min(...times), end = Math.max(...times, start + 60000);
  const width = 800, left = 20, right = 20, axis = 150;
  const x = (t) => left + (Date.parse(t) - start) / (end - start) * (width - left - right);
  const root = $('#timeline');
  root.setAttribute('viewBox', `0 0 ${width} 230`);
  root.replaceChildren(svg('line', { x1: left, y1: axis, x2: width - right, y2: axis, stroke: '#8a94a6' }));
  const stopAt = c.resolvedAt || asOf || new Date(end).toISOString();
  const segments = [{ at: c.openedAt, status: 'opened' }, ...c.events.filter((e) => Date.parse(e.at) > Date.parse(c.openedAt))];
  segments.forEach((e, i) => {
    const next = i + 1 < segments.length ? segments[i + 1].at : stopAt;
    const paused = pauseStarts.has(Date.parse(e.at));
    root.append(svg('rect', { x: x(e.at), y: axis - 14, width: Math.max(1, x(next) - x(e.at)), height: 28,
      fill: paused ? '#c9ced6' : '#b9d3f5', class: paused ? 'pause' : 'segment' }, undefined));
    root.append(svg('text', { x: x(e.at) + 2, y: axis + 28, 'font-size': 10, fill: '#5f6b7a' }, e.status));
  });
  const colors = { open: '#1d2430', stop: '#2e7d32', escalation: '#c62828', notify: '#ad5f00', due: '#ef6c00', asof: '#6a1b9a' };
  marks.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).forEach((m, i) => {
    const px = x(m.at), row = 14 + (i % 8) * 15;
    root.append(svg('line', { x1: px, y1: row + 3, x2: px, y2: axis + 16, stroke: colors[m.kind], 'stroke-dasharray': m.kind === 'due' ? '4 3' : '' }));
    root.append(svg('text', { x: Math.min(px + 3, width - 130), y: row, 'font-size': 11, fill: colors[m.kind], class: `mark ${m.kind}` }, `${m.label} ${when(m.at).slice(5)}`));
  });
  $('#timeline-legend').textContent = 'blue: clock counting · grey: paused (policy pauseOn) · red: escalation crossings · dashed: due · purple: evaluation time (asOf)';
}

// Service credits of one month: one row per assessment (or only those owing), each expandable to the engine's explanation.
async function refreshCredits() {
  const month = $('#credit-month').value;
  const customer = $('#credit-customer').value.trim();
  const owed = !$('#credit-all').checked;
  const query = new URLSearchParams();
  if (month) query.set('month', month);
  if (customer) query.set('customer', customer);
  if (owed) query.set('owed', 'true');
  const credits = await api(`/api/credits?${query}`);
  const body = $('#credits tbody');
  body.replaceChildren();
  for (const { credit: c, asOf, runId } of credits) {
    const measured = c.measured === null || c.measured === undefined ? '-'
      : c.kind === 'availability' || c.kind === 'attainment' ? `${number(c.measured, 3)}%` : number(c.measured, 3);
    const amount = `${c.currency} ${Number(c.amount).toFixed(2)}`.trim();
    const row = el('tr', { class: `link credit ${c.kind}${c.amount > 0 ? ' owed' : ''}` },
      ...[c.period, c.customer, c.kind === 'customer-total' ? `total (${c.policyId})` : `${c.kind} ${c.objective}`,
        c.service || '-', c.region || '-', measured, c.target, c.tier || '-', amount].map((value) => el('td', {}, value)));
    const detail = el('tr', { class: 'credit-explanation', hidden: '' },
      el('td', { colspan: 9 },
        el('ol', { class: 'steps' }, ...c.explanation.map((s) => el('li', { class: `step ${s.kind}` },
          el('span', { class: 'kind' }, s.kind), s.text, stepSource(s) ? el('span', { class: 'where' }, stepSource(s)) : ''))),
        el('div', { class: 'where' }, `policy ${c.policyId}${c.policyVersion ? '@' + c.policyVersion : ''}; as of ${when(asOf)}, run ${runId}`)));
    row.addEventListener('click', () => { detail.hidden = !detail.hidden; });
    body.append(row, detail);
  }
  if (credits.length === 0) body.append(el('tr', {}, el('td', { colspan: 9 }, owed ? 'no credit owed' : 'none')));
}

function fillTable(selector, rows, cells) {
  const body = $(`${selector} tbody`);
  body.replaceChildren(...rows.map((row) => {
    const tr = el('tr', row.caseId ? { class: 'link', onclick: () => showCase(row.caseId) } : {}, ...cells(row).map((value) => el('td', {}, value)));
    return tr;
  }));
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 10 }, 'none')));
}

async function refresh() {
  try {
    const policy = await api('/api/policies');
    $('#policy-status').textContent = `policies: ${policy.ready ? policy.versions.join(', ') || 'loaded' : policy.message}`
      + (policy.lastLoadFailed ? ` (the last edit was rejected: ${policy.diagnostics.length} problems)` : '');
    $('#policy-status').classList.toggle('bad', !policy.ready || policy.lastLoadFailed);
    $('#policy-problems').hidden = !policy.lastLoadFailed;
    $('#policy-problems-message').textContent = policy.message;
    $('#policy-diagnostics').replaceChildren(...policy.diagnostics.map((d) => el('li', {}, d)));
    const breached = await api('/api/decisions?status=breached&latest=true&limit=200');
    fillTable('#breached', breached.map((v) => v.decision), (d) => [d.caseId, d.target || '-', d.customer, d.service, number(d.percentUsed), d.escalationLevel]);
    const atRisk = await api('/api/decisions?status=at-risk&latest=true&limit=200');
    fillTable('#at-risk', atRisk.map((v) => v.decision), (d) => [d.caseId, d.target || '-', d.customer, d.service, number(d.percentUsed), when(d.dueAt)]);
    const runs = await api('/api/runs?limit=20');
    fillTable('#runs', runs, (r) => [r.id, r.trigger, when(r.asOf), r.partitions > 1 ? `${r.state}, ${r.partitionsDone}/${r.partitions} partitions` : r.state,
      r.casesRead, r.decisionsWritten, r.decisionsChanged, r.rejected,
      `${r.creditsWritten} (${r.creditsChanged} changed)`, `${number(r.durationMs / 1000, 2)} s`, r.policyVersions.join(', ')]);
    const notifications = await api('/api/notifications?limit=50');
    fillTable('#notifications', notifications.map((v) => ({ caseId: v.notification.caseId, ...v })), (v) => [v.notification.caseId, v.notification.target || '-',
      `${v.notification.step} (${v.notification.action}${v.notification.level ? ` to level ${v.notification.level}` : ''})`, v.notification.recipient,
      v.notification.state, v.notification.attempts,
      v.attempts.length === 0 ? (v.notification.state === 'pending' ? `due ${when(v.notification.deliverAfter)}` : '-')
        : (v.attempts[v.attempts.length - 1].status ?? v.attempts[v.attempts.length - 1].error), when(v.notification.createdAt)]);
    // The credits list opens on the month of the latest run; the lead can pick another.
    if (!$('#credit-month').value && runs.length > 0) $('#credit-month').value = runs[0].asOf.slice(0, 7);
    await refreshCredits();
  } catch (error) {
    $('#policy-status').textContent = `cannot reach the API: ${error.message}`;
    $('#policy-status').classList.add('bad');
  }
}

// A case in the address: `#case=C-1001` (what the page writes when a case is opened) or simply `#C-1001`.
function caseFromHash() {
  const text = decodeURIComponent(location.hash.slice(1));
  if (!text) return null;
  return text.startsWith('case=') ? text.slice(5) : text.includes('=') ? null : text;
}

function openCaseFromHash() {
  const id = caseFromHash();
  if (id && id !== shownCase) showCase(id);
}

$('#find-form').addEventListener('submit', (event) => { event.preventDefault(); showCase($('#case-id').value.trim()); });
$('#credits-form').addEventListener('submit', (event) => { event.preventDefault(); refreshCredits().catch((error) => { $('#policy-status').textContent = error.message; }); });
window.addEventListener('hashchange', openCaseFromHash);
refresh();
setInterval(refresh, 30000);
openCaseFromHash();
