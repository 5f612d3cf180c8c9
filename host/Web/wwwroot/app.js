// The support leads' page: plain JavaScript over the host's JSON API, no build step, no external resources.
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

class Unauthorized extends Error {}

async function api(path) {
  const headers = tokenInput.value ? { Authorization: `Bearer ${tokenInput.value}` } : {};
  const response = await fetch(path, { headers });
  if (response.status === 401) throw new Unauthorized('the API token is missing or wrong');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || `${response.status} ${response.statusText}`);
  }
  return response.json();
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value; else if (key.startsWith('on')) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(child));
  return node;
}

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child));
  return node;
}

// ---- Times: every instant in the case's own zone (the calendar's IANA zone, or a fixed offset such as +05:30), UTC on hover.

const pad = (n) => String(n).padStart(2, '0');
const formatters = new Map();
function partsIn(ms, zone) {
  if (!zone || /^[+-]\d\d:\d\d$/.test(zone)) {
    const sign = zone && zone[0] === '-' ? -1 : 1;
    const minutes = zone ? sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) : 0;
    const d = new Date(ms + minutes * 60000);
    return { y: d.getUTCFullYear(), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()),
      wd: d.getUTCDay(), offset: zone || '+00:00' };
  }
  if (!formatters.has(zone)) {
    formatters.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', hourCycle: 'h23', weekday: 'short', timeZoneName: 'longOffset' }));
  }
  const p = Object.fromEntries(formatters.get(zone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.replace('GMT', '');
  return { y: p.year, mo: p.month, d: p.day, h: p.hour, mi: p.minute, wd: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday), offset };
}
const zoneOf = (text) => { const m = /([+-]\d\d:\d\d|Z)$/.exec(text || ''); return m ? (m[1] === 'Z' ? '+00:00' : m[1]) : '+00:00'; };
function localText(text, zone) {
  const p = partsIn(Date.parse(text), zone || zoneOf(text));
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi} ${p.offset}`;
}
const utcText = (text) => new Date(text).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
// An instant as a <time>: in the zone given (else the offset it is written with), its UTC value on hover.
function when(text, zone) {
  if (!text) return '-';
  return el('time', { datetime: new Date(text).toISOString(), title: utcText(text) }, localText(text, zone));
}

const number = (value, digits = 1) => Number(value).toFixed(digits).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
const money = (amount, currency) => `${currency ? currency + ' ' : ''}${Number(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (n) => Number(n).toLocaleString('en-US');

// Where an explanation step comes from, as `file:line:col`; null when it has no location.
const stepSource = (step) => step.location && step.location.line > 0 ? `${step.location.file}:${step.location.line}:${step.location.column}` : null;

// ---- The board: cases by urgency, one row per case, filtered and sorted in the page.

const lanes = [
  { key: 'breached', table: '#breached', count: '#breached-count' },
  { key: 'atRisk', table: '#at-risk', count: '#at-risk-count' },
  { key: 'dueNext', table: '#due-next', count: '#due-next-count' },
];
// `card`: the label a cell keeps on a narrow screen, where a row becomes a card (none: the value speaks for itself).
const columns = [
  { key: 'caseId', label: 'case' },
  { key: 'customer', label: 'customer' },
  { key: 'service', label: 'service' },
  { key: 'severity', label: 'sev', num: true, card: 'sev' },
  { key: 'status', label: 'status' },
  { key: 'dueAt', label: 'due', time: true, card: 'due' },
  { key: 'percentUsed', label: 'used', num: true, card: 'used' },
  { key: 'escalationLevel', label: 'escalated to', num: true, card: 'with' },
  { key: 'now', label: 'what now', sortable: false },
];
const sortState = {};
// Each lane shows its first rows; "show all" (kept across refreshes) shows the rest.
const LaneRows = 10;
const expanded = new Set();
let board = null;

function compare(a, b, column) {
  const x = a[column.key], y = b[column.key];
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (column.time) return Date.parse(x) - Date.parse(y);
  if (column.num) return x - y;
  return String(x).localeCompare(String(y), 'en', { numeric: true });
}

function filtered(rows) {
  const active = [...document.querySelectorAll('#filters select')].filter((s) => s.value);
  return rows.filter((row) => active.every((s) => String(row[s.dataset.key] ?? '') === s.value));
}

function fillFilters(all) {
  for (const select of document.querySelectorAll('#filters select')) {
    const key = select.dataset.key;
    const values = [...new Set(all.map((row) => row[key]).filter((v) => v !== null && v !== undefined && v !== ''))]
      .map(String).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '' }, 'all'), ...values.map((v) => el('option', { value: v }, key === 'severity' ? `sev ${v}` : v)));
    select.value = values.includes(chosen) ? chosen : '';
  }
}

