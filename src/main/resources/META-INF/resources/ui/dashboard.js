// Serin's dashboard: reads and changes canaries only through Serin's REST API (/api/v1), with the user's token.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const API = '/api/v1';
const TOKEN_KEY = 'serin.token';
const REFRESH_MS = 5000;

const $ = (id) => document.getElementById(id);
// ?namespace=web lists one namespace (needs list there only; all namespaces need list cluster-wide);
// &canary=shop opens that canary's chart and analyses. #web/shop (the link Serin puts in status.dashboardUrl) is both.
const query = new URLSearchParams(location.search);
const linked = location.hash.slice(1).split('/').map(decodeURIComponent);
const fromLink = linked.length === 2 && linked[0] && linked[1];
const NAMESPACE = query.get('namespace') || (fromLink ? linked[0] : null);
const CANARY = query.get('canary') || (fromLink ? linked[1] : null);
let selected = NAMESPACE && CANARY ? NAMESPACE + '/' + CANARY : null;
let chart = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token()) headers.Authorization = 'Bearer ' + token();
  // every change says JSON, with a body or without: serin.api.auth=none (the playground) refuses any other change
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  const response = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    askForToken(json && json.detail);
  }
  if (!response.ok) {
    const error = new Error((json && (json.detail || json.title)) || response.status + ' ' + response.statusText);
    error.status = response.status;
    throw error;
  }
  return json;
}

function say(text, ok) {
  const m = $('message');
  m.textContent = text || '';
  m.className = ok ? 'ok' : '';
}

function askForToken(why) {
  $('token-form').hidden = false;
  say(token() ? 'The token was refused: ' + (why || 'unauthenticated') : 'Serin needs a bearer token for the audience serin.');
}

const percent = (v) => (v === null || v === undefined ? '—' : v + ' %');

function observed(c) {
  const o = c.observed;
  if (o && o.share !== null && o.share !== undefined) return { text: o.share + ' %', title: observedTitle(o) };
  return { text: '—', title: (o && o.message) || 'not measured', none: true };
}

function observedTitle(o) {
  return [o.requests !== undefined ? o.requests + ' requests' : null, o.window ? 'in ' + o.window : null, o.time]
    .filter(Boolean).join(' ');
}

function when(time) {
  if (!time) return '—';
  const d = new Date(time);
  return isNaN(d) ? time : d.toLocaleTimeString();
}

function cell(row, field, text, cls) {
  const td = row.insertCell();
  td.dataset.field = field;
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function button(td, action, label, handler) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.action = action;
  b.textContent = label;
  b.addEventListener('click', (e) => { e.stopPropagation(); handler(); });
  td.append(b, ' ');
}

async function act(c, action, request) {
  try {
    await request();
    say(action + ' ' + c.namespace + '/' + c.name + ': requested', true);
  } catch (e) {
    say(action + ' ' + c.namespace + '/' + c.name + ' failed: ' + e.message);
  }
  refresh();
}

// spec.testers as the CLI writes them (header x-canary=always, cookie canary=1), and spec.sticky's cookie
function testers(c) {
  const list = (c.testers || []).map((t) => t.header
    ? 'header ' + t.header.name + (t.header.regex ? '~' : '=') + t.header.value
    : 'cookie ' + t.cookie.name + '=' + t.cookie.value);
  if (c.sticky) list.push('sticky ' + c.sticky.cookie + ' ' + c.sticky.maxAge);
  return list.length ? list.join(', ') : '—';
}

function renderRows(canaries) {
  const body = $('canaries').tBodies[0];
  body.replaceChildren();
  for (const c of canaries) {
    const key = c.namespace + '/' + c.name;
    const row = body.insertRow();
    row.dataset.canary = key;
    if (key === selected) row.className = 'selected';
    row.addEventListener('click', () => select(key));
    cell(row, 'name', key);
    cell(row, 'target', c.target || '—');
    cell(row, 'desired', percent(c.desiredWeight), 'num');
    cell(row, 'applied', percent(c.weight), 'num');
    const o = observed(c);
    const td = cell(row, 'observed', '', 'num');
    const span = document.createElement('span');
    span.textContent = o.text;
    span.title = o.title;
    td.append(span);
    if (o.none && c.observed && c.observed.message) {
      const why = document.createElement('small');
      why.className = 'none';
      why.textContent = ' ' + c.observed.message;
      td.append(why);
    }
    cell(row, 'testers', testers(c));
    const phase = cell(row, 'phase', '');
    const p = document.createElement('span');
    p.className = 'phase phase-' + (c.phase || 'none');
    p.textContent = c.phase || '—';
    phase.append(p);
    cell(row, 'step', c.stepIndex === null || c.stepIndex === undefined ? '—' : String(c.stepIndex), 'num');
    cell(row, 'nextStep', when(c.nextStepAt));
    const a = c.lastAnalysis;
    cell(row, 'analysis', a ? a.result + ' at ' + when(a.time) : '—', a ? 'result-' + a.result : '');
    actions(row.insertCell(), c);
  }
}

function actions(td, c) {
  td.className = 'actions';
  const path = '/namespaces/' + encodeURIComponent(c.namespace) + '/canaries/' + encodeURIComponent(c.name);
  const weight = document.createElement('input');
  weight.type = 'number'; weight.min = 0; weight.max = 100; weight.step = 0.01;
  weight.value = c.desiredWeight === null || c.desiredWeight === undefined ? '' : c.desiredWeight;
  weight.dataset.field = 'weight-input';
  weight.addEventListener('click', (e) => e.stopPropagation());
  td.append(weight, ' ');
  button(td, 'weight', 'Set weight', () => act(c, 'weight', () => call('PUT', path + '/weight', { weight: Number(weight.value) })));
  button(td, 'pause', 'Pause', () => act(c, 'pause', () => call('POST', path + '/pause')));
  button(td, 'resume', 'Resume', () => act(c, 'resume', () => call('POST', path + '/resume')));
  button(td, 'abort', 'Abort', () => confirm('Abort ' + c.name + '? Traffic goes back to stable at once.')
    && act(c, 'abort', () => call('POST', path + '/abort')));
  button(td, 'promote', 'Promote', () => confirm('Promote ' + c.name + '? Its containers go into ' + c.target + '.')
    && act(c, 'promote', () => call('POST', path + '/promote')));
}