function renderLane(lane) {
  const table = $(lane.table);
  const state = sortState[lane.key];
  const head = el('tr', {}, columns.filter((c) => c.key !== 'now').map((c) => {
    const sorted = state && state.key === c.key ? state.dir : null;
    const th = el('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': sorted ? (sorted > 0 ? 'ascending' : 'descending') : null });
    if (c.sortable === false) th.append(c.label);
    else th.append(el('button', { type: 'button', class: 'sort', onclick: () => {
      sortState[lane.key] = { key: c.key, dir: state && state.key === c.key ? -state.dir : 1 };
      renderLane(lane);
    } }, c.label));
    return th;
  }));
  let rows = filtered(board ? board[lane.key] : []);
  if (state) {
    const column = columns.find((c) => c.key === state.key);
    rows = [...rows].sort((a, b) => state.dir * compare(a, b, column));
  }
  const limit = expanded.has(lane.key) ? rows.length : LaneRows;
  const shown = columns.filter((c) => c.key !== 'now');
  const body = el('tbody', {}, rows.slice(0, limit).map((c) => {
    const open = (event) => { if (!event.target.closest('a')) showCase(c.caseId, true); };
    const cells = [el('a', { href: `#case=${encodeURIComponent(c.caseId)}` }, c.caseId), c.customer ?? '-', c.service ?? '-', c.severity ?? '-',
      [el('span', { class: `badge ${c.status}` }, c.status), c.open ? '' : ' (clock stopped)'], when(c.dueAt, c.zone), `${number(c.percentUsed)}%`,
      c.escalatedTo ? `${c.escalatedTo} (level ${c.escalationLevel})` : c.escalationLevel > 0 ? `level ${c.escalationLevel}` : '-'];
    // What to do now sits on a line of its own under the case's figures, as wide as the table.
    return [
      el('tr', { class: `link case${c.open ? '' : ' closed'}`, 'data-case': c.caseId, onclick: open },
        cells.map((value, k) => el('td', { 'data-label': shown[k].card, class: shown[k].num && shown[k].key !== 'escalationLevel' ? 'num' : null }, value))),
      el('tr', { class: `link now-row${c.open ? '' : ' closed'}`, onclick: open },
        el('td', { colspan: shown.length, class: 'todo', title: c.headline }, el('span', { class: 'visually-hidden' }, 'what now: '), c.now)),
    ];
  }));
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: shown.length }, board ? 'none' : 'loading…')));
  if (rows.length > LaneRows) {
    body.append(el('tr', { class: 'more' }, el('td', { colspan: shown.length }, el('button', { type: 'button', class: 'open-row', 'aria-expanded': String(limit === rows.length),
      onclick: () => { if (expanded.has(lane.key)) expanded.delete(lane.key); else expanded.add(lane.key); renderLane(lane); } },
    limit === rows.length ? `show the first ${LaneRows} only` : `show all ${count(rows.length)}`))));
  }
  table.replaceChildren(el('thead', {}, head), body);
  const total = board ? board[lane.key].length : 0;
  $(lane.count).textContent = rows.length === total ? `(${count(total)})` : `(${count(rows.length)} of ${count(total)})`;
}

function renderBoard() {
  for (const lane of lanes) renderLane(lane);
}

async function refreshBoard() {
  board = await api('/api/board');
  $('#board-meta').replaceChildren(board.evaluationDate
    ? el('span', {}, `latest evaluation: ${board.evaluationDate} (run ${board.runId}, as of `, when(board.asOf, '+00:00'), ')')
    : 'no evaluation yet: run the nightly job (slapolicy run, or POST /api/runs)');
  fillFilters([...board.breached, ...board.atRisk, ...board.dueNext]);
  renderBoard();
}
$('#filters').addEventListener('change', renderBoard);
$('#filters').addEventListener('reset', () => setTimeout(renderBoard));

// ---- A case: what to do now, the timeline on the case's own clock, the explanation in time order.

let shownCase = null;

async function showCase(id, fromList = false) {
  shownCase = id;
  $('#case-id').value = id;
  $('#case-error').hidden = true;
  try {
    // The id goes in the query, encoded: any id works there, `INC/2026/0001`, `a%2Fb`, `.` and `..` included.
    const trace = await api(`/api/why?case=${encodeURIComponent(id)}`);
    renderCase(trace);
    // Opened from a list further up or down: bring the explanation into view.
    if (fromList) $('#find').scrollIntoView({ block: 'start' });
    // One form in the address, `#case=ID`: a short `#ID` is rewritten in place; another case is a new history entry,
    // so the back button returns to the previous case (pushState fires no hashchange, so nothing loads twice).
    const address = `#case=${encodeURIComponent(id)}`;
    if (location.hash !== address) {
      if (caseFromHash() === id) history.replaceState(null, '', address); else history.pushState(null, '', address);
    }
  } catch (error) {
    if (error instanceof Unauthorized) askForToken();
    $('#case-view').hidden = true;
    $('#case-error').textContent = error.message;
    $('#case-error').hidden = false;
  }
}

function renderCase(trace) {
  const c = trace.case, zone = trace.zone;
  $('#case-summary').replaceChildren(
    el('p', {}, el('strong', {}, c.id), ` ${c.customer} / ${c.tier} / ${c.region} / ${c.service}, severity ${c.severity}; opened `, when(c.openedAt, zone),
      c.firstResponseAt ? [', first response ', when(c.firstResponseAt, zone)] : '', c.resolvedAt ? [', resolved ', when(c.resolvedAt, zone)] : ', not resolved',
      `. Times in ${zone}; UTC on hover.`));
  const decisions = trace.decisions.map((x) => x.decision);
  const urgent = [...decisions].sort((a, b) => rank(a) - rank(b))[0];
  const headline = urgent && urgent.explanation.find((s) => s.kind === 'status');
  $('#case-now').textContent = headline ? `Now: ${urgent.target}: ${headline.text}` : '';
  // Drawn once the view is shown: the timeline is laid out at the width it gets.
  $('#case-view').hidden = false;
  drawTimeline(trace);
  const list = $('#explanation');
  list.replaceChildren();
  if (decisions.length === 0) list.append(el('p', {}, 'No decisions yet: the nightly run has not evaluated this case.'));
  for (const d of decisions) {
    const source = d.policyFile ? `${d.policyFile}:${d.policyLine}` : '';
    list.append(el('div', { class: `decision ${d.status}` },
      el('h3', {}, d.target || '(no target)', ' ', el('span', { class: `badge ${d.status}` }, d.status)),
      el('div', {}, `${number(d.percentUsed)}% used, escalation level ${d.escalationLevel}; due `, when(d.dueAt, zone),
        `; elapsed ${number(d.elapsedMinutes)} min, paused ${number(d.pausedMinutes)} min; as of `, when(d.asOf, zone)),
      el('div', {}, `policy ${d.policy || 'none'}@${d.policyVersion || '-'}`, el('span', { class: 'where' }, source), d.ruleName ? ` rule ${d.ruleName}` : ''),
      el('ol', { class: 'steps' }, d.explanation.map((s) => el('li', { class: `step ${s.kind}${s.at ? '' : ' untimed'}`, 'data-kind': s.kind },
        s.at ? el('span', { class: 'when' }, when(s.at, zone)) : null,
        el('span', {}, el('span', { class: 'visually-hidden' }, `${s.kind}: `), s.text, stepSource(s) ? el('span', { class: 'where' }, stepSource(s)) : ''))))));
  }
  if (trace.escalations.length > 0) {
    list.append(el('div', {}, el('strong', {}, 'Escalation history'),
      el('ul', {}, trace.escalations.map((e) => el('li', {}, `level ${e.level} first reached `, when(e.firstReachedAt, zone), ` (run ${e.runId})`)))));
  }
  $('#case-view').hidden = false;
}