function select(key) {
  selected = key;
  refresh();
}

async function renderDetail() {
  const section = $('detail');
  if (!selected) { section.hidden = true; return; }
  const [ns, name] = selected.split('/');
  const path = '/namespaces/' + encodeURIComponent(ns) + '/canaries/' + encodeURIComponent(name);
  let history, analyses;
  try {
    [history, analyses] = await Promise.all([call('GET', path + '/history'), call('GET', path + '/analyses')]);
  } catch (e) {
    if (e.status === 404) { selected = null; section.hidden = true; return; }
    throw e;
  }
  section.hidden = false;
  $('detail-title').textContent = selected;
  $('history-source').textContent = (history.source === 'prometheus'
    ? 'weights as Serin saw them since it started, observed share from Prometheus (since each weight change)'
    : 'as Serin saw them since it started') + (history.message ? '; ' + history.message : '');
  renderChart(history.points || []);
  renderAnalyses(analyses || []);
}

function renderChart(points) {
  const x = points.map((p) => Date.parse(p.time) / 1000);
  const num = (v) => (v === null || v === undefined ? null : v);
  // one more point "now" so a flat line reaches the present
  if (points.length) {
    const last = points[points.length - 1];
    x.push(Date.now() / 1000);
    points = points.concat([{ ...last }]);
  }
  const data = [x, points.map((p) => num(p.desiredWeight)), points.map((p) => num(p.weight)), points.map((p) => num(p.observedShare))];
  const stepped = uPlot.paths.stepped({ align: 1 });
  const opts = {
    width: Math.min(1100, document.body.clientWidth - 40), height: 260,
    scales: { y: { range: [0, 100] } },
    axes: [{}, { label: '% of requests' }],
    series: [
      {},
      { label: 'desired weight', stroke: '#8b95a1', dash: [6, 4], paths: stepped },
      { label: 'applied weight', stroke: '#1f6feb', width: 2, paths: stepped },
      { label: 'observed share', stroke: '#d2691e', width: 2, spanGaps: true, points: { show: true } },
    ],
  };
  if (chart) chart.destroy();
  chart = new uPlot(opts, data, $('chart'));
}

/** The judge's verdict and score beside the check's result, e.g. " · judge Marginal, score 80". */
function judged(a) {
  if (!a.judgement) return '';
  return ' · judge ' + a.judgement + (a.score === null || a.score === undefined ? '' : ', score ' + num(a.score));
}

function num(v) {
  return v === null || v === undefined ? '—' : String(Math.round(v * 1000) / 1000);
}

/** A compared metric's basis: samples, medians, mean ratio, shift and its interval. */
function compared(m) {
  if (!m.classification) return '';
  let s = 'samples ' + m.canarySamples + ' / ' + m.stableSamples;
  if (m.canaryMedian !== null && m.canaryMedian !== undefined) {
    s += ' · median ' + num(m.canaryMedian) + ' / ' + num(m.stableMedian);
  }
  if (m.effectSize !== null && m.effectSize !== undefined) s += ' · ratio ' + num(m.effectSize);
  if (m.estimate !== null && m.estimate !== undefined) {
    s += ' · shift ' + num(m.estimate) + ' [' + num(m.intervalLower) + ' .. ' + num(m.intervalUpper) + ']';
  }
  return s;
}

function renderAnalyses(analyses) {
  const body = $('analyses').tBodies[0];
  body.replaceChildren();
  if (!analyses.length) {
    const row = body.insertRow();
    const td = row.insertCell();
    td.colSpan = 8;
    td.textContent = 'No analysis yet.';
    return;
  }
  for (const a of analyses.slice().reverse()) {
    const metrics = a.metrics && a.metrics.length ? a.metrics : [{}];
    metrics.forEach((m, i) => {
      const row = body.insertRow();
      cell(row, 'time', i === 0 ? when(a.time) : '');
      cell(row, 'result', i === 0 ? a.result + judged(a) : '', 'result-' + a.result);
      cell(row, 'metric', m.name || '—');
      cell(row, 'value', m.formatted || '—', 'num'); // rounded by the server as the status messages are
      cell(row, 'bound', m.bound || '—');
      cell(row, 'metricResult', (m.result || '—') + (m.classification ? ' (' + m.classification + ')' : ''),
        'result-' + m.result);
      cell(row, 'compared', compared(m));
      cell(row, 'message', m.message || '');
    });
  }
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const canaries = await call('GET', NAMESPACE ? '/namespaces/' + encodeURIComponent(NAMESPACE) + '/canaries' : '/canaries');
    $('who').textContent = canaries.length + ' canar' + (canaries.length === 1 ? 'y' : 'ies');
    $('token-forget').hidden = !token();
    renderRows(canaries);
    await renderDetail();
  } catch (e) {
    if (e.status !== 401) say('Cannot read canaries: ' + e.message);
  } finally {
    refreshing = false;
  }
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim();
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
  $('token').value = '';
  $('token-form').hidden = true;
  say('');
  refresh();
});
$('token-forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});

refresh();
setInterval(refresh, REFRESH_MS);