const rank = (d) => ({ error: 0, breached: 1, running: 2, paused: 3, pending: 4, 'no-policy': 5, met: 6, cancelled: 7 }[d.status] ?? 8) - (d.dueAt ? 0 : 0.5);

// The timeline: one lane per target, drawn from the engine's own steps. Counted, paused and closed periods tile the
// clock's span (each lasts until the next begins, the last until the `stop` step); escalation crossings are marked
// where the clock crossed them, the due time dashed, the evaluation time (asOf) across every lane; an axis with the
// days in the case's zone. Labels sit on rows of their own and the axis labels are thinned to fit, so none overlap.
let lastTrace = null;
function drawTimeline(trace) {
  lastTrace = trace;
  const zone = trace.zone;
  const decisions = trace.decisions.map((x) => x.decision).filter((d) => d.explanation.some((s) => s.kind === 'stop'));
  const root = $('#timeline');
  const width = Math.max(300, Math.round(root.getBoundingClientRect().width || root.parentElement.clientWidth || 760));
  const left = 8, right = 8, laneH = 54, top = 6, axisH = 40;
  const height = top + Math.max(1, decisions.length) * laneH + axisH;
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('height', height);
  const title = svg('title', { id: 'timeline-title' }, `timeline of case ${trace.case.id}, times in ${zone}`);
  root.replaceChildren(title);
  if (decisions.length === 0) return;
  const asOf = Date.parse(decisions[0].asOf);
  const spans = decisions.map((d) => {
    const steps = d.explanation.filter((s) => s.at);
    const stop = d.explanation.find((s) => s.kind === 'stop');
    return { d, steps, end: Date.parse(stop.at) };
  });
  const times = [Date.parse(trace.case.openedAt), asOf, ...spans.flatMap((s) => s.steps.map((x) => Date.parse(x.at)))];
  let start = Math.min(...times), end = Math.max(...times);
  // A due time not far beyond the rest is drawn; one much later is written in the lane's label instead.
  for (const s of spans) if (s.d.dueAt && Date.parse(s.d.dueAt) - end < (end - start) * 0.25) end = Math.max(end, Date.parse(s.d.dueAt));
  if (end - start < 3600000) end = start + 3600000;
  const x = (t) => left + (t - start) / (end - start) * (width - left - right);
  spans.forEach((s, i) => {
    const y = top + i * laneH;
    const due = s.d.dueAt ? Date.parse(s.d.dueAt) : null;
    const beyond = due && x(due) > width - right ? ` · due ${localText(s.d.dueAt, zone)}` : '';
    const label = svg('text', { x: left, y: y + 12, 'font-size': 12, fill: '#1d2430', class: 'lane-label' }, `${s.d.target} (${s.d.status})${beyond}`);
    root.append(label);
    // On a narrow screen the label is shortened until it fits: the due time without its offset, then the target alone.
    for (const shorter of [`${s.d.target}${beyond ? ` · due ${localText(s.d.dueAt, zone).slice(5, 16)}` : ''}`, s.d.target]) {
      if (label.getComputedTextLength() <= width - left - right) break;
      label.textContent = shorter;
    }
    const periods = s.steps.filter((p) => p.kind === 'counted' || p.kind === 'pause' || p.kind === 'closed');
    periods.forEach((p, k) => {
      const from = Date.parse(p.at), to = k + 1 < periods.length ? Date.parse(periods[k + 1].at) : s.end;
      const fill = p.kind === 'counted' ? '#3b73c4' : p.kind === 'pause' ? '#c2c7cf' : 'url(#closed-hatch)';
      root.append(svg('rect', { x: x(from), y: y + 18, width: Math.max(1, x(to) - x(from)), height: 14, fill, class: `period ${p.kind}` },
        svg('title', {}, p.text)));
    });
    for (const e of s.steps.filter((p) => p.kind === 'escalation')) {
      const px = x(Date.parse(e.at));
      const level = /level (\d+)/.exec(e.text);
      root.append(svg('path', { d: `M${px},${y + 33} l-5,9 h10 z`, fill: level ? '#b3261e' : '#b45309', class: `mark escalation${level ? '' : ' notify'}` },
        svg('title', {}, e.text)));
    }
    // Reopens, the starts of cycles, of update gaps and of waits for a reply, severity changes: a tick above the lane, the step's sentence on hover.
    for (const e of s.steps.filter((p) => p.kind === 'reopen' || p.kind === 'cycle' || p.kind === 'gap' || p.kind === 'wait' || p.kind === 'severity')) {
      const px = x(Date.parse(e.at));
      root.append(svg('rect', { x: px - 1, y: y + 14, width: 2, height: 22, fill: '#0f766e', class: `mark ${e.kind}` }, svg('title', {}, e.text)));
    }
    const stop = s.d.explanation.find((p) => p.kind === 'stop');
    if (!/not stopped/.test(stop.text)) root.append(svg('rect', { x: x(s.end) - 1.5, y: y + 15, width: 3, height: 20, fill: '#1b5e20', class: 'mark stop' }, svg('title', {}, stop.text)));
    if (due && !beyond) root.append(svg('line', { x1: x(due), x2: x(due), y1: y + 14, y2: y + 44, stroke: '#b45309', 'stroke-width': 2, 'stroke-dasharray': '4 3', class: 'mark due' },
      svg('title', {}, `due ${localText(s.d.dueAt, zone)}`)));
  });
  const axisY = top + spans.length * laneH + 4;
  root.append(svg('line', { x1: x(asOf), x2: x(asOf), y1: top, y2: axisY, stroke: '#6a1b9a', 'stroke-width': 2, class: 'mark asof' },
    svg('title', {}, `evaluation time (asOf) ${localText(decisions[0].asOf, zone)}`)));
  root.append(svg('line', { x1: left, x2: width - right, y1: axisY, y2: axisY, stroke: '#6b7280' }));
  // Ticks at midnight in the case's zone (every 6 hours as well when the span is short); labels thinned to ~90 px apart.
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const ticks = [];
  const span = end - start;
  const stepHours = span <= 2 * 86400000 ? 6 : 24;
  for (let t = Math.floor(start / 3600000) * 3600000; t <= end; t += 3600000) {
    const p = partsIn(t, zone);
    if (p.mi === '00' && Number(p.h) % stepHours === 0) ticks.push({ t, label: p.h === '00' ? `${days[p.wd]} ${Number(p.d)} ${months[Number(p.mo) - 1]}` : `${p.h}:00`, day: p.h === '00' });
  }
  // Dates first, then hours where there is room: the axis always says which day it is.
  const placed = [];
  for (const tick of [...ticks.filter((k) => k.day), ...ticks.filter((k) => !k.day)]) {
    const px = x(tick.t);
    root.append(svg('line', { x1: px, x2: px, y1: axisY, y2: axisY + (tick.day ? 6 : 3), stroke: '#6b7280' }));
    if (placed.every((p) => Math.abs(p - px) >= 80) && px > left + 34 && px < width - right - 34) {
      root.append(svg('text', { x: px, y: axisY + 18, 'font-size': 11, fill: '#374151', 'text-anchor': 'middle', class: 'axis-label' }, tick.label));
      placed.push(px);
    }
  }
  root.prepend(svg('defs', {}, svg('pattern', { id: 'closed-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { width: 6, height: 6, fill: '#fff' }), svg('rect', { width: 2, height: 6, fill: '#aeb4be' }))));
  root.prepend(title);
  $('#timeline-legend').replaceChildren(...[['counted', 'clock counting'], ['pause', 'paused (the policy\'s pauseOn)'], ['closed', 'closed hours, not counted'],
    ['escalation', 'escalation crossing (▲)'], ['due', 'due time (dashed)'], ['asof', 'evaluation time (asOf)'], ['reopen', 'reopen, new cycle, update gap, wait for a reply or severity change']]
    .map(([cls, text]) => el('span', {}, el('span', { class: `swatch ${cls}` }), text)), el('span', {}, `axis in ${zone}`));
}
let resizeTimer = null;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { if (lastTrace && !$('#case-view').hidden) drawTimeline(lastTrace); }, 150); });

// ---- Money at stake.

async function refreshAtStake() {
  const stake = await api('/api/at-stake');
  $('#at-stake-meta').textContent = stake.month ? `(${stake.month}, as of the latest run)` : '';
  const terms = $('#at-stake-terms tbody');
  terms.replaceChildren(...stake.terms.map((t) => el('tr', { class: t.met ? 'met' : 'owed' },
    el('td', {}, t.customer), el('td', {}, t.severity), el('td', { class: 'num' }, `${number(t.attainmentPercent, 3)}%`), el('td', { class: 'num' }, `${number(t.atLeastPercent, 3)}%`),
    el('td', {}, t.sentence), el('td', { class: 'num' }, `${money(t.creditAmount, t.currency)} ${t.met ? 'at stake' : 'owed'}`))));
  if (stake.terms.length === 0) terms.append(el('tr', {}, el('td', { colspan: 6 }, 'no attainment term has counted a stopped target this month')));
  const cases = $('#at-stake-cases tbody');
  cases.replaceChildren(...stake.cases.slice(0, 25).map((c) => el('tr', { class: 'link', onclick: (event) => { if (!event.target.closest('a')) showCase(c.caseId); } },
    el('td', {}, el('a', { href: `#case=${encodeURIComponent(c.caseId)}` }, c.caseId)), el('td', {}, c.target ?? '-'), el('td', {}, c.customer ?? '-'),
    el('td', {}, when(c.dueAt)), el('td', { class: 'num' }, money(c.costIfBreached, c.currency)), el('td', {}, c.note))));
  if (stake.cases.length === 0) cases.append(el('tr', {}, el('td', { colspan: 6 }, 'no open target counts toward an attainment term')));
}

// ---- Service credits of one month: one row per assessment (or only those owing), each openable to the engine's explanation.
// Rows opened stay open across the periodic refresh.
const openCredits = new Set();
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
  credits.forEach(({ credit: c, asOf, runId }, i) => {
    const key = [c.period, c.customer, c.kind, c.objective, c.service, c.region, c.policyId, c.currency].join('|');
    const measured = c.measured === null || c.measured === undefined ? '-'
      : c.kind === 'availability' || c.kind === 'attainment' ? `${number(c.measured, 3)}%` : number(c.measured, 3);
    const detailId = `credit-detail-${i}`;
    const opened = openCredits.has(key);
    const toggle = el('button', { type: 'button', class: 'open-row', 'aria-expanded': String(opened), 'aria-controls': detailId },
      c.kind === 'customer-total' ? `total (${c.policyId})` : `${c.kind} ${c.objective}`);
    const row = el('tr', { class: `link credit ${c.kind}${c.amount > 0 ? ' owed' : ''}` },
      el('td', {}, c.period), el('td', {}, c.customer), el('td', {}, toggle), ...[c.service || '-', c.region || '-', measured, c.target, c.tier || '-'].map((v) => el('td', {}, v)),
      el('td', { class: 'num' }, money(c.amount, c.currency)));
    const detail = el('tr', { class: 'credit-explanation', id: detailId, hidden: !opened },
      el('td', { colspan: 9 },
        el('ol', { class: 'steps' }, c.explanation.map((s) => el('li', { class: `step ${s.kind}` }, el('span', { class: 'when' }, s.kind),
          el('span', {}, s.text, stepSource(s) ? el('span', { class: 'where' }, stepSource(s)) : '')))),
        el('div', { class: 'where' }, `policy ${c.policyId}${c.policyVersion ? '@' + c.policyVersion : ''}; as of `, when(asOf), `, run ${runId}`)));
    const flip = () => {
      detail.hidden = !detail.hidden;
      toggle.setAttribute('aria-expanded', String(!detail.hidden));
      if (detail.hidden) openCredits.delete(key); else openCredits.add(key);
    };
    toggle.addEventListener('click', (event) => { event.stopPropagation(); flip(); });
    row.addEventListener('click', flip);
    body.append(row, detail);
  });
  if (credits.length === 0) body.append(el('tr', {}, el('td', { colspan: 9 }, owed ? 'no credit owed' : 'none')));
}

// ---- Claims: each month's credit to be claimed or paid, in both directions, the earliest deadline first. Finance marks
// a claim claimed or settled (a write: it needs the API token).
async function markClaim(id, verb) {
  const note = window.prompt(`Mark claim ${id} ${verb}: a reference (invoice, ticket), or leave empty`) ?? null;
  if (note === null) return;
  const query = note ? `?note=${encodeURIComponent(note)}` : '';
  const headers = tokenInput.value ? { Authorization: `Bearer ${tokenInput.value}` } : {};
  const response = await fetch(`/api/claims/${id}/${verb}${query}`, { method: 'POST', headers });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    $('#claims-status').textContent = body.error || `${response.status} ${response.statusText}`;
    return;
  }
  $('#claims-status').textContent = `claim ${id} marked ${verb}`;
  await refreshClaims();
}

async function refreshClaims() {
  const query = new URLSearchParams();
  const status = $('#claim-status').value;
  const direction = $('#claim-direction').value;
  if (status) query.set('status', status);
  if (direction) query.set('direction', direction);
  const claims = await api(`/api/claims?${query}`);
  const body = $('#claims tbody');
  body.replaceChildren(...claims.map((c) => el('tr', { class: `claim ${c.status}` },
    el('td', {}, c.period), el('td', {}, c.direction === 'supplier' ? `claim from ${c.party}` : `owed to ${c.party}`), el('td', {}, c.policyId),
    el('td', { class: 'num' }, money(c.amount, c.currency)), el('td', {}, c.lastDay ?? 'no deadline'),
    el('td', {}, c.futureBillsOnly ? 'against a future bill' : 'credit or payment'), el('td', {}, c.status + (c.note ? ` (${c.note})` : '')),
    el('td', {}, ...(c.status === 'owed' ? [el('button', { type: 'button', onclick: () => markClaim(c.id, 'claimed') }, 'claimed')] : []),
      ...(c.status === 'owed' || c.status === 'claimed' ? [el('button', { type: 'button', onclick: () => markClaim(c.id, 'settled') }, 'settled')] : [])))));
  if (claims.length === 0) body.append(el('tr', {}, el('td', { colspan: 8 }, 'no claim')));
}

function fillTable(selector, rows, cells, empty = 'none') {
  const body = $(`${selector} tbody`);
  body.replaceChildren(...rows.map((row) => el('tr', {}, cells(row).map((value) => value instanceof Node && value.tagName === 'TD' ? value : el('td', {}, value)))));
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 11 }, empty)));
}
const caseLink = (id) => el('a', { href: `#case=${encodeURIComponent(id)}` }, id);
const num = (value) => el('td', { class: 'num' }, value);

function askForToken() {
  $('#signin').hidden = false;
  $('#policy-status').textContent = 'reads are protected: sign in with the API token';
  $('#policy-status').classList.add('bad');
}

async function refresh() {
  try {
    const policy = await api('/api/policies');
    $('#signin').hidden = true;
    $('#policy-status').textContent = `policies: ${policy.ready ? policy.versions.join(', ') || 'loaded' : policy.message}`
      + (policy.lastLoadFailed ? ` (the last edit was rejected: ${policy.diagnostics.length} problems)` : '');
    $('#policy-status').classList.toggle('bad', !policy.ready || policy.lastLoadFailed);
    $('#policy-problems').hidden = !policy.lastLoadFailed;
    $('#policy-problems-message').textContent = policy.message;
    $('#policy-diagnostics').replaceChildren(...policy.diagnostics.map((d) => el('li', {}, d)));
    await refreshBoard();
    const runs = await api('/api/runs?limit=20');
    fillTable('#runs', runs, (r) => [r.id, r.trigger, when(r.asOf), r.partitions > 1 ? `${r.state}, ${r.partitionsDone}/${r.partitions} partitions` : r.state,
      num(count(r.casesRead)), num(count(r.decisionsWritten)), num(count(r.decisionsChanged)), num(count(r.rejected)),
      `${count(r.creditsWritten)} (${count(r.creditsChanged)} changed)`, num(`${number(r.durationMs / 1000, 2)} s`), r.policyVersions.join(', ')]);
    await refreshAtStake();
    const quarantine = await api('/api/quarantine?limit=100');
    $('#quarantine-count').textContent = `(${count(quarantine.length)}${quarantine.length === 100 ? '+' : ''})`;
    fillTable('#quarantine', quarantine, (q) => [q.record.source, num(q.record.lineNumber), q.record.field ?? '-', q.record.reason, when(q.receivedAt)], 'nothing rejected');
    const notifications = await api('/api/notifications?limit=50');
    fillTable('#notifications', notifications, (v) => [caseLink(v.notification.caseId), v.notification.target || '-',
      `${v.notification.step} (${v.notification.action}${v.notification.level ? ` to level ${v.notification.level}` : ''})`, v.notification.recipient,
      v.notification.state, v.notification.attempts,
      v.attempts.length === 0 ? (v.notification.state === 'pending' ? ['due ', when(v.notification.deliverAfter)] : '-')
        : String(v.attempts[v.attempts.length - 1].status ?? v.attempts[v.attempts.length - 1].error), when(v.notification.createdAt)]);
    // The credits list opens on the month of the latest run; the lead can pick another.
    if (!$('#credit-month').value && runs.length > 0) $('#credit-month').value = runs[0].asOf.slice(0, 7);
    await refreshCredits();
    await refreshClaims();
  } catch (error) {
    if (error instanceof Unauthorized) { askForToken(); return; }
    $('#policy-status').textContent = `cannot reach the API: ${error.message}`;
    $('#policy-status').classList.add('bad');
  }
}

$('#signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  tokenInput.value = $('#signin-token').value;
  sessionStorage.setItem('slapolicy-token', tokenInput.value);
  try {
    await api('/api/policies');
    $('#signin-error').hidden = true;
    $('#signin').hidden = true;
    await refresh();
    openCaseFromHash(true);
  } catch (error) {
    $('#signin-error').textContent = error instanceof Unauthorized ? 'that token was refused: check Api:Token' : error.message;
    $('#signin-error').hidden = false;
  }
});

// A case in the address: `#case=C-1001` (what the page writes when a case is opened) or simply `#C-1001`.
function caseFromHash() {
  const text = decodeURIComponent(location.hash.slice(1));
  if (!text) return null;
  return text.startsWith('case=') ? text.slice(5) : text.includes('=') ? null : text;
}

function openCaseFromHash(again = false, scroll = false) {
  const id = caseFromHash();
  if (id && (again || id !== shownCase)) showCase(id, scroll);
}

$('#find-form').addEventListener('submit', (event) => { event.preventDefault(); showCase($('#case-id').value.trim()); });
$('#claims-form').addEventListener('submit', (event) => { event.preventDefault(); refreshClaims().catch((error) => { $('#claims-status').textContent = error.message; }); });
$('#credits-form').addEventListener('submit', (event) => { event.preventDefault(); refreshCredits().catch((error) => { $('#policy-status').textContent = error.message; }); });
window.addEventListener('hashchange', () => openCaseFromHash(false, true));
renderBoard();
// A shared link to a case opens it, and once the lists above it are drawn (they move it down), shows it.
Promise.all([caseFromHash() ? showCase(caseFromHash()) : null, refresh()])
  .then(() => { if (caseFromHash() && !$('#case-view').hidden) $('#find').scrollIntoView({ block: 'start' }); });
// The lists are read again every 30 s; an opened case and opened credit explanations stay as they are.
setInterval(refresh, 30000);
